import { randomBytes } from 'node:crypto';
import { getHeapStatistics } from 'node:v8';
import type { Activity } from 'botbuilder';

/** Something listening on a conversation's stream (a WebSocket). */
export interface StreamListener {
  send(activities: Partial<Activity>[], watermark: string): void;
  close(): void;
}

/** What the store allows; every figure has a default a single small server can carry. */
export interface ConversationLimits {
  /** A conversation with messages is dropped from memory after this long without a new activity. */
  idleMs: number;
  /** A conversation that never received a message is dropped after this long. */
  unusedMs: number;
  /** Activities kept in memory per conversation. */
  history: number;
  /** Bytes of activities kept in memory per conversation. */
  conversationBytes: number;
  /** Bytes for all conversations together (history plus a fixed estimate per conversation). */
  memoryBytes: number;
  /** Open conversations one client address may hold. */
  perAddress: number;
}

export const DEFAULT_LIMITS: ConversationLimits = {
  idleMs: 60 * 60_000,
  unusedMs: 5 * 60_000,
  history: 50,
  conversationBytes: 128 * 1024,
  memoryBytes: 64 * 1024 * 1024,
  perAddress: 20,
};

/** Estimated memory of an empty conversation (object, maps, queue), counted against the budget. */
export const CONVERSATION_OVERHEAD_BYTES = 4096;
/** New conversations are refused while the V8 heap is fuller than this, whatever the estimate says. */
const HEAP_REFUSE_FRACTION = 0.8;

/** How far numbering jumps on a restore (more than one turn can append between two writes). */
export const RESTORE_SEQUENCE_GAP = 1000;

/** A conversation as it is persisted: enough to continue the same transcript after a restart. */
export interface ConversationRecord {
  sequence: number;
  createdAt: number;
  lastActivityAt: number;
  hasMessage: boolean;
  userId?: string;
  userAnnounced: boolean;
  /** The user activity whose turn was running; set before the turn, cleared after it. */
  pending?: { id: string; at: number };
  /** The resident asked to be forgotten: this record is what is left, so no instance writes more of it. */
  erased?: boolean;
  activities: Partial<Activity>[];
}

export class Conversation {
  createdAt = Date.now();
  /** Last activity in either direction; polling and open streams do not count. */
  lastActivityAt = Date.now();
  /** Whether the resident ever sent a message (an unused conversation expires sooner). */
  hasMessage = false;
  userId?: string;
  /** Whether the bot was told that the user joined (conversationUpdate with membersAdded). */
  userAnnounced = false;
  /** The client address that opened it through the token endpoint (for the per-address limit). */
  address?: string;
  pending?: { id: string; at: number };
  /** The resident asked to be forgotten ("verwijder mijn gegevens"): nothing more of it is persisted. */
  erased = false;
  readonly listeners = new Set<StreamListener>();
  /** On shared storage: the eTag of the stored record this copy last caught up with (undefined: not yet read or written). */
  storedETag?: string;
  /** On shared storage: writes of this conversation from this instance, one after another. */
  commits: Promise<unknown> = Promise.resolve();
  /** On shared storage: a read of the record under way, shared by the requests that need it. */
  refreshing?: Promise<void>;
  /** On shared storage: when the record was last read (ms since the epoch). */
  refreshedAt = 0;
  /** Turns run one after another, so two messages never race on the same state. */
  queue: Promise<void> = Promise.resolve();
  private history: Array<{ activity: Partial<Activity>; sequence: number; bytes: number }> = [];
  private historyBytes = 0;
  /** Sequence number of the newest activity; the watermark clients resume from. */
  private sequence = 0;

  constructor(
    readonly id: string,
    private readonly limits: Pick<ConversationLimits, 'history' | 'conversationBytes'> = DEFAULT_LIMITS,
    /** Told how many bytes the history grew or shrank by; may ask to keep less (the global budget). */
    private readonly onResize: (delta: number) => boolean = () => false,
  ) {}

  get watermark(): string {
    return String(this.sequence);
  }

  get bytes(): number {
    return this.historyBytes;
  }

  /** The sequence number of the newest activity. */
  get sequenceNumber(): number {
    return this.sequence;
  }

  /** Store an activity, give it an id and a timestamp, and push it to every open stream. */
  append(activity: Partial<Activity>): Partial<Activity> {
    return this.appendAll([activity])[0];
  }

  /** Store activities in order (numbered one after another) and push them to every open stream as one set. */
  appendAll(activities: Partial<Activity>[]): Partial<Activity>[] {
    const stored = activities.map((activity, i) => this.stamp(activity, this.sequence + 1 + i));
    stored.forEach((activity, i) => this.keep(activity, this.sequence + 1 + i));
    this.sequence += stored.length;
    this.lastActivityAt = Date.now();
    for (const listener of this.listeners) listener.send(stored, this.watermark);
    return stored;
  }

