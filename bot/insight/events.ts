/**
 * Insight events: one small, redacted record per conversation for the beheerder's dashboard.
 * Counters, not a transcript: when it started and for which municipality, how many messages, what
 * each was about and in which confidence band, which answered from the knowledge base (with the
 * cited articles), which stayed unanswered, the handoff's times, and the feedback. Nothing a
 * resident typed is in it. Key: "insight/<conversation id>"; kept `insight` retention days.
 *
 * The bot records it from outside the dialogs: WmoBot hands each turn to `observeTurn`, which
 * looks at the turn's outgoing messages (the wmoTopic entity and the citations are on every
 * reply) and writes once at the end of the turn.
 */
import type { Activity, Storage, StoreItem, TurnContext } from 'botbuilder';
import { ETagConflictError } from '../storage/index.js';

export type Band = 'high' | 'middle' | 'low';

export interface HandoffTimes {
  requestedAt: string;
  claimedAt?: string;
  closedAt?: string;
  outcome?: string;
}

export interface ConversationInsight {
  conversationId: string;
  /** CBS code, once the conversation knows it (the embedding page or the resident says). */
  gemeente?: string;
  /** Day the conversation started (Europe/Amsterdam), YYYY-MM-DD. */
  day: string;
  startedAt: string;
  lastAt: string;
  /** The resident's messages. */
  messages: number;
  /** Per message: the topic of the bot's reply. */
  topics: Record<string, number>;
  bands: Record<Band, number>;
  /** Messages answered from the knowledge base (a reply with citations). */
  answered: number;
  /** Ids of the articles, provisions and services cited, with how often (at most MAX_CITED ids). */
  cited: Record<string, number>;
  unanswered: { laag: number; 'geen-van-deze': number };
  handoff?: HandoffTimes;
  feedback: { up: number; down: number };
}

export const INSIGHT_PREFIX = 'insight/';
const MAX_CITED = 30;

/** The band a reply's confidence falls in, with the router's default calibration (high 0.6, middle 0.3). */
export function bandOf(confidence: number): Band {
  return confidence >= 0.6 ? 'high' : confidence >= 0.3 ? 'middle' : 'low';
}

// Built once: a DateTimeFormat costs far more to create than to use.
const DUTCH_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' });

/** YYYY-MM-DD of a moment in the Netherlands (a municipality's report counts its own days). */
export function dutchDay(at: Date): string {
  return DUTCH_DAY.format(at);
}

export function emptyInsight(conversationId: string, at: Date): ConversationInsight {
  return {
    conversationId,
    day: dutchDay(at),
    startedAt: at.toISOString(),
    lastAt: at.toISOString(),
    messages: 0,
    topics: {},
    bands: { high: 0, middle: 0, low: 0 },
    answered: 0,
    cited: {},
    unanswered: { laag: 0, 'geen-van-deze': 0 },
    feedback: { up: 0, down: 0 },
  };
}

/** One message's outcome, read from the bot's replies in that turn. */
export interface MessageOutcome {
  topic: string;
  confidence: number;
  /** Ids of the knowledge entries the replies cited; empty when nothing was cited. */
  cited: string[];
}

/** A citation as the reply carries it (replies.ts: name is the source, abstract the entry's title). */
export interface CitedAppearance {
  name?: string;
  abstract?: string;
  url?: string;
}

/** What a turn's replies say: the topic entity and the citations (resolved to knowledge ids by `resolve`). */
export function outcomeOf(replies: Array<Partial<Activity>>, resolve: (cited: CitedAppearance) => string | undefined): MessageOutcome | undefined {
  let outcome: MessageOutcome | undefined;
  for (const reply of replies) {
    if (reply.type !== 'message') continue;
    for (const entity of reply.entities ?? []) {
      if (entity.type === 'wmoTopic') outcome = { topic: String(entity.topic), confidence: Number(entity.confidence) || 0, cited: outcome?.cited ?? [] };
    }
  }
  if (!outcome) return undefined;
  for (const reply of replies) {
    for (const entity of reply.entities ?? []) {
      if (entity.type !== 'https://schema.org/Message') continue;
      for (const claim of (entity.citation ?? []) as Array<{ appearance?: CitedAppearance }>) {
        const id = resolve(claim.appearance ?? {});
        if (id && !outcome.cited.includes(id)) outcome.cited.push(id);
      }
    }
  }
  return outcome;
}

export interface InsightStoreOptions {
  /**
   * Collect the counters in memory and write them every this many milliseconds (and on `flush`)
   * instead of a read and an fsynced write per message. A crash loses at most the counters of
   * the last interval: counts and topic ids, never anything a resident typed.
   */
  flushEveryMs?: number;
  /** Told when a batch could not be written (its counts are lost; the turn noticed nothing). */
  onError?: (error: Error) => void;
}

type Change = (record: ConversationInsight) => void;

/** Records written at the same time by a flush. */
const FLUSH_WRITERS = 2;

/** The changes to one conversation's record not written yet, with when the first and last happened. */
interface Pending {
  changes: Change[];
  firstAt: Date;
  lastAt: Date;
}

/**
 * Reads and updates the per-conversation records; each update is a compare-and-set, retried on a
 * conflict. The changes are increments, so batched ones add up correctly on shared storage too.
 */
