/**
 * The bot's turn handling. Conversation state goes through RedactingStorage (nothing a
 * resident types reaches disk unredacted); meldingen and unanswered questions use the raw
 * storage with their own redaction, because a melding must keep the call-back contact the
 * resident gave. State is saved at the end of every turn, also when the turn failed halfway.
 */
import {
  ActivityHandler,
  ConversationState,
  type Storage,
  type TurnContext,
  type StatePropertyAccessor,
} from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { InsightRecorder } from './insight/recorder.js';
import { SavedAtStorage } from './retention/stamp.js';
import { ETagConflictError, ETagConversationState, RedactingStorage } from './storage/index.js';
import { loadContent, type Content } from '../dialogs/content.js';
import type { ConversationData } from '../dialogs/flows/flowBase.js';
import { MainDialog } from '../dialogs/mainDialog.js';
import { conversationForgotten } from '../dialogs/turn/handlers/erasure.js';
import type { Melding, MeldingStore } from '../dialogs/meldingen.js';
import { ObservedMeldingStore } from './klantinteracties/meldingen.js';
import type { LoggerView } from '../dialogs/ports.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { ResidentDataEraser } from '../knowledge/privacy/erasure.js';
import type { TopicRouter } from '../knowledge/understanding/index.js';
import { flushPrefaces, setReplyTopic, stampReplies } from '../dialogs/replies.js';
import type { UnansweredStore } from '../dialogs/unanswered.js';
import { setHandoffPort } from '../dialogs/handoffPort.js';
import type { HandoffService } from './handoff/service.js';

/** What the bot is built from (bot/app.ts wires the real ones). */
export interface BotDeps {
  storage: Storage;
  kb: KnowledgeBase;
  router: TopicRouter;
  logger?: LoggerView;
  /** Told of every stored melding (to record it in the municipality's Klantinteracties API). */
  onMelding?: (melding: Melding) => Promise<void>;
  /** "Verwijder mijn gegevens" (bot/app.ts passes ResidentDataDeletion over the same storage). */
  eraser?: ResidentDataEraser;
  /** The handoff to loket staff; without it the medewerker flow gives the loket's contact. */
  handoff?: HandoffService;
  /** Handles every Microsoft Teams turn (consultants), e.g. bot/teams WmoTeamsBot. */
  teams?: { run(context: TurnContext): Promise<void> };
}

/** Extras for tests and tools: another content folder, a fixed clock. */
export interface BotOptions {
  content?: Content;
  now?: () => Date;
  /** Write the dashboard's counters in batches this often instead of once per turn (bot/app.ts sets it). */
  insightFlushMs?: number;
}

// Kept importable from here for existing callers; it lives with the storage layer.
export { ETagConversationState } from './storage/index.js';

export class WmoBot extends ActivityHandler {
  readonly conversationState: ConversationState;
  readonly meldingen: MeldingStore;
  readonly unanswered: UnansweredStore;
  /** Counters per conversation for the beheerder's dashboard (bot/insight). */
  readonly insight: InsightRecorder;
  private readonly content: Content;
  private readonly dialog: MainDialog;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly conversationData: StatePropertyAccessor<ConversationData>;

  constructor(
    private readonly deps: BotDeps,
    options: BotOptions = {},
  ) {
    super();
    const now = options.now ?? (() => new Date());
    this.content = options.content ?? loadContent();
    // Redacted, and stamped with the time of writing so the retention purge can find old state.
    const stateStorage = new RedactingStorage(new SavedAtStorage(deps.storage, now));
    this.conversationState = new ETagConversationState(stateStorage);
    this.dialogState = this.conversationState.createProperty<DialogState>('dialogState');
    this.conversationData = this.conversationState.createProperty<ConversationData>('wmo');
    this.meldingen = new ObservedMeldingStore(deps.storage, { medicalTerms: this.content.melding.medicalTerms, now }, deps.onMelding);
    this.insight = new InsightRecorder(deps.storage, () => deps.kb, now, deps.logger, options.insightFlushMs);
    this.unanswered = this.insight.unansweredStore();
    this.dialog = new MainDialog({
      kb: deps.kb,
      router: deps.router,
      content: this.content,
      conversationData: this.conversationData,
      meldingen: this.meldingen,
      unanswered: this.unanswered,
      eraser: deps.eraser,
      now,
      logger: deps.logger,
    });

    this.onConversationUpdate(async (context, next) => {
      await this.rememberGemeente(context, context.activity.value);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const user = (context.activity.membersAdded ?? []).some((m) => m.id !== context.activity.recipient.id);
      if (user) {
        setReplyTopic(context, 'groet', 1);
        await this.dialog.sendMenu(context, this.content.general.welcome.join('\n\n'));
      }
      await next();
    });

    this.onEvent(async (context, next) => {
      if (context.activity.name === 'webchat/join') await this.rememberGemeente(context, context.activity.value);
      await deps.handoff?.onHandoffStatus(context); // HANDOFF_TARGET=event: the agent hub's handoff.status
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.dialog.run(context, this.dialogState);
      await next();
    });

    this.onTyping(async (context, next) => {
      await deps.handoff?.relayTyping(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    if (context.activity.channelId === 'msteams' && this.deps.teams) return this.deps.teams.run(context);
    stampReplies(context, { topic: 'buiten-bereik', confidence: 0 });
    setHandoffPort(context, this.deps.handoff);
    const recordInsight = this.insight.watch(context, async () => (await this.conversationData.get(context, {})).gemeente);
    try {
      await super.run(context);
      await flushPrefaces(context);
    } catch (error) {
      // Never a dead end: forget the broken dialog step so the next message starts fresh.
      this.deps.logger?.error({ err: (error as Error).message, activityType: context.activity.type }, 'turn failed');
      await this.dialogState.delete(context);
      if (context.activity.type === 'message') await context.sendActivity(this.content.general.texts.error);
    } finally {
      await this.saveState(context);
      // An erased conversation leaves no counters either (the eraser removed the stored ones, this drops the batched ones).
      if (!conversationForgotten(context)) await recordInsight();
      else await this.insight.forget(context.activity.conversation.id);
    }
  }

  private async saveState(context: TurnContext): Promise<void> {
    // The resident had this conversation erased: drop the turn's copy instead of writing it back.
    if (conversationForgotten(context)) return this.conversationState.delete(context);
    try {
      await this.conversationState.saveChanges(context, false);
    } catch (error) {
      // Another turn of this conversation saved first: its state stands, this turn's is dropped.
      if (!(error instanceof ETagConflictError)) throw error;
      this.deps.logger?.warn({ conversation: context.activity.conversation?.id }, 'conversation state changed meanwhile; this turn was not saved');
    }
  }

  /** A municipality passed by the embedding page (`{ gemeente: "GM0406" }`), if it is one we know. */
  private async rememberGemeente(context: TurnContext, value: unknown): Promise<void> {
    const code = (value as { gemeente?: unknown } | undefined)?.gemeente;
    if (typeof code !== 'string' || !this.deps.kb.municipality(code)) {
      if (code !== undefined) this.deps.logger?.warn({ gemeente: String(code).slice(0, 10) }, 'unknown gemeente from the page');
      return;
    }
    const data = await this.conversationData.get(context, {});
    data.gemeente = code;
  }
}