  /** The activity as it is stored under this sequence number: id, timestamp, conversation. */
  stamp(activity: Partial<Activity>, sequence: number): Partial<Activity> {
    return {
      ...activity,
      id: `${this.id}|${String(sequence).padStart(7, '0')}`,
      timestamp: new Date(),
      conversation: { id: this.id } as Activity['conversation'],
    };
  }

  /** Keep a stamped activity as the newest and push it to every open stream. */
  add(stored: Partial<Activity>, sequence = sequenceOf(stored)): void {
    this.sequence = sequence;
    this.keep(stored, sequence);
    this.lastActivityAt = Date.now();
    for (const listener of this.listeners) listener.send([stored], this.watermark);
  }

  /**
   * An activity that is shown but not kept or numbered (typing on shared storage: not worth a
   * write to the shared store): pushed to this instance's open streams only.
   */
  pass(activity: Partial<Activity>): Partial<Activity> {
    const shown: Partial<Activity> = { ...activity, id: `${this.id}|${this.watermark}.${randomBytes(4).toString('hex')}`, timestamp: new Date(), conversation: { id: this.id } as Activity['conversation'] };
    for (const listener of this.listeners) listener.send([shown], this.watermark);
    return shown;
  }

  /** Activities after a watermark (all kept activities when it is missing or unreadable). */
  since(watermark?: string): Partial<Activity>[] {
    const after = Number(watermark);
    const valid = !!watermark && Number.isInteger(after) && after >= 0;
    // The history is in sequence order: what is new is at its end (every poll asks this).
    let first = this.history.length;
    while (first > 0 && (!valid || this.history[first - 1].sequence > after)) first -= 1;
    return this.history.slice(first).map((entry) => entry.activity);
  }

  /** "Verwijder mijn gegevens": keep nothing of it, persist nothing more of it. */
  erase(): void {
    this.erased = true;
    this.forget();
  }

  /** Drop every kept activity (when the conversation leaves memory). */
  forget(): void {
    this.onResize(-this.historyBytes);
    this.history = [];
    this.historyBytes = 0;
  }

  toRecord(activities: number, keep: (activity: Partial<Activity>) => boolean = () => true): ConversationRecord {
    return {
      sequence: this.sequence,
      createdAt: this.createdAt,
      lastActivityAt: this.lastActivityAt,
      hasMessage: this.hasMessage,
      userId: this.userId,
      userAnnounced: this.userAnnounced,
      pending: this.pending,
      activities: this.since().filter(keep).slice(-activities),
    };
  }

  /**
   * Catch up with the shared record another instance wrote: its newer activities are kept and
   * pushed to this instance's streams, and its fields are taken over. Exactly its numbering, no
   * gap: on shared storage an activity is visible only after it was written there.
   */
  merge(record: ConversationRecord): void {
    const fresh = record.activities
      .filter((activity) => sequenceOf(activity) > this.sequence)
      .map((activity) => ({ ...activity, timestamp: activity.timestamp ? new Date(activity.timestamp) : undefined }));
    for (const activity of fresh) this.keep(activity, sequenceOf(activity));
    this.sequence = Math.max(this.sequence, record.sequence);
    this.createdAt = Math.min(this.createdAt, record.createdAt);
    this.lastActivityAt = Math.max(this.lastActivityAt, record.lastActivityAt);
    this.hasMessage ||= record.hasMessage;
    this.userId = record.userId ?? this.userId;
    this.userAnnounced ||= record.userAnnounced;
    this.pending = record.pending;
    if (record.erased) this.erase();
    if (fresh.length > 0) for (const listener of this.listeners) listener.send(fresh, this.watermark);
  }

  /** Continue from a persisted record: the same ids, watermark and recent activities. */
  restore(record: ConversationRecord): void {
    // Activities appended after the last write may have reached a client before the process
    // stopped: numbering goes on well past them, so no id is ever given to two activities.
    this.sequence = record.sequence + RESTORE_SEQUENCE_GAP;
    this.createdAt = record.createdAt;
    this.lastActivityAt = record.lastActivityAt;
    this.hasMessage = record.hasMessage;
    this.userId = record.userId;
    this.userAnnounced = record.userAnnounced;
    this.pending = record.pending;
    for (const activity of record.activities) {
      this.keep({ ...activity, timestamp: activity.timestamp ? new Date(activity.timestamp) : undefined }, sequenceOf(activity));
    }
  }

