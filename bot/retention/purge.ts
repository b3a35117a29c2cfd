/**
 * The retention purge: deletes what has been kept longer than its kind's retention days, through
 * the storage layer (list, then Storage.delete), and corrupt files through the storage's own
 * removeCorruptFiles. Used by the running service (schedule.ts) and `npm run purge` (cli.ts).
 */
import type { Storage, StoreItem } from 'botbuilder';
import { MeldingStore } from '../../dialogs/meldingen.js';
import { UnansweredStore } from '../../dialogs/unanswered.js';
import { HISTORY_PREFIX } from '../handoff/types.js';
import { INSIGHT_PREFIX } from '../insight/events.js';
import { FEEDBACK_PREFIX } from '../insight/feedback.js';
import type { RetentionDays } from './policy.js';
import { SAVED_AT } from './stamp.js';

/** What the purge needs from a store: botbuilder's Storage plus a listing by key prefix. */
export interface ListingStorage extends Storage {
  list(prefix: string): Promise<Array<{ key: string; value: StoreItem }>>;
  /** Optional: stores that move corrupt files aside delete the old ones here. */
  removeCorruptFiles?(before: Date): Promise<number>;
}

/** Where the embedded Direct Line keeps its transcripts (bot/directline/transcripts.ts); each carries `lastActivityAt`. */
export const DIRECTLINE_HISTORY_PREFIX = 'directline/transcripts/';

type Kind = Exclude<keyof RetentionDays, 'corrupt'>;

interface RetentionKind {
  kind: Kind;
  matches(key: string): boolean;
  /** When the item was stored or last changed (ISO), if it says. */
  time(item: StoreItem): unknown;
}

const savedAt = (item: StoreItem) => item[SAVED_AT];
/** The time of an item that is still in use: never purged, never stamped. */
const STILL_OPEN = Symbol('still open');

/** Every kind of item the service stores, by key. */
const KINDS: RetentionKind[] = [
  // ConversationState and UserState keys: "<channel>/conversations/<id>", "<channel>/users/<id>".
  { kind: 'conversations', matches: (key) => /^[^/]+\/(conversations|users)\//.test(key), time: savedAt },
  { kind: 'directLine', matches: (key) => key.startsWith(DIRECTLINE_HISTORY_PREFIX), time: (item) => (typeof item.lastActivityAt === 'number' ? new Date(item.lastActivityAt).toISOString() : undefined) },
  { kind: 'meldingen', matches: (key) => key.startsWith(MeldingStore.PREFIX), time: (item) => item.createdAt },
  { kind: 'unanswered', matches: (key) => key.startsWith(UnansweredStore.PREFIX), time: (item) => item.at },
  // A handoff or callback still open is kept whatever its age; its clock starts when it ends.
  // What a conversation said before any handoff (shared storage only): kept as long as conversation state.
  { kind: 'conversations', matches: (key) => key.startsWith(HISTORY_PREFIX), time: (item) => item.at },
  { kind: 'handoffs', matches: (key) => key.startsWith('handoff/case/'), time: (item) => item.endedAt ?? STILL_OPEN },
  { kind: 'handoffs', matches: (key) => key.startsWith('handoff/callback/'), time: (item) => item.doneAt ?? STILL_OPEN },
  // Counted from the conversation's last message, so a report month is never cut in half.
  { kind: 'insight', matches: (key) => key.startsWith(INSIGHT_PREFIX), time: (item) => item.lastAt },
  { kind: 'feedback', matches: (key) => key.startsWith(FEEDBACK_PREFIX), time: (item) => item.at },
];

export type PurgeReport = Record<keyof RetentionDays, number>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deletes every item older than its kind's retention; resolves with how many of each kind. */
export async function purgeExpired(storage: ListingStorage, days: RetentionDays, now = new Date()): Promise<PurgeReport> {
  const report: PurgeReport = { conversations: 0, directLine: 0, meldingen: 0, unanswered: 0, corrupt: 0, handoffs: 0, insight: 0, feedback: 0 };
  const expired: string[] = [];
  const unstamped: Array<{ key: string; value: StoreItem }> = [];
  for (const { key, value } of await storage.list('')) {
    const kind = KINDS.find((k) => k.matches(key));
    if (!kind) continue;
    const stored = kind.time(value);
    if (stored === STILL_OPEN) continue;
    const time = Date.parse(String(stored ?? ''));
    if (Number.isNaN(time)) unstamped.push({ key, value });
    else if (now.getTime() - time > days[kind.kind] * DAY_MS) {
      expired.push(key);
      report[kind.kind]++;
    }
  }
  if (expired.length) await storage.delete(expired);
  // State written before stamping existed: start its clock now. The write carries the item's eTag,
  // so it never overwrites a newer turn; should a turn of that conversation save at this very
  // moment, one of the two is refused. That can happen once per item from before stamping.
  await Promise.allSettled(unstamped.map(({ key, value }) => storage.write({ [key]: { ...value, [SAVED_AT]: now.toISOString() } })));
  if (storage.removeCorruptFiles) report.corrupt = await storage.removeCorruptFiles(new Date(now.getTime() - days.corrupt * DAY_MS));
  return report;
}
