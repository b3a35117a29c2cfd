import { manyConversations } from './turns.js';
const t0 = performance.now();
const m = await manyConversations(Number(process.argv[2] ?? 10000), 1);
console.log(JSON.stringify({ ...m, rssMB: m.rss / 2 ** 20, rssAfterGcMB: m.rssAfterGc / 2 ** 20, heapMB: m.heapAfterGc / 2 ** 20 }));
console.log('seconds', (performance.now() - t0) / 1000);
