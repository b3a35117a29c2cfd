import { ActivityTypes, type Activity, type ChannelAccount, type TurnContext } from 'botbuilder';
import type { Logger } from '../logger.js';
import { DirectLineAdapter } from './adapter.js';
import { Conversation, ConversationStore, type ConversationLimits } from './conversations.js';
import { TokenIssuer } from './tokens.js';
import type { TranscriptStore } from './transcripts.js';

export const CHANNEL_ID = 'directline';
/** The longest text a resident can send in one message. */
export const MAX_TEXT_LENGTH = 4000;
/** The largest `value` a client may send with an activity (JSON characters); Web Chat's are tiny. */
export const MAX_VALUE_LENGTH = 4096;
/** How long a POST waits for the bot's turn before it answers anyway (replies still arrive later). */
const TURN_WAIT_MS = 15_000;
const SAFE_USER_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const ACCEPTED_TYPES = new Set<string>([ActivityTypes.Message, ActivityTypes.Event, ActivityTypes.Typing]);

export type BotLogic = (context: TurnContext) => Promise<void>;

/**
 * After a restart, what the bot says in a conversation whose turn was cut off: for example the
 * confirmation of a melding that was stored just before the process died.
 */
export type InterruptedTurnRecovery = (conversationId: string, since: Date) => Promise<string[]>;

export class BadActivityError extends Error {}

export interface DirectLineChannelOptions {
  tokens: TokenIssuer;
  limits?: Partial<ConversationLimits>;
  bot: { id: string; name: string };
  logic: BotLogic;
  logger: Logger;
  /** Where conversations are persisted; without it they live in memory only. */
  transcripts?: TranscriptStore;
  recover?: InterruptedTurnRecovery;
}

/**
 * An embedded Direct Line 3.0 channel: conversations, the user's activities echoed back with
 * their ids, the bot's replies, watermarks. HTTP and WebSocket plumbing live in routes.ts.
 */
export class DirectLineChannel {
  readonly store: ConversationStore;
  readonly tokens: TokenIssuer;
  readonly adapter: DirectLineAdapter;
  private readonly botAccount: ChannelAccount;
  /** The serviceUrl the bot sees on incoming activities; set once the server knows its address. */
  serviceUrl = '';

  constructor(private readonly options: DirectLineChannelOptions) {
    this.tokens = options.tokens;
    this.store = new ConversationStore(options.limits);
    this.botAccount = { id: options.bot.id, name: options.bot.name, role: 'bot' };
    this.adapter = new DirectLineAdapter((activity) => {
      const conversation = this.store.get(activity.conversation?.id ?? '');
      if (!conversation) throw new Error('The conversation has expired.');
      const stored = conversation.append({ ...activity, from: this.botAccount, channelId: CHANNEL_ID });
      return { id: stored.id ?? '' };
    });
  }

  /**
   * Start a conversation, or pick up one a valid token names: from memory, else from storage
   * (after a restart, or when another instance served it), else afresh under that id.
   */
  async open(conversationId?: string, userId?: string, address?: string): Promise<{ conversation: Conversation; created: boolean }> {
    const existing = conversationId ? (this.store.get(conversationId) ?? (await this.restore(conversationId, address))) : undefined;
    const conversation = existing ?? this.store.create(conversationId, address);
    if (userId && !conversation.userId) {
      conversation.userId = userId;
      this.announceUser(conversation);
    }
    // Persisted from its first activity on; an empty conversation is not worth a write.
    return { conversation, created: !existing };
  }

  private restoring = new Map<string, Promise<Conversation | undefined>>();

  /** Load a persisted conversation once, even when several requests for it arrive together. */
  private restore(conversationId: string, address?: string): Promise<Conversation | undefined> {
    const transcripts = this.options.transcripts;
    if (!transcripts) return Promise.resolve(undefined);
    let loading = this.restoring.get(conversationId);
    if (!loading) {
      loading = transcripts
        .load(conversationId)
        .then(async (record) => {
          if (!record) return undefined;
          const conversation = this.store.get(conversationId) ?? this.store.create(conversationId, address);
          conversation.restore(record);
          if (conversation.pending) await this.recoverInterruptedTurn(conversation, conversation.pending.at);
          return conversation;
        })
        .catch((error: unknown) => {
          this.options.logger.error({ err: error, conversation: conversationId }, 'Direct Line conversation could not be restored');
          return undefined;
        })
        .finally(() => this.restoring.delete(conversationId));
      this.restoring.set(conversationId, loading);
    }
    return loading;
  }