  /** Keep an activity in the bounded history: by count, by bytes, and smaller when memory is short. */
  private keep(activity: Partial<Activity>, sequence: number): void {
    const bytes = JSON.stringify(activity).length;
    this.history.push({ activity, sequence, bytes });
    this.historyBytes += bytes;
    let overBudget = this.onResize(bytes);
    while (
      this.history.length > 1 &&
      (this.history.length > this.limits.history || this.historyBytes > this.limits.conversationBytes || overBudget)
    ) {
      const dropped = this.history.shift()!;
      this.historyBytes -= dropped.bytes;
      overBudget = this.onResize(-dropped.bytes);
    }
  }
}

export function sequenceOf(activity: Partial<Activity>): number {
  return Number(String(activity.id).split('|').pop());
}

export type Admission = { ok: true } | { ok: false; status: 429 | 503; message: string; retryAfterSeconds: number };

/**
 * The embedded channel's conversations in memory. Its size is a memory decision: a conversation
 * costs a fixed estimate plus its kept activities, and new conversations are refused when the
 * budget (or the V8 heap) is nearly full, never because of a count one client can fill.
 */
export class ConversationStore {
  readonly limits: ConversationLimits;
  private readonly conversations = new Map<string, Conversation>();
  private readonly byAddress = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout;
  private totalBytes = 0;
  /** Told when a conversation leaves memory (idle, unused or on shutdown). */
  onExpire?: (conversation: Conversation) => void;

  constructor(limits: Partial<ConversationLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.sweeper = setInterval(() => this.expireIdle(), Math.min(this.limits.unusedMs, this.limits.idleMs, 60_000));
    this.sweeper.unref();
  }

  get size(): number {
    return this.conversations.size;
  }

  /** Estimated bytes of all conversations in memory. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Whether a new conversation (for this client address) may be opened now. */
  admit(address?: string): Admission {
    if (this.totalBytes + CONVERSATION_OVERHEAD_BYTES > this.limits.memoryBytes || heapNearlyFull()) {
      return { ok: false, status: 503, message: 'The chat is very busy right now; please try again in a minute.', retryAfterSeconds: 60 };
    }
    if (address !== undefined && (this.byAddress.get(address) ?? 0) >= this.limits.perAddress) {
      return { ok: false, status: 429, message: 'Too many open conversations from this address; please try again later.', retryAfterSeconds: Math.ceil(this.limits.unusedMs / 1000) };
    }
    return { ok: true };
  }

  create(id = newConversationId(), address?: string): Conversation {
    const conversation = new Conversation(id, this.limits, (delta) => {
      this.totalBytes += delta;
      return this.totalBytes > this.limits.memoryBytes;
    });
    this.totalBytes += CONVERSATION_OVERHEAD_BYTES;
    if (address !== undefined) {
      conversation.address = address;
      this.byAddress.set(address, (this.byAddress.get(address) ?? 0) + 1);
    }
    this.conversations.set(id, conversation);
    return conversation;
  }

  get(id: string): Conversation | undefined {
    return this.conversations.get(id);
  }

  /** Conversations with an open stream (on shared storage they are kept up to date by polling). */
  streaming(): Conversation[] {
    return [...this.conversations.values()].filter((conversation) => conversation.listeners.size > 0);
  }

  /** Drop conversations that were never used, or idle too long; their streams are closed. */
  expireIdle(now = Date.now()): number {
    let expired = 0;
    for (const conversation of this.conversations.values()) {
      const unused = !conversation.hasMessage && now - conversation.createdAt > this.limits.unusedMs;
      const idle = now - conversation.lastActivityAt > this.limits.idleMs;
      if (unused || idle) {
        for (const listener of conversation.listeners) listener.close();
        this.remove(conversation);
        expired += 1;
      }
    }
    return expired;
  }

  private remove(conversation: Conversation): void {
    if (this.conversations.get(conversation.id) !== conversation) return;
    this.conversations.delete(conversation.id);
    conversation.forget();
    this.totalBytes -= CONVERSATION_OVERHEAD_BYTES;
    if (conversation.address !== undefined) {
      const left = (this.byAddress.get(conversation.address) ?? 1) - 1;
      if (left > 0) this.byAddress.set(conversation.address, left);
      else this.byAddress.delete(conversation.address);
    }
    this.onExpire?.(conversation);
  }

  /** Close every stream (on shutdown). */
  closeAll(): void {
    clearInterval(this.sweeper);
    for (const conversation of this.conversations.values()) {
      for (const listener of conversation.listeners) listener.close();
      conversation.listeners.clear();
    }
  }

  /** Wait for every running turn, and on shared storage the writes it started (on shutdown). */
  async drain(): Promise<void> {
    await Promise.all([...this.conversations.values()].map(async (conversation) => {
      await conversation.queue;
      await conversation.commits;
    }));
  }
}

function heapNearlyFull(): boolean {
  const heap = getHeapStatistics();
  return heap.used_heap_size > heap.heap_size_limit * HEAP_REFUSE_FRACTION;
}

export function newConversationId(): string {
  return randomBytes(16).toString('base64url');
}
