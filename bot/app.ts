import { fill, loadContent, type Content } from '../dialogs/content.js';
import { MeldingStore, type Melding } from '../dialogs/meldingen.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { ConfigError, type Config } from './config.js';
import { CHANNEL_ID, type InterruptedTurnRecovery } from './directline/channel.js';
import { createContactRegistry, KlantinteractiesConfigError, meldingObserver, type ContactRegistry } from './klantinteracties/index.js';
import { createInsight, LiveKnowledge, type Insight } from './insight/index.js';
import { mountKnowledgeApi } from './knowledgeApi.js';
import type { Logger } from './logger.js';
import { ResidentDataDeletion } from './retention/erasure.js';
import { startRetention } from './retention/schedule.js';
import { startServer, type RunningServer } from './server.js';
import { createStorage, type ServiceStorage } from './storage/index.js';
import { ReviewStore } from './review/store.js';
import { HandoffEscalationDesk, TeamsStore, WmoTeamsBot, type EscalationDesk } from './teams/index.js';
import { WmoBot } from './wmoBot.js';
import { mountConsole, type ConsoleHandle } from './console/api.js';
import { HandoffService } from './handoff/service.js';
import type { HandoffCase, HandoffEvent } from './handoff/types.js';
import { handoffRecorders } from './klantinteracties/handoffs.js';
import { StaffStore } from './staff/accounts.js';

/**
 * The dashboard's counters are written in batches this often rather than with an fsynced write per
 * message; a crash loses at most these seconds of counts (no text). The figures page writes them first.
 */
const INSIGHT_FLUSH_MS = 5_000;

/** The running service, with the parts tools and tests reach for; `contacts.outboxStatus()` is for the beheerder. */
export interface RunningApp extends RunningServer {
  handoff: HandoffService;
  staff: StaffStore;
  console: ConsoleHandle;
  contacts: ContactRegistry;
  /** The beheerder's figures and knowledge workbench, mounted beside the console. */
  insight: Insight;
}

/**
 * The composition root: build every part from the configuration and start serving. Invalid
 * knowledge data stops the start with the list of problems (loadKnowledgeBase throws).
 * `parts.desk` lets the Teams tests put a stand-in where the handoff service's desk goes.
 */
export async function startApp(config: Config, logger: Logger, parts: { desk?: EscalationDesk } = {}): Promise<RunningApp> {
  // Reloadable: an approved change in the knowledge workbench goes live without a restart.
  const live = await LiveKnowledge.load(config.knowledgeDir);
  const { kb, router } = live;
  const storage = createStorage(config, logger);
  // Files in DATA_DIR have one process; shared blob storage may have several instances.
  const shared = config.storage === 'blobs';
  const content = loadContent();
  const contacts = contactRegistry(config, kb.municipalities, storage, logger);
  const onMelding = meldingObserver(contacts, content.melding, logger);
  const staff = new StaffStore(storage);
  const handoff = new HandoffService({
    storage,
    staff,
    kb,
    router,
    content,
    logger,
    settings: {
      waitMinutes: config.handoffWaitMinutes,
      target: config.handoffTarget,
      staffIdleMinutes: config.staffIdleMinutes,
      sharedStorage: shared,
    },
    ...handoffRecorders(contacts, logger),
    // A Teams escalation channel for the municipality (or the region) staffs the chat too; Teams
    // needs the bot's app id to post there.
    staffedElsewhere: async (gemeente) => Boolean(config.microsoftAppId) && (await new TeamsStore(storage).routeFor(gemeente)) !== undefined,
  });
  await handoff.start();
  // The channel exists only once the server runs; the eraser reaches it then.
  const running: { channel?: RunningServer['channel'] } = {};
  const eraser = new ResidentDataDeletion(storage, async (ref) => {
    await handoff.forgetHistory(ref.conversationId);
    if (ref.channelId === CHANNEL_ID) await running.channel?.forgetTranscript(ref.conversationId);
  });
  // Teams for consultants: same storage and adapter; escalations come from the handoff service.
  const teams = new WmoTeamsBot({
    storage,
    kb,
    reviews: new ReviewStore(storage),
    desk: parts.desk ?? new HandoffEscalationDesk(handoff),
    appId: config.microsoftAppId,
    tenantIds: config.teamsTenantIds,
    weekdays: content.general.weekdays,
    logger,
  });
  const bot = new WmoBot({ storage, kb, router, logger, onMelding, eraser, handoff, teams }, { content, insightFlushMs: INSIGHT_FLUSH_MS });
  const insight = createInsight({ storage, live, upkeepDays: config.kbCheckDays, logger, counters: bot.insight.store });
  // The dashboard's handoff figures (requests, waits) follow the handoff's own queue events.
  handoff.events.on('event', (event: HandoffEvent) => {
    if (event.type !== 'queue') return;
    const key = `handoff/case/${event.handoffId}`;
    storage
      .read([key])
      .then((found) => (found[key] ? insight.recordHandoff(found[key] as unknown as HandoffCase) : undefined))
      .catch((err: unknown) => logger.warn({ err }, 'handoff not recorded for the figures'));
  });
  let loket: ConsoleHandle | undefined;
  const server = await startServer({
    config,
    logger,
    bot,
    routes: (restify) => {
      mountKnowledgeApi(restify, kb);
      loket = mountConsole(restify, {
        handoff,
        staff,
        storage,
        logger,
        idleMinutes: config.staffIdleMinutes,
        secureCookie: config.publicUrl?.startsWith('https:') ?? false,
        shared: shared ? { pollMs: config.sharedPollMs } : undefined,
      });
      insight.mount(restify, loket.authenticate);
    },
    // The embedded channel redacts what it persists itself, once per activity.
    transcriptStorage: storage,
    recover: meldingConfirmations(storage, kb, content),
  });
  running.channel = server.channel;
  // The handoff reaches residents through the adapters the server built (they exist only now).
  handoff.attach({ embedded: server.channel.adapter, connector: server.adapter, appId: config.microsoftAppId });
  teams.connect(server.adapter);
  const retention = startRetention(storage, config, logger);
  return {
    ...server,
    handoff,
    staff,
    console: loket!,
    insight,
    contacts,
    close: async () => {
      await retention.stop();
      await loket?.close();
      await handoff.stop();
      await teams.close();
      await server.close();
      await bot.insight.store.close(); // the counters batched since the last write
      await contacts.stop();
      await storage.flush();
    },
  };
}

function contactRegistry(config: Config, gemeenten: Array<{ code: string; name: string }>, storage: ServiceStorage, logger: Logger): ContactRegistry {
  try {
    return createContactRegistry({ config: config.klantinteracties, gemeenten, storage, logger });
  } catch (error) {
    throw error instanceof KlantinteractiesConfigError ? new ConfigError(error.message) : error;
  }
}

/**
 * A turn cut off by a restart may have stored a melding before the resident saw its number:
 * say it again (the same words as the melding flow). Otherwise the resident is asked to try again.
 */
function meldingConfirmations(storage: ServiceStorage, kb: KnowledgeBase, content: Content): InterruptedTurnRecovery {
  return async (conversationId, since) => {
    const stored = (await storage.list(MeldingStore.PREFIX))
      .map((entry) => entry.value as unknown as Melding)
      .filter((melding) => melding.conversationId === conversationId && Date.parse(melding.createdAt) >= since.getTime());
    if (stored.length === 0) return [content.general.texts.error];
    return stored.map((melding) =>
      fill(content.melding.texts.opgeslagen, { gemeente: kb.municipality(melding.gemeente)?.name ?? melding.gemeente, referentie: melding.reference }),
    );
  };
}