  /** The process stopped during a turn: tell the resident what became of their last message. */
  private async recoverInterruptedTurn(conversation: Conversation, since: number): Promise<void> {
    conversation.pending = undefined;
    const texts = (await this.options.recover?.(conversation.id, new Date(since)).catch((error: unknown) => {
      this.options.logger.error({ err: error, conversation: conversation.id }, 'Interrupted turn could not be looked up');
      return undefined;
    })) ?? [];
    for (const text of texts) {
      conversation.append({ type: ActivityTypes.Message, text, from: this.botAccount, recipient: conversation.userId ? { id: conversation.userId, name: '', role: 'user' } : undefined, channelId: CHANNEL_ID });
    }
    this.options.logger.info({ conversation: conversation.id, messages: texts.length }, 'Direct Line turn was interrupted by a restart; resident told');
    await this.persist(conversation);
  }

  private persist(conversation: Conversation): Promise<void> {
    return this.options.transcripts?.save(conversation) ?? Promise.resolve();
  }

  /**
   * Accept an activity from the client: check it, echo it into the conversation (with the
   * client's clientActivityID, as Web Chat expects), then let the bot take its turn.
   */
  async receive(conversation: Conversation, input: unknown): Promise<string> {
    const activity = this.toUserActivity(conversation, input);
    const stored = conversation.append(activity);
    if (activity.type === ActivityTypes.Message) conversation.hasMessage = true;
    this.announceUser(conversation);
    // Persisted with a "turn running" mark before the bot acts on a message, so a restart knows
    // it was cut off (a melding may have been stored). Events and typing are persisted after their turn.
    if (activity.type === ActivityTypes.Message) {
      conversation.pending = { id: stored.id ?? '', at: conversation.pending?.at ?? Date.now() };
      await this.persist(conversation);
    }
    // The bot pipeline mutates what it gets; history keeps what the channel stored.
    const turn = this.enqueueTurn(conversation, { ...stored } as Activity);
    await Promise.race([turn, new Promise((resolve) => setTimeout(resolve, TURN_WAIT_MS).unref())]);
    return stored.id ?? '';
  }

  private toUserActivity(conversation: Conversation, input: unknown): Partial<Activity> {
    if (!input || typeof input !== 'object' || Array.isArray(input)) {
      throw new BadActivityError('The body must be a JSON object (an activity).');
    }
    const raw = input as Record<string, unknown>;
    if (typeof raw.type !== 'string' || !ACCEPTED_TYPES.has(raw.type)) {
      throw new BadActivityError(`Activity type must be one of: ${[...ACCEPTED_TYPES].join(', ')}.`);
    }
    if (raw.text !== undefined && typeof raw.text !== 'string') {
      throw new BadActivityError('Activity text must be a string.');
    }
    const text = raw.text === undefined ? undefined : cleanMessageText(raw.text);
    if (raw.type === ActivityTypes.Event && typeof raw.name !== 'string') {
      throw new BadActivityError('An event activity needs a name.');
    }
    const value = raw.value === undefined ? undefined : JSON.stringify(raw.value);
    if (value !== undefined && value.length > MAX_VALUE_LENGTH) {
      throw new BadActivityError(`The activity's value is too large: at most ${MAX_VALUE_LENGTH} characters of JSON.`);
    }
    const from = raw.from as Partial<ChannelAccount> | undefined;
    const fromId = safeUserId(from?.id);
    conversation.userId ??= fromId ?? `dl_${conversation.id.slice(0, 12)}`;
    return {
      type: raw.type,
      text,
      name: typeof raw.name === 'string' ? raw.name.slice(0, 200) : undefined,
      // A copy of the value as JSON: no class instances, no shared references, exactly what was measured.
      value: value === undefined ? undefined : (JSON.parse(value) as unknown),
      locale: typeof raw.locale === 'string' ? raw.locale.slice(0, 20) : undefined,
      textFormat: raw.textFormat === 'plain' || raw.textFormat === 'markdown' ? raw.textFormat : undefined,
      // Only what Web Chat needs back to match its echo; entities and attachments are not stored
      // (uploads are refused, and the bot reads neither from residents).
      channelData: clientChannelData(raw.channelData),
      from: { id: conversation.userId, name: typeof from?.name === 'string' ? from.name.slice(0, 100) : '', role: 'user' },
      recipient: this.botAccount,
      channelId: CHANNEL_ID,
      serviceUrl: this.serviceUrl,
    };
  }

