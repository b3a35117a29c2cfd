/**
 * The outbox: every record is first written to the storage layer, then sent in the background,
 * one record at a time, retried with exponential backoff while the API is down or refuses it.
 *
 * Never lost: a record is on disk before record*() resolves, and stays until every object is
 * created. Never twice: the outbox key is our reference (queuing it again does nothing), and the
 * uuid of each created object is written before the next one is sent, so a retry, also after a
 * restart, continues where it stopped. An attempt after the first one searches for each missing
 * object before creating it: the API may have created it while its answer was lost.
 */
import type { Storage, StoreItem } from 'botbuilder';
import type { LoggerView } from '../../dialogs/ports.js';
import { redact } from '../../knowledge/privacy/redact.js';
import { ApiError, KlantinteractiesClient, type ApiObject } from './client.js';
import type { KlantinteractiesTarget } from './config.js';
import { planSteps, type PreparedRecord, type Step } from './records.js';
import type { OutboxItem, OutboxStatus, RecordKind, RecordResult } from './types.js';

/** The storage layer's stores can list by key prefix (bot/storage). */
export type ListableStorage = Storage & { list(prefix: string): Promise<Array<{ key: string; value: StoreItem }>> };

export const OUTBOX_PREFIX = 'klantinteracties/outbox/';
/** Sent records move here, so a pass reads only what is still to send, however many were sent. */
export const SENT_PREFIX = 'klantinteracties/sent/';

interface OutboxEntry extends OutboxItem {
  /** What will be sent; dropped once sent (the municipality has it, we keep no second copy). */
  record?: PreparedRecord;
  /** The API root the created objects belong to. */
  apiRoot?: string;
  /** Created objects by step id. */
  done: Record<string, ApiObject>;
  eTag?: string;
}

export interface OutboxOptions {
  storage: ListableStorage;
  targets: Map<string, KlantinteractiesTarget>;
  logger?: LoggerView;
  /** First retry after this long; doubled each time up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  now?: () => Date;
}

export function outboxKey(kind: RecordKind, reference: string, prefix = OUTBOX_PREFIX): string {
  return `${prefix}${kind}/${reference}`;
}

/** Failures where the API itself is unavailable: the other records for it wait as well. */
function apiDown(error: unknown): boolean {
  const status = (error as ApiError).status;
  return error instanceof ApiError && (status === undefined || status >= 500 || status === 429);
}

export class Outbox {
  private readonly storage: ListableStorage;
  private readonly targets: Map<string, KlantinteractiesTarget>;
  private readonly logger?: LoggerView;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly now: () => Date;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly abort = new AbortController();
  /** Enqueues run one after another, so a reference queued twice at once is queued once. */
  private enqueueChain: Promise<unknown> = Promise.resolve();

  constructor(options: OutboxOptions) {
    this.storage = options.storage;
    this.targets = options.targets;
    this.logger = options.logger;
    this.baseDelayMs = options.baseDelayMs ?? 5_000;
    this.maxDelayMs = options.maxDelayMs ?? 30 * 60_000;
    this.now = options.now ?? (() => new Date());
  }

  /** Send what an earlier run left queued. */
  start(): void {
    this.schedule(0);
  }

  enqueue(record: PreparedRecord): Promise<RecordResult> {
    const result = this.enqueueChain.then(async (): Promise<RecordResult> => {
      const key = outboxKey(record.kind, record.reference);
      const sentKey = outboxKey(record.kind, record.reference, SENT_PREFIX);
      const existing = await this.storage.read([key, sentKey]);
      if (existing[key] || existing[sentKey]) return 'already-queued';
      const entry: OutboxEntry = {
        kind: record.kind,
        reference: record.reference,
        gemeente: record.gemeente,
        queuedAt: this.now().toISOString(),
        attempts: 0,
        record,
        done: {},
      };
      await this.storage.write({ [key]: entry });
      return 'queued';
    });
    this.enqueueChain = result.catch(() => undefined);
    return result.then((outcome) => {
      if (outcome === 'queued') this.schedule(0);
      return outcome;
    });
  }

  async status(limit = 50): Promise<Omit<OutboxStatus, 'configured'>> {
    const open = await this.entries(OUTBOX_PREFIX);
    const sent = await this.entries(SENT_PREFIX);
    const item = (entry: OutboxEntry): OutboxItem => {
      const { kind, reference, gemeente, queuedAt, attempts, lastAttemptAt, lastError, nextAttemptAt, sentAt } = entry;
      return { kind, reference, gemeente, queuedAt, attempts, lastAttemptAt, lastError, nextAttemptAt, sentAt, klantcontact: entry.done.klantcontact?.url };
    };
    return {
      pending: open.filter((e) => !e.lastError).map(item),
      failing: open.filter((e) => e.lastError).map(item),
      sent: sent
        .sort((a, b) => b.sentAt!.localeCompare(a.sentAt!))
        .slice(0, limit)
        .map(item),
    };
  }

