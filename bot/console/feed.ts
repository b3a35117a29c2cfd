/**
 * The console's push events across instances on shared storage: an employee's stream may be
 * open on one instance while the resident's messages arrive on another. Each instance adds the
 * handoff events that happen on it to one small document in the shared store (by eTag
 * compare-and-set, several events per write when they come together) and reads that document
 * every SHARED_POLL_MS for the events of the others. Only the last minutes of events are kept
 * there; what they carry is what the console shows anyway (redacted transcript entries).
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Storage } from 'botbuilder';
import { Records } from '../handoff/records.js';
import type { HandoffEvent } from '../handoff/types.js';
import type { Logger } from '../logger.js';

export const FEED_KEY = 'handoff/events';
/** Events kept in the document: enough for a poll that came late, not a history. */
const KEPT_EVENTS = 200;
const KEPT_MS = 5 * 60_000;

interface FeedEntry {
  seq: number;
  /** The instance the event happened on (it has told its own streams already). */
  origin: string;
  at: number;
  event: HandoffEvent;
}

interface FeedDocument {
  next: number;
  entries: FeedEntry[];
}

export class SharedEventFeed {
  /** Every handoff event, of this instance and of the others: what the console's streams hear. */
  readonly events = new EventEmitter();
  private readonly origin = randomBytes(8).toString('base64url');
  private readonly records: Records;
  private readonly poller: NodeJS.Timeout;
  private queued: HandoffEvent[] = [];
  private writing?: Promise<void>;
  private seen?: number;
  private polling = false;
  /** The document exists before anyone changes it (a first write without eTag could overwrite another's). */
  private readonly ready: Promise<unknown>;
  private readonly onLocal = (event: HandoffEvent) => {
    this.events.emit('event', event);
    this.queued.push(event);
    this.schedule();
  };

  constructor(
    storage: Storage,
    private readonly local: EventEmitter,
    private readonly options: { pollMs: number; logger: Logger },
  ) {
    this.records = new Records(storage);
    this.ready = this.records.get(FEED_KEY).then((doc) => (doc ? undefined : this.records.put<FeedDocument>(FEED_KEY, { next: 1, entries: [] })));
    this.ready.catch(() => undefined); // reported by the first poll or write that needs it
    this.events.setMaxListeners(0);
    local.on('event', this.onLocal);
    this.poller = setInterval(() => void this.poll(), options.pollMs);
    this.poller.unref();
    void this.poll();
  }

  /** One writer at a time; events that come in meanwhile go with its next write, or start one after it. */
  private schedule(): void {
    if (this.writing) return;
    this.writing = this.publish().finally(() => {
      this.writing = undefined;
      if (this.queued.length > 0) this.schedule();
    });
  }

  /** Write the events queued so far, and those that come in meanwhile, in as few writes as possible. */
  private async publish(): Promise<void> {
    while (this.queued.length > 0) {
      const batch = this.queued;
      this.queued = [];
      const now = Date.now();
      try {
        await this.ready;
        await this.records.update<FeedDocument>(FEED_KEY, (doc) => {
          let next = doc?.next ?? 1;
          const added = batch.map((event) => ({ seq: next++, origin: this.origin, at: now, event }));
          const entries = [...(doc?.entries ?? []), ...added].filter((entry) => now - entry.at < KEPT_MS).slice(-KEPT_EVENTS);
          return { next, entries };
        });
      } catch (error) {
        this.options.logger.warn({ err: error, events: batch.length }, 'console events could not be shared with the other instances');
      }
    }
  }

  /** Tell this instance's streams what happened on the others since the last look. */
  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await this.ready;
      const doc = await this.records.get<FeedDocument>(FEED_KEY);
      const next = doc?.next ?? 1;
      // The first look only notes where the feed stands: streams start with the current lists.
      if (this.seen !== undefined) {
        for (const entry of doc?.entries ?? []) {
          if (entry.seq > this.seen && entry.origin !== this.origin) this.events.emit('event', entry.event);
        }
      }
      this.seen = Math.max(this.seen ?? 0, next - 1);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'console events of the other instances could not be read');
    } finally {
      this.polling = false;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.poller);
    this.local.off('event', this.onLocal);
    while (this.writing) await this.writing;
  }
}
