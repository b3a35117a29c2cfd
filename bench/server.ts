/**
 * One service process for the turn benchmarks (bench/turns.ts forks it): the Wmo bot exactly as
 * `npm start` builds it, or an echo bot on the same server (same restify app, embedded Direct
 * Line, CloudAdapter and storage stack) that saves its conversation state too. A third kind,
 * echo-dialogs, echoes through a ComponentDialog as the Wmo bot's router runs: what botbuilder-dialogs
 * alone costs a turn (bench/compare.ts … echo-dialogs). Answers the parent's questions about its CPU
 * time and memory over IPC. Compiled into dist/ with the service (tsconfig.bench.json) and run as
 * npm start runs it:
 *   node dist/bench/server.js wmo|echo|echo-dialogs DATA_DIR PORT DIRECTLINE_SECRET
 */
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { startApp } from '../bot/app.js';
import { readConfig, type Config } from '../bot/config.js';
import { createLogger } from '../bot/logger.js';
import { startServer, type RunningServer } from '../bot/server.js';
import { LowdbStorage } from '../bot/storage/index.js';
import { EchoBot } from './echoBot.js';

async function start(kind: string, dataDir: string, port: number, secret: string): Promise<RunningServer> {
  // The load comes from one address at machine speed: the per-client limits (issue 11) would measure
  // themselves, not a turn, so they are lifted here for both bots alike.
  const limits: Partial<Config> = { directLineMessagesPerMinute: 1_000_000, directLineConversationsPerAddress: 1_000_000 };
  const config: Config = { ...readConfig({}), port, host: '127.0.0.1', logLevel: 'silent', dataDir, directLineSecret: secret, ...limits };
  const logger = createLogger('silent');
  if (kind === 'wmo') {
    return startApp(config, logger);
  }
  if (kind === 'echo' || kind === 'echo-dialogs') {
    const storage = new LowdbStorage(join(dataDir, 'state'), { logger });
    // The same embedded channel as the Wmo bot's, transcripts persisted included.
    const server = await startServer({ config, logger, bot: new EchoBot(storage, kind === 'echo-dialogs'), transcriptStorage: storage });
    return { ...server, close: () => server.close().then(() => storage.flush()) };
  }
  throw new Error(`unknown bot kind "${kind}" (wmo, echo or echo-dialogs)`);
}

/** Milliseconds spent in garbage collection so far (pauses on the main thread), for the figures. */
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });

const [kind = 'wmo', dataDir = '', port = '0', secret = ''] = process.argv.slice(2);
const server = await start(kind, dataDir, Number(port), secret);
process.send?.({ ready: server.url });
process.on('message', (message: { cmd: string; id: number }) => {
  const reply = (data: object) => process.send?.({ id: message.id, ...data });
  if (message.cmd === 'usage') {
    const { heapUsed } = process.memoryUsage();
    reply({ cpu: process.cpuUsage(), rss: process.memoryUsage.rss(), heapUsed, gcMs });
  } else if (message.cmd === 'gc') {
    (globalThis as { gc?: () => void }).gc?.();
    reply({ rss: process.memoryUsage.rss(), heapUsed: process.memoryUsage().heapUsed });
  } else if (message.cmd === 'stop') {
    void server.close().then(() => process.exit(0));
  }
});