  /** Stop retrying; a request in flight is cancelled (its record is retried at the next start). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.enqueueChain;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    // unref: a pending retry never keeps the process alive on its own.
    this.timer = setTimeout(() => {
      this.running = this.pass().finally(() => {
        this.running = undefined;
      });
    }, Math.max(0, delayMs));
    this.timer.unref();
  }

  private async entries(prefix: string): Promise<OutboxEntry[]> {
    const items = await this.storage.list(prefix);
    return items.map((item) => item.value as unknown as OutboxEntry).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
  }

  /** One pass over the due records, oldest first; then sleep until the next one is due. */
  private async pass(): Promise<void> {
    let next = Infinity;
    try {
      this.again = false;
      const down = new Map<string, number>(); // API root → when to try it again
      for (const entry of await this.entries(OUTBOX_PREFIX)) {
        if (this.stopped) return;
        const target = this.targets.get(entry.gemeente);
        const due = Date.parse(entry.nextAttemptAt ?? entry.queuedAt);
        const waitFor = target ? down.get(target.apiRoot) : undefined;
        if (waitFor !== undefined) {
          next = Math.min(next, Math.max(due, waitFor));
          continue;
        }
        if (due > this.now().getTime()) {
          next = Math.min(next, due);
          continue;
        }
        const retryAt = await this.send(entry, target);
        if (retryAt === undefined) continue;
        next = Math.min(next, retryAt.time);
        if (retryAt.apiDown && target) down.set(target.apiRoot, retryAt.time);
      }
    } catch (error) {
      // The storage itself failed: try the whole pass again later.
      this.logger?.error({ err: (error as Error).message }, 'Klantinteracties: outbox could not be read');
      next = this.now().getTime() + this.baseDelayMs;
    } finally {
      if (!this.stopped) {
        const wait = this.again ? 0 : next - this.now().getTime();
        this.running = undefined;
        if (Number.isFinite(wait)) this.schedule(wait);
      }
    }
  }

  /** Send one record as far as it goes. Returns when to retry, or undefined when it is done. */
  private async send(entry: OutboxEntry, target: KlantinteractiesTarget | undefined): Promise<{ time: number; apiDown: boolean } | undefined> {
    const key = outboxKey(entry.kind, entry.reference);
    const started = this.now();
    entry.attempts += 1;
    entry.lastAttemptAt = started.toISOString();
    try {
      if (!target) throw new Error(`no Klantinteracties API is configured for ${entry.gemeente} any more`);
      if (!entry.record) throw new Error('the record is missing from the outbox entry');
      if (entry.apiRoot !== target.apiRoot) {
        // A municipality moved to another API: what was created in the old one does not exist there.
        entry.done = {};
        entry.apiRoot = target.apiRoot;
      }
      // Count the attempt on disk before the first request, so a crash mid-way makes the next run search first.
      entry = await this.save(key, entry);
      const client = new KlantinteractiesClient(target, this.abort.signal);
      for (const step of planSteps(entry.record!, target.organisatorischeEenheid)) {
        if (entry.done[step.id]) continue;
        const found = step.shared || entry.attempts > 1 ? await this.findExisting(client, step, entry.done) : undefined;
        const created = found ?? (await client.create(step.path, step.body(entry.done)));
        entry.done[step.id] = { uuid: created.uuid, url: created.url };
        entry = await this.save(key, entry);
      }
      // Sent: the municipality has it; keep only what the status and idempotency need, not the record.
      // A crash between these two writes leaves the entry queued with every step done: the next
      // pass creates nothing and moves it again.
      const sent: OutboxEntry = { ...entry, sentAt: this.now().toISOString() };
      delete sent.record;
      delete sent.lastError;
      delete sent.nextAttemptAt;
      delete sent.eTag;
      await this.storage.write({ [outboxKey(entry.kind, entry.reference, SENT_PREFIX)]: sent });
      await this.storage.delete([key]);
      this.logger?.info(
        { kind: entry.kind, reference: entry.reference, gemeente: entry.gemeente, attempts: entry.attempts, klantcontact: entry.done.klantcontact?.url },
        'Klantinteracties: contact recorded',
      );
      return undefined;
    } catch (error) {
      const message = redact((error as Error).message).text;
      const delay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(entry.attempts - 1, 30));
      const time = this.now().getTime() + (this.stopped ? 0 : delay);
      const failed = { ...entry, lastError: message, nextAttemptAt: new Date(time).toISOString() };
      await this.save(key, failed).catch((saveError: Error) => {
        this.logger?.error({ reference: entry.reference, err: saveError.message }, 'Klantinteracties: outbox entry could not be updated');
      });
      if (!this.stopped) {
        this.logger?.warn(
          { kind: entry.kind, reference: entry.reference, gemeente: entry.gemeente, attempts: entry.attempts, nextAttemptAt: failed.nextAttemptAt, err: message },
          'Klantinteracties: contact not recorded yet; will retry',
        );
      }
      return { time, apiDown: apiDown(error) };
    }
  }

  private async findExisting(client: KlantinteractiesClient, step: Step, done: Record<string, ApiObject>): Promise<ApiObject | undefined> {
    const { query, match } = step.find(done);
    const items = await client.find(step.path, query);
    return items.find((item) => !match || match(item));
  }

  /** Write with the eTag we read (compare-and-set), and learn the new one. */
  private async save(key: string, entry: OutboxEntry): Promise<OutboxEntry> {
    await this.storage.write({ [key]: entry });
    const fresh = (await this.storage.read([key]))[key] as OutboxEntry | undefined;
    if (!fresh) throw new Error(`outbox entry ${key} disappeared`);
    return fresh;
  }
}
