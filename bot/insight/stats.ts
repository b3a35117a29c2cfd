/**
 * The dashboard's figures from the per-conversation insight records, for one period and
 * optionally one municipality. Pure: the routes read the records, this counts them.
 */
import type { ConversationInsight } from './events.js';

export interface StatsQuery {
  /** First and last day, YYYY-MM-DD, both included (Dutch days, as records are stamped). */
  from: string;
  to: string;
  gemeente?: string;
}

export interface Stats {
  period: { from: string; to: string };
  gemeente: string | null;
  conversations: number;
  /** The residents' messages. */
  messages: number;
  /** Per topic: messages whose reply was about it, most first. */
  topics: Array<{ topic: string; messages: number }>;
  bands: { high: number; middle: number; low: number };
  /** Messages answered from the knowledge base (with sources). */
  answeredMessages: number;
  /** Conversations with an answer from the knowledge base and no request for a person. */
  answeredWithoutStaff: number;
  answeredWithoutStaffShare: number | null;
  handoffs: { requested: number; claimed: number; rate: number | null; medianWaitSeconds: number | null; maxWaitSeconds: number | null };
  feedback: { up: number; down: number; score: number | null };
  unanswered: { laag: number; geenVanDeze: number; total: number; rate: number | null };
  /** Every day of the period, also days without conversations. */
  perDay: Array<{ day: string; conversations: number }>;
}

/** The longest period one request may ask for: a year and a bit (a year-on-year month fits). */
export const MAX_PERIOD_DAYS = 400;

export function computeStats(records: Iterable<ConversationInsight>, query: StatsQuery): Stats {
  const perDay = new Map(daysBetween(query.from, query.to).map((day) => [day, 0]));
  const topics = new Map<string, number>();
  const bands = { high: 0, middle: 0, low: 0 };
  const waits: number[] = [];
  let conversations = 0;
  let messages = 0;
  let answeredMessages = 0;
  let answeredWithoutStaff = 0;
  let requested = 0;
  const feedback = { up: 0, down: 0 };
  const unanswered = { laag: 0, geenVanDeze: 0 };

  for (const r of records) {
    if (!perDay.has(r.day) || (query.gemeente && r.gemeente !== query.gemeente)) continue;
    conversations++;
    perDay.set(r.day, perDay.get(r.day)! + 1);
    messages += r.messages;
    answeredMessages += r.answered;
    for (const [topic, count] of Object.entries(r.topics)) topics.set(topic, (topics.get(topic) ?? 0) + count);
    for (const band of ['high', 'middle', 'low'] as const) bands[band] += r.bands[band] ?? 0;
    if (r.handoff) {
      requested++;
      if (r.handoff.claimedAt) waits.push((Date.parse(r.handoff.claimedAt) - Date.parse(r.handoff.requestedAt)) / 1000);
    } else if (r.answered > 0) answeredWithoutStaff++;
    feedback.up += r.feedback.up;
    feedback.down += r.feedback.down;
    unanswered.laag += r.unanswered.laag;
    unanswered.geenVanDeze += r.unanswered['geen-van-deze'];
  }

  const total = unanswered.laag + unanswered.geenVanDeze;
  return {
    period: { from: query.from, to: query.to },
    gemeente: query.gemeente ?? null,
    conversations,
    messages,
    topics: [...topics].map(([topic, count]) => ({ topic, messages: count })).sort((a, b) => b.messages - a.messages || a.topic.localeCompare(b.topic)),
    bands,
    answeredMessages,
    answeredWithoutStaff,
    answeredWithoutStaffShare: share(answeredWithoutStaff, conversations),
    handoffs: {
      requested,
      claimed: waits.length,
      rate: share(requested, conversations),
      medianWaitSeconds: median(waits),
      maxWaitSeconds: waits.length ? Math.max(...waits) : null,
    },
    feedback: { ...feedback, score: share(feedback.up, feedback.up + feedback.down) },
    unanswered: { ...unanswered, total, rate: share(total, messages) },
    perDay: [...perDay].map(([day, count]) => ({ day, conversations: count })),
  };
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function share(part: number, whole: number): number | null {
  return whole ? Math.round((part / whole) * 1000) / 1000 : null;
}

/** The days from `from` to `to`, both included (calendar days; no clock involved). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/* ---- CSV ---- */

/**
 * A cell safe to open in a spreadsheet: text that starts with = + - @ (or a tab or carriage
 * return) would be read as a formula, so it gets a leading apostrophe; quotes as RFC 4180.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n;']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The same figures as the JSON, one per row: onderdeel, naam, waarde. */
export function statsCsv(stats: Stats): string {
  const rows: Array<[string, string, string | number | null]> = [
    ['periode', 'van', stats.period.from],
    ['periode', 'tot en met', stats.period.to],
    ['periode', 'gemeente', stats.gemeente ?? 'alle'],
    ['totaal', 'gesprekken', stats.conversations],
    ['totaal', 'berichten', stats.messages],
    ['totaal', 'beantwoord uit de kennisbank (berichten)', stats.answeredMessages],
    ['totaal', 'gesprekken zonder medewerker beantwoord', stats.answeredWithoutStaff],
    ['totaal', 'aandeel zonder medewerker beantwoord', stats.answeredWithoutStaffShare],
    ['overdracht', 'gevraagd', stats.handoffs.requested],
    ['overdracht', 'overgenomen', stats.handoffs.claimed],
    ['overdracht', 'aandeel gesprekken', stats.handoffs.rate],
    ['overdracht', 'mediane wachttijd (seconden)', stats.handoffs.medianWaitSeconds],
    ['overdracht', 'langste wachttijd (seconden)', stats.handoffs.maxWaitSeconds],
    ['feedback', 'geholpen', stats.feedback.up],
    ['feedback', 'niet geholpen', stats.feedback.down],
    ['feedback', 'score', stats.feedback.score],
    ['onbeantwoord', 'te onzeker', stats.unanswered.laag],
    ['onbeantwoord', 'geen van deze', stats.unanswered.geenVanDeze],
    ['onbeantwoord', 'aandeel berichten', stats.unanswered.rate],
    ['zekerheid', 'hoog', stats.bands.high],
    ['zekerheid', 'midden', stats.bands.middle],
    ['zekerheid', 'laag', stats.bands.low],
    ...stats.topics.map((t): [string, string, number] => ['onderwerp', t.topic, t.messages]),
    ...stats.perDay.map((d): [string, string, number] => ['dag', d.day, d.conversations]),
  ];
  return [['onderdeel', 'naam', 'waarde'], ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
