import type { Activity, Storage } from 'botbuilder';
import type { Logger } from '../logger.js';
import { CleanStrings } from '../storage/cleanStrings.js';
import type { Conversation, ConversationRecord } from './conversations.js';

/** Messages persisted per conversation: enough for a client that reconnects from its watermark. */
export const PERSISTED_ACTIVITIES = 20;

/**
 * The embedded channel's conversations in the project's storage layer (any botbuilder Storage:
 * lowdb files now, a shared store later), so a restart or a second instance continues the same
 * transcript: ids and watermarks go on where they were. Key: `directline/transcripts/<id>`.
 * Only messages are kept (what Web Chat shows), each redacted once, when it is first persisted,
 * not on every write of the record.
 */
export class TranscriptStore {
  static readonly PREFIX = 'directline/transcripts/';
  /** Per conversation: the write running now, and whether another one is queued behind it. */
  private readonly writes = new Map<string, { chain: Promise<void>; queued?: Promise<void> }>();
  /** The redacted, plain copy of each activity already persisted, or the activity itself when it had nothing to redact (dropped with it). */
  private readonly redacted = new WeakMap<Partial<Activity>, Partial<Activity>>();
  /** The bot's buttons, names and answers come again in every conversation. */
  private readonly strings = new CleanStrings();

  constructor(
    private readonly storage: Storage,
    private readonly options: { retentionMs: number; logger: Logger },
  ) {}

  static key(conversationId: string): string {
    return `${TranscriptStore.PREFIX}${conversationId}`;
  }

  /** The persisted record, if there is one within the retention period (an older one is deleted). */
  async load(conversationId: string): Promise<ConversationRecord | undefined> {
    return (await this.read(conversationId))?.record;
  }

  /** The persisted record with its eTag, if there is one within the retention period (an older one is deleted). */
  async read(conversationId: string): Promise<{ record: ConversationRecord; eTag?: string } | undefined> {
    const key = TranscriptStore.key(conversationId);
    const item = (await this.storage.read([key]))[key] as (ConversationRecord & { eTag?: string }) | undefined;
    if (!item || typeof item.sequence !== 'number' || !Array.isArray(item.activities)) return undefined;
    if (Date.now() - item.lastActivityAt > this.options.retentionMs) {
      await this.storage.delete([key]);
      return undefined;
    }
    const { eTag, ...record } = item;
    if (record.erased) this.strings.forget(); // another instance erased it
    return { record, eTag };
  }

  /**
   * Write a record only if the stored one still has this eTag (none: create or overwrite), for
   * storage shared by instances. Resolves with the new eTag; rejects with ETagConflictError when
   * another writer came first. Its messages are redacted, each once.
   */
  async writeIf(conversationId: string, record: ConversationRecord, eTag: string | undefined): Promise<string | undefined> {
    if (record.erased) this.strings.forget();
    const item = { ...record, activities: record.activities.map((activity) => this.redact(activity)), ...(eTag ? { eTag } : {}) };
    await this.storage.write({ [TranscriptStore.key(conversationId)]: item });
    return (item as { eTag?: string }).eTag;
  }

  /**
   * Persist the conversation as it is when the write starts. Calls while a write runs are
   * coalesced into one write after it; the promise resolves once a write with this state is done.
   * Failures are logged, never thrown: the conversation goes on in memory.
   */
  save(conversation: Conversation): Promise<void> {
    const entry = this.writes.get(conversation.id) ?? { chain: Promise.resolve() };
    if (entry.queued) return entry.queued;
    const write = entry.chain.then(async () => {
      entry.queued = undefined;
      if (conversation.erased) return;
      const record = conversation.toRecord(PERSISTED_ACTIVITIES, (activity) => activity.type === 'message');
      try {
        record.activities = record.activities.map((activity) => this.redact(activity));
        await this.storage.write({ [TranscriptStore.key(conversation.id)]: { ...record, eTag: '*' } });
      } catch (error) {
        this.options.logger.error({ err: error, conversation: conversation.id }, 'Direct Line transcript could not be saved');
      }
    });
    entry.queued = write;
    entry.chain = write;
    this.writes.set(conversation.id, entry);
    void write.then(() => {
      if (this.writes.get(conversation.id) === entry && entry.chain === write) this.writes.delete(conversation.id);
    });
    return write;
  }

  private redact(activity: Partial<Activity>): Partial<Activity> {
    let clean = this.redacted.get(activity);
    if (!clean) {
      // What the channel wrote itself is left out of the redaction: nobody's text, but digits (ids,
      // times, the service's address) that cost every detector a look and could be taken for a number.
      const { type, id, timestamp, conversation, channelId, serviceUrl, replyToId, ...content } = activity;
      const copy = JSON.parse(JSON.stringify(content)) as Partial<Activity>;
      // Nothing to remove (most messages): the activity is its own clean copy, not a second one in memory.
      clean = this.strings.redactInPlace(copy) ? (JSON.parse(JSON.stringify({ type, id, timestamp, conversation, channelId, serviceUrl, replyToId, ...copy })) as Partial<Activity>) : activity;
      this.redacted.set(activity, clean);
    }
    return clean;
  }


  /** Delete a conversation's persisted transcript, after any write of it that is under way. */
  async forget(conversationId: string): Promise<void> {
    this.strings.forget();
    await this.writes.get(conversationId)?.chain;
    await this.storage.delete([TranscriptStore.key(conversationId)]);
  }

  /** Wait for every write started so far (on shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.writes.values()].map((entry) => entry.chain));
  }
}
