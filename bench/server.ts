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
import { ActivityHandler, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, DialogSet, DialogTurnStatus, type DialogContext, type DialogState } from 'botbuilder-dialogs';
import { startApp } from '../bot/app.js';
import { readConfig, type Config } from '../bot/config.js';
import { createLogger } from '../bot/logger.js';
import { startServer, type RunningServer } from '../bot/server.js';
import { ETagConversationState, LowdbStorage, RedactingStorage } from '../bot/storage/index.js';

/** The reference: replies with what it got and keeps a count in conversation state, through the same storage stack. */
class EchoBot extends ActivityHandler {
  private readonly state: ETagConversationState;

  constructor(storage: LowdbStorage, throughDialogs = false) {
    super();
    this.state = new ETagConversationState(new RedactingStorage(storage));
    this.onMembersAdded(async (context, next) => {
      if ((context.activity.membersAdded ?? []).some((m) => m.id !== context.activity.recipient.id)) {
        await context.sendActivity('Welkom bij de echo.');
      }
      await next();
    });
    if (throughDialogs) {
      const dialogState = this.state.createProperty<DialogState>('dialogState');
      this.onMessage((context, next) => EchoDialog.run(context, dialogState).then(next));
      return;
    }
    const count = this.state.createProperty<number>('count');
    const last = this.state.createProperty<string>('last');
    this.onMessage(async (context, next) => {
      const n = (await count.get(context, 0)) + 1;
      await count.set(context, n);
      await last.set(context, context.activity.text ?? '');
      await context.sendActivity(`echo ${n}: ${context.activity.text ?? ''}`);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    try {
      await super.run(context);
    } finally {
      await this.state.saveChanges(context);
    }
  }
}

/** The echo as a dialog, run as MainDialog.run runs the router: a DialogSet, a context, continue or begin. */
class EchoDialog extends ComponentDialog {
  private static readonly dialog = new EchoDialog();

  private constructor() {
    super('echo');
  }

  static async run(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>): Promise<void> {
    const set = new DialogSet(dialogState);
    set.add(EchoDialog.dialog);
    const dc = await set.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(EchoDialog.dialog.id);
  }

  protected override onBeginDialog(innerDc: DialogContext) {
    return this.onContinueDialog(innerDc);
  }

  protected override async onContinueDialog(innerDc: DialogContext) {
    await innerDc.context.sendActivity(`echo: ${innerDc.context.activity.text ?? ''}`);
    return Dialog.EndOfTurn;
  }
}

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
