/**
 * The bot's turn handling. Conversation and user state go through RedactingStorage (nothing a
 * resident types reaches disk unredacted); meldingen and unanswered questions use the raw
 * storage with their own redaction, because a melding must keep the call-back contact the
 * resident gave. State is saved at the end of every turn, also when the turn failed halfway.
 */
import {
  ActivityHandler,
  ConversationState,
  UserState,
  calculateChangeHash,
  type Storage,
  type StoreItem,
  type TurnContext,
  type StatePropertyAccessor,
} from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { ETagConflictError, RedactingStorage } from './storage/index.js';
import { loadContent, type Content } from '../dialogs/content.js';
import type { ConversationData } from '../dialogs/flows/flowBase.js';
import { MainDialog } from '../dialogs/mainDialog.js';
import { MeldingStore } from '../dialogs/meldingen.js';
import type { LoggerView } from '../dialogs/ports.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { TopicRouter } from '../knowledge/understanding/index.js';
import { flushPrefaces, setReplyTopic, stampReplies } from '../dialogs/replies.js';
import { UnansweredStore } from '../dialogs/unanswered.js';

/** As in notes/contracts.md. */
export interface BotDeps {
  storage: Storage;
  kb: KnowledgeBase;
  router: TopicRouter;
  logger?: LoggerView;
  /** Handles every Microsoft Teams turn (consultants), e.g. bot/teams WmoTeamsBot. */
  teams?: { run(context: TurnContext): Promise<void> };
}

/** Extras for tests and tools: another content folder, a fixed clock. */
export interface BotOptions {
  content?: Content;
  now?: () => Date;
}

/**
 * ConversationState that writes with the eTag it read. BotState always writes eTag '*', so a
 * turn that read old state would silently overwrite a newer one; here the storage refuses it.
 */
export class ETagConversationState extends ConversationState {
  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    // BotState keeps the turn's cached state under a private symbol; same data, no copy.
    const stateKey = (this as unknown as { stateKey: symbol }).stateKey;
    const cached = context.turnState.get(stateKey) as { state: StoreItem; hash: string } | undefined;
    if (!cached || (!force && cached.hash === calculateChangeHash(cached.state))) return;
    const key = await this.storageKey(context);
    await this.storage.write({ [key]: cached.state });
    // Learn the new eTag, so a second save in this turn is not refused by our own write.
    const fresh = (await this.storage.read([key]))[key];
    cached.state.eTag = fresh?.eTag;
    cached.hash = calculateChangeHash(cached.state);
  }
}

export class WmoBot extends ActivityHandler {
  readonly conversationState: ConversationState;
  readonly userState: UserState;
  readonly meldingen: MeldingStore;
  readonly unanswered: UnansweredStore;
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
    const stateStorage = new RedactingStorage(deps.storage);
    this.conversationState = new ETagConversationState(stateStorage);
    this.userState = new UserState(stateStorage);
    this.dialogState = this.conversationState.createProperty<DialogState>('dialogState');
    this.conversationData = this.conversationState.createProperty<ConversationData>('wmo');
    this.meldingen = new MeldingStore(deps.storage, { medicalTerms: this.content.melding.medicalTerms, now });
    this.unanswered = new UnansweredStore(deps.storage, now);
    this.dialog = new MainDialog({
      kb: deps.kb,
      router: deps.router,
      content: this.content,
      conversationData: this.conversationData,
      meldingen: this.meldingen,
      unanswered: this.unanswered,
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
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.dialog.run(context, this.dialogState);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    if (context.activity.channelId === 'msteams' && this.deps.teams) return this.deps.teams.run(context);
    stampReplies(context, { topic: 'buiten-bereik', confidence: 0 });
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
    }
  }

  private async saveState(context: TurnContext): Promise<void> {
    try {
      await this.conversationState.saveChanges(context, false);
    } catch (error) {
      // Another turn of this conversation saved first: its state stands, this turn's is dropped.
      if (!(error instanceof ETagConflictError)) throw error;
      this.deps.logger?.warn({ conversation: context.activity.conversation?.id }, 'conversation state changed meanwhile; this turn was not saved');
    }
    await this.userState.saveChanges(context, false);
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
