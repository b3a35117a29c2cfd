import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';

/** Something listening on a conversation's stream (a WebSocket). */
export interface StreamListener {
  send(activities: Partial<Activity>[], watermark: string): void;
  close(): void;
}

/** How many activities a conversation keeps for polling and reconnects; older ones are dropped. */
const HISTORY_LIMIT = 200;

export class Conversation {
  readonly createdAt = Date.now();
  lastUsedAt = Date.now();
  userId?: string;
  /** Whether the bot was told that the user joined (conversationUpdate with membersAdded). */
  userAnnounced = false;
  readonly listeners = new Set<StreamListener>();
  /** Turns run one after another, so two messages never race on the same state. */
  queue: Promise<void> = Promise.resolve();
  private history: Partial<Activity>[] = [];
  /** Sequence number of the newest activity; the watermark clients resume from. */
  private sequence = 0;

  constructor(readonly id: string) {}

  get watermark(): string {
    return String(this.sequence);
  }

  /** Store an activity, give it an id and a timestamp, and push it to every open stream. */
  append(activity: Partial<Activity>): Partial<Activity> {
    this.sequence += 1;
    const stored: Partial<Activity> = {
      ...activity,
      id: `${this.id}|${String(this.sequence).padStart(7, '0')}`,
      timestamp: new Date(),
      conversation: { id: this.id } as Activity['conversation'],
    };
    this.history.push(stored);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    this.lastUsedAt = Date.now();
    for (const listener of this.listeners) listener.send([stored], this.watermark);
    return stored;
  }

  /** Activities after a watermark (all kept activities when it is missing or unreadable). */
  since(watermark?: string): Partial<Activity>[] {
    const after = Number(watermark);
    if (!watermark || !Number.isInteger(after) || after < 0) return [...this.history];
    return this.history.filter((activity) => sequenceOf(activity) > after);
  }
}

function sequenceOf(activity: Partial<Activity>): number {
  return Number(String(activity.id).split('|').pop());
}

/** The embedded channel's conversations, in memory, dropped after a period of idleness. */
export class ConversationStore {
  private readonly conversations = new Map<string, Conversation>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly idleMs: number,
    readonly maxConversations = 10_000,
  ) {
    this.sweeper = setInterval(() => this.expireIdle(), Math.min(idleMs, 60_000));
    this.sweeper.unref();
  }

  get size(): number {
    return this.conversations.size;
  }

  create(id = newConversationId()): Conversation {
    const conversation = new Conversation(id);
    this.conversations.set(id, conversation);
    return conversation;
  }

  get(id: string): Conversation | undefined {
    return this.conversations.get(id);
  }

  get full(): boolean {
    return this.conversations.size >= this.maxConversations;
  }

  expireIdle(now = Date.now()): number {
    let expired = 0;
    for (const [id, conversation] of this.conversations) {
      if (now - conversation.lastUsedAt > this.idleMs && conversation.listeners.size === 0) {
        this.conversations.delete(id);
        expired += 1;
      }
    }
    return expired;
  }

  /** Close every stream (on shutdown). */
  closeAll(): void {
    clearInterval(this.sweeper);
    for (const conversation of this.conversations.values()) {
      for (const listener of conversation.listeners) listener.close();
      conversation.listeners.clear();
    }
  }

  /** Wait for every running turn (on shutdown). */
  async drain(): Promise<void> {
    await Promise.all([...this.conversations.values()].map((conversation) => conversation.queue));
  }
}

export function newConversationId(): string {
  return randomBytes(16).toString('base64url');
}
