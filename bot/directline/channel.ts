import { ActivityTypes, type Activity, type ChannelAccount, type TurnContext } from 'botbuilder';
import type { Logger } from '../logger.js';
import { DirectLineAdapter } from './adapter.js';
import { Conversation, ConversationStore } from './conversations.js';
import { TokenIssuer } from './tokens.js';

export const CHANNEL_ID = 'directline';
/** The longest text a resident can send in one message. */
export const MAX_TEXT_LENGTH = 4000;
/** How long a POST waits for the bot's turn before it answers anyway (replies still arrive later). */
const TURN_WAIT_MS = 15_000;
const SAFE_USER_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const ACCEPTED_TYPES = new Set<string>([ActivityTypes.Message, ActivityTypes.Event, ActivityTypes.Typing]);

export type BotLogic = (context: TurnContext) => Promise<void>;

export class BadActivityError extends Error {}

export interface DirectLineChannelOptions {
  tokens: TokenIssuer;
  idleMinutes: number;
  bot: { id: string; name: string };
  logic: BotLogic;
  logger: Logger;
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
    this.store = new ConversationStore(options.idleMinutes * 60_000);
    this.botAccount = { id: options.bot.id, name: options.bot.name, role: 'bot' };
    this.adapter = new DirectLineAdapter((activity) => {
      const conversation = this.store.get(activity.conversation?.id ?? '');
      if (!conversation) throw new Error('The conversation has expired.');
      const stored = conversation.append({ ...activity, from: this.botAccount, channelId: CHANNEL_ID });
      return { id: stored.id ?? '' };
    });
  }

  /** Start a conversation, or pick up one a valid token names (also after a restart). */
  open(conversationId?: string, userId?: string): { conversation: Conversation; created: boolean } {
    const existing = conversationId ? this.store.get(conversationId) : undefined;
    const conversation = existing ?? this.store.create(conversationId);
    conversation.lastUsedAt = Date.now();
    if (userId && !conversation.userId) {
      conversation.userId = userId;
      this.announceUser(conversation);
    }
    return { conversation, created: !existing };
  }

  /**
   * Accept an activity from the client: check it, echo it into the conversation (with the
   * client's clientActivityID, as Web Chat expects), then let the bot take its turn.
   */
  async receive(conversation: Conversation, input: unknown): Promise<string> {
    const activity = this.toUserActivity(conversation, input);
    const stored = conversation.append(activity);
    this.announceUser(conversation);
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
    const text = raw.text === undefined ? undefined : cleanText(raw.text);
    if (text !== undefined && text.length > MAX_TEXT_LENGTH) {
      throw new BadActivityError(`The message is too long: at most ${MAX_TEXT_LENGTH} characters.`);
    }
    if (raw.type === ActivityTypes.Event && typeof raw.name !== 'string') {
      throw new BadActivityError('An event activity needs a name.');
    }
    const from = raw.from as Partial<ChannelAccount> | undefined;
    const fromId = safeUserId(from?.id);
    conversation.userId ??= fromId ?? `dl_${conversation.id.slice(0, 12)}`;
    return {
      type: raw.type,
      text,
      name: typeof raw.name === 'string' ? raw.name.slice(0, 200) : undefined,
      value: raw.value,
      locale: typeof raw.locale === 'string' ? raw.locale.slice(0, 20) : undefined,
      textFormat: raw.textFormat === 'plain' || raw.textFormat === 'markdown' ? raw.textFormat : undefined,
      channelData: isObject(raw.channelData) ? raw.channelData : undefined,
      entities: Array.isArray(raw.entities) ? raw.entities : undefined,
      attachments: Array.isArray(raw.attachments) ? raw.attachments : undefined,
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
    const turn = conversation.queue.then(() =>
      this.adapter.processActivityDirect('', activity, this.options.logic).catch((error: unknown) => {
        this.options.logger.error({ err: error, conversation: conversation.id }, 'Direct Line turn failed');
      }),
    );
    conversation.queue = turn;
    return turn;
  }

  /** Stop streams and wait for running turns (on shutdown). */
  async close(): Promise<void> {
    this.store.closeAll();
    await this.store.drain();
  }
}

/** Well-formed unicode (no lone surrogates), NFC, no control characters but newline and tab. */
export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.toWellFormed().normalize('NFC').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '');
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