export class InsightStore {
  private readonly pending = new Map<string, Pending>();
  /** Per conversation, the batch being written now (an erasure waits for it, then deletes again). */
  private readonly writing = new Map<string, Promise<void>>();
  private readonly timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly storage: Storage,
    private readonly now: () => Date = () => new Date(),
    private readonly options: InsightStoreOptions = {},
  ) {
    if (options.flushEveryMs) {
      // While a flush still runs, the next is skipped (its changes wait for the one after): no pile-up.
      this.timer = setInterval(() => void (this.flushing ??= this.flush().finally(() => (this.flushing = undefined))), options.flushEveryMs);
      this.timer.unref();
    }
  }

  static key(conversationId: string): string {
    return INSIGHT_PREFIX + conversationId;
  }

  async get(conversationId: string): Promise<ConversationInsight | undefined> {
    const key = InsightStore.key(conversationId);
    const item = (await this.storage.read([key]))[key];
    return item ? withoutETag(item) : undefined;
  }

  /** Applies `change` to the conversation's record (created when missing): now, or with the next batch. */
  async update(conversationId: string, change: Change): Promise<void> {
    const at = this.now();
    if (!this.timer) return this.write(conversationId, { changes: [change], firstAt: at, lastAt: at });
    const pending = this.pending.get(conversationId);
    if (pending) {
      pending.changes.push(change);
      pending.lastAt = at;
    } else {
      this.pending.set(conversationId, { changes: [change], firstAt: at, lastAt: at });
    }
  }

  /** Writes every batched change (the dashboard calls it before reading; the service at shutdown). */
  async flush(): Promise<void> {
    const batches = [...this.pending];
    this.pending.clear();
    // A few at a time: hundreds of fsyncs at once would fill libuv's thread pool and make the
    // residents' turns wait behind them for their own file reads and writes.
    const next = batches.values();
    const worker = async () => {
      for (const [conversationId, pending] of next) {
        const written = this.write(conversationId, pending).catch((error: Error) => this.options.onError?.(error));
        this.writing.set(conversationId, written);
        await written;
        if (this.writing.get(conversationId) === written) this.writing.delete(conversationId);
      }
    };
    await Promise.all(Array.from({ length: FLUSH_WRITERS }, worker));
  }

  /** Writes what is batched and stops the timer. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /**
   * Call after the conversation was erased: its batched counters are dropped, and the record is
   * deleted again, after any batch written since the eraser ran (which may have created it anew).
   */
  async forget(conversationId: string): Promise<void> {
    this.pending.delete(conversationId);
    await this.writing.get(conversationId);
    await this.storage.delete([InsightStore.key(conversationId)]);
  }

  private async write(conversationId: string, pending: Pending): Promise<void> {
    const key = InsightStore.key(conversationId);
    for (let attempt = 0; ; attempt++) {
      const item = (await this.storage.read([key]))[key];
      const record = item ? withoutETag(item) : emptyInsight(conversationId, pending.firstAt);
      for (const change of pending.changes) change(record);
      record.lastAt = pending.lastAt.toISOString();
      try {
        await this.storage.write({ [key]: { ...record, eTag: item?.eTag ?? '*' } });
        return;
      } catch (error) {
        if (!(error instanceof ETagConflictError) || attempt >= 3) throw error;
      }
    }
  }

  async message(conversationId: string, outcome: MessageOutcome, gemeente?: string): Promise<void> {
    await this.update(conversationId, (r) => {
      if (gemeente) r.gemeente = gemeente;
      r.messages++;
      r.topics[outcome.topic] = (r.topics[outcome.topic] ?? 0) + 1;
      r.bands[bandOf(outcome.confidence)]++;
      if (outcome.cited.length) r.answered++;
      for (const id of outcome.cited) {
        if (r.cited[id] !== undefined || Object.keys(r.cited).length < MAX_CITED) r.cited[id] = (r.cited[id] ?? 0) + 1;
      }
    });
  }

  async unanswered(conversationId: string, reason: 'laag' | 'geen-van-deze'): Promise<void> {
    await this.update(conversationId, (r) => {
      r.unanswered[reason]++;
    });
  }

  async feedback(conversationId: string, helped: boolean): Promise<void> {
    await this.update(conversationId, (r) => {
      r.feedback[helped ? 'up' : 'down']++;
    });
  }

  /**
   * A handoff's times, from the handoff service (requested, claimed, closed with outcome). Later
   * calls fill in what is new; a second request in the same conversation starts a new wait.
   */
  async handoff(conversationId: string, times: HandoffTimes, gemeente?: string): Promise<void> {
    // A time not known yet (undefined) never overwrites one recorded before.
    const known = Object.fromEntries(Object.entries(times).filter(([, value]) => value !== undefined)) as unknown as HandoffTimes;
    await this.update(conversationId, (r) => {
      if (gemeente && !r.gemeente) r.gemeente = gemeente;
      r.handoff = r.handoff?.requestedAt === known.requestedAt ? { ...r.handoff, ...known } : known;
    });
  }
}

/** Hooks a turn: when it ends, its outgoing messages become one message outcome (resident messages only). */
export function observeTurn(context: TurnContext, onOutcome: (outcome: MessageOutcome) => Promise<void>, resolve: Parameters<typeof outcomeOf>[1]): () => Promise<void> {
  const replies: Array<Partial<Activity>> = [];
  context.onSendActivities(async (_ctx, activities, next) => {
    const sent = await next();
    replies.push(...activities);
    return sent;
  });
  return async () => {
    if (context.activity.type !== 'message') return;
    const outcome = outcomeOf(replies, resolve);
    if (outcome) await onOutcome(outcome);
  };
}

function withoutETag(item: StoreItem): ConversationInsight {
  const rest: StoreItem = { ...item };
  delete rest.eTag;
  return rest as ConversationInsight;
}
