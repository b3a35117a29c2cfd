import { ActivityTypes, type Activity } from 'botbuilder';
import { ETagConflictError } from '../storage/contract.js';
import type { Conversation, ConversationRecord } from './conversations.js';
import { PERSISTED_ACTIVITIES, type TranscriptStore } from './transcripts.js';

/** Fields of the stored record a change may set besides adding an activity. */
export type RecordFields = Partial<Pick<ConversationRecord, 'userId' | 'userAnnounced' | 'hasMessage' | 'pending'>>;

export interface Change {
  /** An activity to add, numbered after everything stored. */
  activity?: Partial<Activity>;
  /**
   * Fields to set, decided on the conversation as stored (after catching up), with the activity
   * as it will be stored; undefined: write nothing (another instance did it already).
   */
  fields?: (conversation: Conversation, stored?: Partial<Activity>) => RecordFields | undefined;
}

/** Conflicts in a row before a write gives up (each one means another instance wrote meanwhile). */
const MAX_TRIES = 30;

const isMessage = (activity: Partial<Activity>) => activity.type === ActivityTypes.Message;

/**
 * The embedded channel's conversations on storage shared by several instances (STORAGE=blobs).
 * The stored record (`directline/transcripts/<id>`) is the truth: every numbered activity is
 * written there by eTag compare-and-set before any client sees it, so two instances never give
 * one id twice, and an instance that is behind catches up by reading it (on every request for
 * the conversation, and every SHARED_POLL_MS while one of its streams is open). Reads and
 * writes of one conversation run one after another on each instance, so a read never undoes a
 * write; between instances the eTag decides, and the loser catches up and tries again.
 */
export class SharedConversations {
  constructor(
    private readonly transcripts: TranscriptStore,
    /**
     * A conversation read this recently is not read again for a request: however often a client
     * (or an attacker with its token) asks, each instance reads a record at most once per this long.
     * A write still catches up at once when it meets a newer record.
     */
    private readonly minRefreshMs: number,
  ) {}

  /** The stored record with its eTag, if any. */
  read(conversationId: string): ReturnType<TranscriptStore['read']> {
    return this.transcripts.read(conversationId);
  }

  /** Catch up with the stored record: one read, shared by the requests that arrive meanwhile. */
  refresh(conversation: Conversation): Promise<void> {
    if (!conversation.refreshing && Date.now() - conversation.refreshedAt < this.minRefreshMs) return Promise.resolve();
    conversation.refreshing ??= this.serially(conversation, () => this.catchUp(conversation)).finally(() => (conversation.refreshing = undefined));
    return conversation.refreshing;
  }

  /** Take over a record just read (a conversation this instance did not hold). */
  adopt(conversation: Conversation, found: { record: ConversationRecord; eTag?: string }): void {
    conversation.refreshedAt ||= Date.now();
    conversation.merge(found.record);
    conversation.storedETag = found.eTag;
  }

  /**
   * Write a change to the stored record and then show it here. Resolves with whether it was
   * written and the activity as stored. An erased conversation is changed here only.
   */
  commit(conversation: Conversation, change: Change): Promise<{ written: boolean; stored?: Partial<Activity> }> {
    return this.serially(conversation, () => this.write(conversation, change));
  }

  /** "Verwijder mijn gegevens": the record becomes an empty tombstone, so no instance writes more of it. */
  erase(conversation: Conversation): Promise<void> {
    return this.serially(conversation, async () => {
      conversation.erase();
      const record: ConversationRecord = { ...conversation.toRecord(0), userId: undefined, pending: undefined, erased: true, activities: [] };
      conversation.storedETag = await this.transcripts.writeIf(conversation.id, record, undefined);
    });
  }

  private serially<T>(conversation: Conversation, task: () => Promise<T>): Promise<T> {
    const run = conversation.commits.then(task);
    conversation.commits = run.catch(() => undefined);
    return run;
  }

  private async catchUp(conversation: Conversation): Promise<void> {
    conversation.refreshedAt = Date.now();
    const found = await this.transcripts.read(conversation.id);
    // Stored once and gone now: past retention, or erased by another instance's purge.
    if (!found) {
      if (conversation.storedETag !== undefined) conversation.erase();
      return;
    }
    if (found.eTag !== conversation.storedETag) this.adopt(conversation, found);
  }

  private async write(conversation: Conversation, change: Change): Promise<{ written: boolean; stored?: Partial<Activity> }> {
    for (let attempt = 1; ; attempt++) {
      if (conversation.erased) {
        const stored = change.activity && conversation.append(change.activity);
        Object.assign(conversation, change.fields?.(conversation, stored) ?? {});
        return { written: false, stored };
      }
      const stored = change.activity && conversation.stamp(change.activity, conversation.sequenceNumber + 1);
      const fields = change.fields ? change.fields(conversation, stored) : {};
      if (!fields) return { written: false };
      const record: ConversationRecord = { ...conversation.toRecord(PERSISTED_ACTIVITIES, isMessage), ...fields };
      if (stored) {
        record.sequence = conversation.sequenceNumber + 1;
        record.lastActivityAt = Date.now();
        if (isMessage(stored)) record.activities = [...record.activities, stored].slice(-PERSISTED_ACTIVITIES);
      }
      try {
        conversation.storedETag = await this.transcripts.writeIf(conversation.id, record, conversation.storedETag);
      } catch (error) {
        if (!(error instanceof ETagConflictError) || attempt >= MAX_TRIES) throw error;
        // Another instance wrote first: catch up with what it wrote and number after it.
        await this.catchUp(conversation);
        continue;
      }
      Object.assign(conversation, fields);
      if (stored) conversation.add(stored);
      return { written: true, stored };
    }
  }
}
