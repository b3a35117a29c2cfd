import { ActivityTypes, type Activity, type ChannelAccount, type ResourceResponse, type TurnContext } from 'botbuilder';
import type { Logger } from '../logger.js';
import { DirectLineAdapter } from './adapter.js';
import { Conversation, ConversationStore, type ConversationLimits } from './conversations.js';
import { SharedConversations } from './shared.js';
import { TokenIssuer } from './tokens.js';
import type { TranscriptStore } from './transcripts.js';

export const CHANNEL_ID = 'directline';
/** The longest text a resident can send in one message. */
export const MAX_TEXT_LENGTH = 4000;
/** The largest `value` a client may send with an activity (JSON characters); Web Chat's are tiny. */
export const MAX_VALUE_LENGTH = 4096;
/** How long a POST waits for the bot's turn before it answers anyway (replies still arrive later). */
const TURN_WAIT_MS = 15_000;
/** On shared storage: a turn marked running for longer than this was cut off (its instance stopped). */
const STALE_TURN_MS = 2 * 60_000;
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
  /**
   * The transcripts' storage is shared with other instances (STORAGE=blobs): the stored record
   * is the truth (shared.ts), and open streams look for what others wrote every `pollMs`.
   */
  shared?: { pollMs: number };
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
  /** Set when the storage is shared with other instances. */
  private readonly shared?: SharedConversations;
  private readonly poller?: NodeJS.Timeout;

  constructor(private readonly options: DirectLineChannelOptions) {
    this.tokens = options.tokens;
    this.store = new ConversationStore(options.limits);
    this.botAccount = { id: options.bot.id, name: options.bot.name, role: 'bot' };
    this.adapter = new DirectLineAdapter((activities) => this.fromBot(activities.map((activity) => ({ ...activity, from: this.botAccount, channelId: CHANNEL_ID }))));
    if (options.shared && options.transcripts) {
      const shared = new SharedConversations(options.transcripts, options.shared.pollMs / 4);
      this.shared = shared;
      // What another instance wrote (a reply, an employee's message) reaches the streams open here.
      this.poller = setInterval(() => {
        for (const conversation of this.store.streaming()) {
          shared.refresh(conversation).catch((error: unknown) => this.options.logger.warn({ err: error, conversation: conversation.id }, 'Direct Line conversation could not be refreshed'));
        }
      }, options.shared.pollMs);
      this.poller.unref();
    }
  }

  /** A bot's activities of one conversation (a turn's replies, or a proactive message such as an employee's) into it, in order. */
  private fromBot(activities: Partial<Activity>[]): ResourceResponse[] | Promise<ResourceResponse[]> {
    const id = activities[0]?.conversation?.id ?? '';
    if (this.shared) return this.fromBotShared(this.shared, id, activities);
    const conversation = this.store.get(id);
    if (!conversation) throw new Error('The conversation has expired.');
    return conversation.appendAll(activities).map((stored) => ({ id: stored.id ?? '' }));
  }

  /** On shared storage the resident may be on another instance: each activity goes into the stored record, where it looks. */
  private async fromBotShared(shared: SharedConversations, id: string, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const conversation = this.store.get(id) ?? (await this.restore(id));
    if (!conversation) throw new Error('The conversation has expired.');
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === ActivityTypes.Typing) responses.push({ id: conversation.pass(activity).id ?? '' });
      else responses.push({ id: (await shared.commit(conversation, { activity })).stored?.id ?? '' });
    }
    return responses;
  }

  /**
   * Start a conversation, or pick up one a valid token names: from memory, else from storage
   * (after a restart, or when another instance served it), else afresh under that id.
   */
  async open(conversationId?: string, userId?: string, address?: string): Promise<{ conversation: Conversation; created: boolean }> {
    if (this.shared) return this.openShared(this.shared, conversationId, userId, address);
    const existing = conversationId ? (this.store.get(conversationId) ?? (await this.restore(conversationId, address))) : undefined;
    const conversation = existing ?? this.store.create(conversationId, address);
    if (userId && !conversation.userId) {
      conversation.userId = userId;
      this.announceUser(conversation);
    }
    // Persisted from its first activity on; an empty conversation is not worth a write.
    return { conversation, created: !existing };
  }

  /**
   * On shared storage: catch up with the stored record (another instance may have served the
   * last request), or create it at once, so the token's next request can go to any instance.
   */
  private async openShared(shared: SharedConversations, conversationId?: string, userId?: string, address?: string): Promise<{ conversation: Conversation; created: boolean }> {
    let conversation = conversationId ? this.store.get(conversationId) : undefined;
    if (conversation) await shared.refresh(conversation);
    else if (conversationId) conversation = await this.restore(conversationId, address);
    const created = !conversation;
    if (!conversation) {
      conversation = this.store.create(conversationId, address);
      await shared.commit(conversation, { fields: () => ({}) });
    }
    if (conversation.pending && Date.now() - conversation.pending.at > STALE_TURN_MS) await this.recoverStaleTurn(shared, conversation, conversation.pending);
    if (userId && !conversation.userId) {
      await shared.commit(conversation, { fields: (current) => (current.userId ? undefined : { userId }) });
      await this.announceShared(shared, conversation);
    }
    return { conversation, created };
  }

  /**
   * On shared storage: a turn marked running long ago was cut off when its instance stopped.
   * The instance that clears the mark (by eTag, so only one) tells the resident what became of it.
   */
  private async recoverStaleTurn(shared: SharedConversations, conversation: Conversation, pending: { id: string; at: number }): Promise<void> {
    const { written } = await shared.commit(conversation, { fields: (current) => (current.pending?.id === pending.id ? { pending: undefined } : undefined) });
    if (!written) return;
    const texts = (await this.options.recover?.(conversation.id, new Date(pending.at)).catch((error: unknown) => {
      this.options.logger.error({ err: error, conversation: conversation.id }, 'Interrupted turn could not be looked up');
      return undefined;
    })) ?? [];
    const recipient = conversation.userId ? { id: conversation.userId, name: '', role: 'user' } : undefined;
    for (const text of texts) await shared.commit(conversation, { activity: { type: ActivityTypes.Message, text, from: this.botAccount, recipient, channelId: CHANNEL_ID } });
    this.options.logger.info({ conversation: conversation.id, messages: texts.length }, 'Direct Line turn was interrupted on a stopped instance; resident told');
  }

  /**
   * A conversation that exists, for the Direct Line secret's holder (who may not create one by
   * naming it): in memory, or on shared storage where another instance started it.
   */
  async find(conversationId: string): Promise<Conversation | undefined> {
    const conversation = this.store.get(conversationId);
    if (!this.shared) return conversation;
    if (conversation) await this.shared.refresh(conversation);
    return conversation ?? (await this.restore(conversationId));
  }

  private restoring = new Map<string, Promise<Conversation | undefined>>();

  /** Load a persisted conversation once, even when several requests for it arrive together. */
  private restore(conversationId: string, address?: string): Promise<Conversation | undefined> {
    const transcripts = this.options.transcripts;
    if (!transcripts) return Promise.resolve(undefined);
    let loading = this.restoring.get(conversationId);
    if (!loading) {
      const shared = this.shared;
      loading = shared
        ? // Shared: a failed read fails the request; going on afresh would overwrite the stored transcript.
          shared.read(conversationId).then((found) => {
            if (!found) return undefined;
            const conversation = this.store.get(conversationId) ?? this.store.create(conversationId, address);
            shared.adopt(conversation, found);
            return conversation;
          })
        : transcripts
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
            });
      loading = loading.finally(() => this.restoring.delete(conversationId));
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

  /** One instance: save the conversation as it is now (on shared storage every change is written as it happens). */
  private persist(conversation: Conversation): Promise<void> {
    if (this.shared) return Promise.resolve();
    return this.options.transcripts?.save(conversation) ?? Promise.resolve();
  }

  /**
   * Accept an activity from the client: check it, echo it into the conversation (with the
   * client's clientActivityID, as Web Chat expects), then let the bot take its turn.
   */
  async receive(conversation: Conversation, input: unknown): Promise<string> {
    const activity = this.toUserActivity(conversation, input);
    if (this.shared) return this.receiveShared(this.shared, conversation, activity);
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

  /**
   * receive() on shared storage: the echo, the message mark and the user id in one write, then
   * the turn. Typing is shown on this instance's streams only (not worth a shared write).
   */
  private async receiveShared(shared: SharedConversations, conversation: Conversation, activity: Partial<Activity>): Promise<string> {
    let stored: Partial<Activity> | undefined;
    if (activity.type === ActivityTypes.Typing) stored = conversation.pass(activity);
    else {
      const message = activity.type === ActivityTypes.Message;
      ({ stored } = await shared.commit(conversation, {
        activity,
        fields: (current, echo) => ({ userId: current.userId, ...(message ? { hasMessage: true, pending: { id: echo?.id ?? '', at: current.pending?.at ?? Date.now() } } : {}) }),
      }));
    }
    await this.announceShared(shared, conversation);
    const turn = this.enqueueTurn(conversation, { ...stored } as Activity);
    await Promise.race([turn, new Promise((resolve) => setTimeout(resolve, TURN_WAIT_MS).unref())]);
    return stored?.id ?? '';
  }

  /** announceUser on shared storage: only the instance that marks it (by eTag) tells the bot, so the welcome comes once. */
  private async announceShared(shared: SharedConversations, conversation: Conversation): Promise<void> {
    if (conversation.userAnnounced || !conversation.userId) return;
    const { written } = await shared.commit(conversation, { fields: (current) => (current.userAnnounced ? undefined : { userAnnounced: true, userId: current.userId }) });
    if (written) this.enqueueJoin(conversation);
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
    this.enqueueJoin(conversation);
  }

  private enqueueJoin(conversation: Conversation): void {
    const update: Partial<Activity> = {
      type: ActivityTypes.ConversationUpdate,
      id: `${conversation.id}|join`,
      timestamp: new Date(),
      channelId: CHANNEL_ID,
      serviceUrl: this.serviceUrl,
      conversation: { id: conversation.id } as Activity['conversation'],
      from: { id: conversation.userId ?? '', name: '', role: 'user' },
      recipient: this.botAccount,
      membersAdded: [this.botAccount, { id: conversation.userId ?? '', name: '', role: 'user' }],
    };
    void this.enqueueTurn(conversation, update as Activity);
  }

  private enqueueTurn(conversation: Conversation, activity: Activity): Promise<void> {
    const turn = conversation.queue.then(async () => {
      await this.adapter.processActivityDirect('', activity, this.options.logic).catch((error: unknown) => {
        this.options.logger.error({ err: error, conversation: conversation.id }, 'Direct Line turn failed');
      });
      if (this.shared) {
        if (conversation.pending?.id === activity.id) void this.shared.commit(conversation, { fields: (current) => (current.pending?.id === activity.id ? { pending: undefined } : undefined) }).catch((error: unknown) => this.options.logger.error({ err: error, conversation: conversation.id }, 'Direct Line turn mark could not be cleared'));
        return;
      }
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
    // Shared: an empty tombstone instead of nothing, or another instance would write it anew.
    if (conversation && this.shared) return this.shared.erase(conversation);
    conversation?.erase();
    await this.options.transcripts?.forget(conversationId);
  }

  /** Stop streams and wait for running turns (on shutdown). */
  async close(): Promise<void> {
    clearInterval(this.poller);
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
