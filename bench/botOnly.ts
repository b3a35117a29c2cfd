/**
 * The bot's own work a turn, without the server: the Wmo bot (or the bench's echo bot, bench/echoBot.ts)
 * driven by botbuilder's TestAdapter with MemoryStorage, over bench/turns.ts's
 * messages, 100 conversations of 11 turns, three times after a warm-up. What the Wmo bot costs beyond
 * the shared stack (Direct Line, HTTP, files) is its own understanding, dialogs and answers; this shows
 * how much of its extra CPU in `npm run bench` that is.
 *   node --max-semi-space-size=8 --import tsx bench/botOnly.ts [wmo|echo]
 */
import { ActivityTypes, MemoryStorage, TestAdapter } from 'botbuilder';
import { WmoBot } from '../bot/wmoBot.js';
import { loadKnowledgeBase } from '../knowledge/load.js';
import { TopicRouter } from '../knowledge/understanding/router.js';
import { EchoBot } from './echoBot.js';
import { median } from './stats.js';
import { MESSAGES } from './turns.js';

const kind = process.argv[2] ?? 'wmo';
if (kind !== 'wmo' && kind !== 'echo') throw new Error(`kind: wmo or echo, not "${kind}"`);
const storage = new MemoryStorage();

const bot = kind === 'wmo' ? new WmoBot({ storage, kb: await loadKnowledgeBase(), router: await TopicRouter.create() }) : new EchoBot(storage);
const adapter = new TestAdapter((context) => bot.run(context));
let conversations = 0;

async function conversation(): Promise<void> {
  const { bot: recipient, serviceUrl } = adapter.conversation;
  const id = `bench-${conversations++}`;
  for (const text of MESSAGES) {
    await adapter.processActivity({ type: ActivityTypes.Message, text, conversation: { id, isGroup: false, conversationType: '', name: '' }, from: { id: 'resident', name: '' }, recipient, channelId: 'test', serviceUrl });
    adapter.activeQueue.splice(0);
  }
}

const runs: number[] = [];
for (let i = 0; i < 30; i++) await conversation();
for (let run = 0; run < 3; run++) {
  const start = process.cpuUsage();
  for (let i = 0; i < 100; i++) await conversation();
  const used = process.cpuUsage(start);
  runs.push((used.user + used.system) / 1000 / (100 * MESSAGES.length));
}
console.log(`${kind} bot alone (TestAdapter, MemoryStorage): ${median(runs).toFixed(2)} ms CPU a turn (runs ${runs.map((r) => r.toFixed(2)).join(', ')})`);
