/**
 * Only the memory part of `npm run bench`: RSS and live heap of the Wmo bot with 10,000
 * conversations open and stored, and a turn's cost there against a server with 100 (more repeats
 * give a steadier ratio), for trying a change without the whole run.
 *   node --disable-warning=DEP0111 --import tsx bench/memory.ts [conversations] [repeats]
 */
import { buildServers, manyConversations } from './turns.js';

const [many = '10000', repeats = '1'] = process.argv.slice(2);
buildServers();
const memory = await manyConversations(Number(many), Number(repeats));
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
console.log(
  `${Number(many).toLocaleString('en')} conversations: RSS ${mb(memory.rss)} MB, after a full GC ${mb(memory.rssAfterGc)} MB, live heap ${mb(memory.heapAfterGc)} MB, right after start ${mb(memory.rssAtStart)} MB`,
);
console.log(
  `turn with 100 vs ${Number(many).toLocaleString('en')} stored, median of ${repeats}: CPU ${memory.few.cpuMsPerTurn.toFixed(2)} vs ${memory.lots.cpuMsPerTurn.toFixed(2)} ms/turn (ratio ${(memory.lots.cpuMsPerTurn / memory.few.cpuMsPerTurn).toFixed(2)}×)`,
);