  /** Tell the bot once that the user joined, so the welcome fires before the first answer. */
  private announceUser(conversation: Conversation): void {
    if (conversation.userAnnounced || !conversation.userId) return;
    conversation.userAnnounced = true;
    const update: Partial<Activity> = {
      type: ActivityTypes.ConversationUpdate,
      id: `${conversation.id}|join`,
      timestamp: new Date(),
      channelId: CHANNEL_ID,
      serviceUrl: this.serviceUrl,
      conversation: { id: conversation.id } as Activity['conversation'],
      from: { id: conversation.userId, name: '', role: 'user' },
      recipient: this.botAccount,
      membersAdded: [this.botAccount, { id: conversation.userId, name: '', role: 'user' }],
    };
    void this.enqueueTurn(conversation, update as Activity);
  }

  private enqueueTurn(conversation: Conversation, activity: Activity): Promise<void> {
    const turn = conversation.queue.then(async () => {
      await this.adapter.processActivityDirect('', activity, this.options.logic).catch((error: unknown) => {
        this.options.logger.error({ err: error, conversation: conversation.id }, 'Direct Line turn failed');
      });
      if (conversation.pending?.id === activity.id) conversation.pending = undefined;
      // Not awaited: the resident's POST need not wait for the disk; writes of a busy conversation coalesce.
      void this.persist(conversation);
    });
    conversation.queue = turn;
    return turn;
  }

  /**
   * "Verwijder mijn gegevens": drop the activities kept of this conversation, in memory and in
   * storage, and persist nothing more of it. What the resident's screen shows stays there.
   */
  async forgetTranscript(conversationId: string): Promise<void> {
    const conversation = this.store.get(conversationId);
    if (conversation) {
      conversation.erased = true;
      conversation.forget();
    }
    await this.options.transcripts?.forget(conversationId);
  }

  /** Stop streams and wait for running turns (on shutdown). */
  async close(): Promise<void> {
    this.store.closeAll();
    await this.store.drain();
    await this.options.transcripts?.flush();
  }
}

/** Well-formed unicode (no lone surrogates), NFC, no control characters but newline and tab. */
export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.toWellFormed().normalize('NFC').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '');
}

/**
 * A resident's message text as every channel into the bot takes it (the embedded Direct Line and
 * /api/messages): cleaned, and refused when longer than MAX_TEXT_LENGTH.
 */
export function cleanMessageText(text: string): string {
  const clean = cleanText(text);
  if (clean.length > MAX_TEXT_LENGTH) throw new BadActivityError(`The message is too long: at most ${MAX_TEXT_LENGTH} characters.`);
  return clean;
}

/** Web Chat matches its echo by clientActivityID; nothing else from the client's channelData is kept. */
function clientChannelData(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const kept: Record<string, string> = {};
  for (const name of ['clientActivityID', 'clientTimestamp']) {
    if (typeof value[name] === 'string') kept[name] = value[name].slice(0, 100);
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/**
 * A client-chosen user id ends up in storage keys and logs: accept only plain ids, never for
 * example an e-mail address. Anything else is replaced by an id the channel makes.
 */
export function safeUserId(value: unknown): string | undefined {
  return typeof value === 'string' && SAFE_USER_ID.test(value) ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
