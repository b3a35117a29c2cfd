/**
 * Plays every scripted conversation against the real bot and judges it with the checks in the
 * data, then sums up as issue 9 asks: the share of conversations that hold (per failure class),
 * safety conversations with the right number, useful / partly useful / not useful, and dead ends.
 *
 * The judgments are rules, so a rerun gives the same figures:
 * - a conversation holds (is useful) when every check of every turn holds;
 * - partly useful when something fails, but the main turn (marked `main`, else the last turn with
 *   answer checks) replied, understood and passed all its answer checks (mustContain,
 *   safetyNumber, storedStory, citesArticle);
 * - not useful otherwise;
 * - a dead end is a turn with no reply, or a "did not understand" / error reply that offers no
 *   button and no phone number: the resident has no way forward.
 */
import type { KnowledgeBase } from '../../knowledge/index.js';
import type { TopicRouter } from '../../knowledge/understanding/index.js';
import { EvalChat, type Reply } from './chat.js';
import { ANSWER_CHECKS, needles, normalizeText, textHas, type Conversation, type ConversationSet, type Turn } from './conversationSet.js';

export interface CheckResult {
  check: string;
  ok: boolean;
  detail: string;
}

export interface TurnResult {
  input: string;
  pressed: boolean;
  replies: Reply[];
  checks: CheckResult[];
  deadEnd: boolean;
}

export type Judgment = 'useful' | 'partly' | 'not';

export interface ConversationResult {
  conversation: Conversation;
  turns: TurnResult[];
  holds: boolean;
  judgment: Judgment;
  deadEnds: number;
  /** undefined when the conversation has no safety check. */
  safetyRight?: boolean;
}

export interface SetReport {
  results: ConversationResult[];
  total: number;
  holding: number;
  share: number;
  perClass: Array<{ cls: string; total: number; holding: number }>;
  judgments: Record<Judgment, number>;
  deadEnds: number;
  /** Turns that said they did not understand (with a way forward, else they are dead ends). */
  notUnderstoodTurns: number;
  safety: { total: number; right: number };
}

/** A name followed by itself in brackets: "Logeerhuis De Gooise Hoeve (Logeerhuis De Gooise Hoeve (voorbeeld))". */
const DOUBLED_NAME = /(?<![\p{L}\p{N}])(\p{L}[\p{L}\p{N} '-]{3,}?) \(\1(?![\p{L}\p{N}])/u;

const CONTACT = /(?<!\d)(?:0800[\s-]?\d{4}|0\d{2,3}[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}|0\d{2}[\s-]\d{7}|11[23])(?!\d)/;

/** Everything a resident reads in a reply: its text and the text in its cards. */
export function replyText(reply: Reply): string {
  const parts: string[] = [reply.text ?? ''];
  const collect = (value: unknown, key = ''): void => {
    if (typeof value === 'string') {
      if (['text', 'title', 'subtitle', 'value', 'speak', 'altText'].includes(key)) parts.push(value);
    } else if (Array.isArray(value)) value.forEach((v) => collect(v, key));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, k);
  };
  for (const attachment of reply.attachments ?? []) collect(attachment.content);
  return parts.filter(Boolean).join('\n');
}

export function suggested(reply: Reply | undefined): Array<{ type?: string; title?: string; value?: unknown }> {
  return reply?.suggestedActions?.actions ?? [];
}

/** Buttons inside cards (hero card buttons, Adaptive Card actions): Web Chat shows them wherever they are. */
function cardButtons(reply: Reply): Array<{ type?: string; title?: string; value?: unknown; text?: string }> {
  const found: Array<{ type?: string; title?: string; value?: unknown; text?: string }> = [];
  for (const attachment of reply.attachments ?? []) {
    const content = attachment.content as { buttons?: typeof found; actions?: Array<{ type?: string; title?: string; data?: unknown }> } | undefined;
    found.push(...(content?.buttons ?? []));
    for (const a of content?.actions ?? []) found.push({ type: 'postBack', title: a.title, value: a.data, text: a.title });
  }
  return found;
}

/**
 * What counts as example data on screen: names and phone numbers of the example sociale kaart, and
 * the loket and waardering amounts of example municipalities. "voorbeeldgegevens" belongs next to them.
 */
const markersCache = new WeakMap<KnowledgeBase, string[]>();
function exampleMarkers(kb: KnowledgeBase): string[] {
  let markers = markersCache.get(kb);
  if (!markers) {
    const kaart = kb.socialeKaart.example ? kb.socialeKaart : undefined;
    markers = [
      ...(kaart?.services ?? []).flatMap((s) => [s.name, ...(s.phones ?? []).map((p) => p.number)]),
      ...(kaart?.organizations ?? []).map((o) => o.name),
      ...kb.municipalities.filter((m) => m.example).flatMap((m) => [m.loket.phone ?? '', ...(m.settings.mantelzorgwaardering.form.match(/€\s?\d+/g) ?? [])]),
    ].filter(Boolean);
    markersCache.set(kb, markers);
  }
  return markers;
}

/** Every phone number of the sociale kaart and the lokets, with the municipalities it serves. */
const numbersCache = new WeakMap<KnowledgeBase, Array<{ number: string; of: string; gemeenten: string[] }>>();
function localNumbers(kb: KnowledgeBase): Array<{ number: string; of: string; gemeenten: string[] }> {
  let numbers = numbersCache.get(kb);
  if (!numbers) {
    numbers = [
      ...kb.socialeKaart.services.flatMap((s) => (s.phones ?? []).map((p) => ({ number: p.number, of: s.id, gemeenten: (s.service_areas ?? []).map((a) => a.gemeente) }))),
      ...kb.municipalities.filter((m) => m.loket.phone).map((m) => ({ number: m.loket.phone ?? '', of: m.loket.name, gemeenten: [m.code] })),
    ];
    numbersCache.set(kb, numbers);
  }
  return numbers;
}

function topicOf(reply: Reply | undefined): string | undefined {
  return (reply?.entities?.find((e) => e.type === 'wmoTopic') as { topic?: string } | undefined)?.topic;
}

function citedTitles(replies: Reply[]): string[] {
  return replies.flatMap((r) =>
    (r.entities ?? [])
      .filter((e) => e.type === 'https://schema.org/Message')
      .flatMap((e) => ((e as { citation?: Array<{ appearance?: { name?: string; abstract?: string } }> }).citation ?? []).flatMap((c) => [c.appearance?.abstract ?? '', c.appearance?.name ?? ''])),
  );
}

function articleTitle(kb: KnowledgeBase, id: string): string | undefined {
  return kb.articles.find((a) => a.id === id)?.title ?? kb.provisions.find((p) => p.id === id)?.name;
}

function short(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export interface RunOptions {
  kb: KnowledgeBase;
  router: TopicRouter;
  /** Only these conversation ids. */
  ids?: string[];
}

export async function runConversationSet(set: ConversationSet, options: RunOptions): Promise<SetReport> {
  const chosen = options.ids?.length ? set.conversations.filter((c) => options.ids?.includes(c.id)) : set.conversations;
  const results: ConversationResult[] = [];
  for (const conversation of chosen) results.push(await playConversation(set, conversation, options));
  return summarize(results);
}

export async function playConversation(set: ConversationSet, conversation: Conversation, { kb, router }: RunOptions): Promise<ConversationResult> {
  const chat = new EvalChat(kb, router, new Date(conversation.clock ?? set.defaults.clock));
  let previous = await chat.open(conversation.gemeente);
  const turns: TurnResult[] = [];
  for (const turn of conversation.turns) {
    const logBefore = chat.log.length;
    const meldingenBefore = chat.meldingen.length;
    const checks: CheckResult[] = [];
    let replies: Reply[];
    let input: string;
    if (turn.press !== undefined) {
      input = turn.press;
      const { action, check } = findButton(previous, turn.press);
      checks.push(check);
      replies = await chat.press(action ?? { type: 'imBack', value: turn.press });
    } else {
      input = padded(turn);
      replies = await chat.say(input);
    }
    const log = chat.log.slice(logBefore);
    const stored = chat.meldingen.slice(meldingenBefore);
    checks.push(...evaluateTurn(set, turn, replies, { kb, log, stored, gemeente: conversation.gemeente }));
    turns.push({ input, pressed: turn.press !== undefined, replies, checks, deadEnd: isDeadEnd(set, replies) });
    previous = replies;
  }
  return judge(conversation, turns);
}

function padded(turn: Turn): string {
  const text = turn.say ?? '';
  if (!turn.padTo || !text) return text;
  let out = text;
  while (out.length < turn.padTo) out += ` ${text}`;
  return out;
}

/** The button the resident presses must be visible: suggested actions on the last message, or a card button. */
function findButton(previous: Reply[], label: string): { action?: { type?: string; title?: string; value?: unknown; text?: string }; check: CheckResult } {
  const same = (a: { title?: string; value?: unknown }) => normalizeText(a.title ?? String(a.value ?? '')) === normalizeText(label);
  const visible = [...suggested(previous[previous.length - 1]), ...previous.flatMap(cardButtons)].find(same);
  if (visible) return { action: visible, check: { check: 'press', ok: true, detail: `button "${label}" visible` } };
  const hidden = previous.slice(0, -1).flatMap(suggested).find(same);
  if (hidden) return { action: hidden, check: { check: 'press', ok: false, detail: `button "${label}" is not on the last message: Web Chat does not show it` } };
  return { check: { check: 'press', ok: false, detail: `no button "${label}" offered; typed instead` } };
}

interface TurnContextView {
  kb: KnowledgeBase;
  /** The conversation's municipality: local phone numbers must be its own. */
  gemeente?: string | null;
  log: Array<{ level: string; msg: string }>;
  stored: ReadonlyArray<{ situatie: string }>;
}

export function evaluateTurn(set: ConversationSet, turn: Turn, replies: Reply[], { kb, log, stored, gemeente }: TurnContextView): CheckResult[] {
  const expect = turn.expect ?? {};
  const text = replies.map(replyText).join('\n');
  const last = replies[replies.length - 1];
  const results: CheckResult[] = [];
  const add = (check: string, ok: boolean, detail: string) => results.push({ check, ok, detail });

  // Always: a reply, no crash, at most N messages, buttons only where Web Chat shows them, understood.
  add('replied', replies.length > 0, replies.length ? `${replies.length} message(s)` : 'no reply at all');
  const failed = log.some((l) => l.level === 'error');
  add('noError', !failed, failed ? `turn failed: ${log.find((l) => l.level === 'error')?.msg}` : 'no error');
  const max = expect.maxMessages ?? set.defaults.maxMessages;
  add('maxMessages', replies.length <= max, `${replies.length} message(s), at most ${max}`);
  const early = replies.slice(0, -1).findIndex((r) => suggested(r).length > 0);
  add('buttonsOnLast', early < 0, early < 0 ? 'buttons only on the last message' : `buttons on message ${early + 1} of ${replies.length}: Web Chat does not show them`);
  if (expect.buttonsOnLast) add('buttonsOnLast', suggested(last).length > 0, suggested(last).length ? 'buttons on the last message' : 'no buttons on the last message');
  if (textHas(text, 'voorbeeldgegevens')) {
    const shown = exampleMarkers(kb).some((m) => textHas(text, m));
    add('exampleNotice', shown, shown ? '"voorbeeldgegevens" next to example data' : '"voorbeeldgegevens" without any example data in the turn');
  }
  const raw = set.rawText.find((r) => textHas(text, r));
  add('noRawText', !raw, raw ? `shows raw text "${raw}"` : 'no raw formatting');
  const doubled = DOUBLED_NAME.exec(text);
  add('noDoubledName', !doubled, doubled ? `doubled name "${short(doubled[0], 100)}"` : 'no doubled names');
  if (gemeente) {
    const foreign = localNumbers(kb).filter((n) => !n.gemeenten.includes(gemeente) && textHas(text, n.number));
    add('localNumbers', foreign.length === 0, foreign.length ? `numbers of another municipality: ${foreign.map((n) => `${n.number} (${n.of})`).join(', ')}` : 'local numbers are for this municipality');
  }
  if (!expect.mayNotUnderstand) {
    const said = set.notUnderstood.find((p) => textHas(text, p));
    add('understood', !said, said ? `said "${said}"` : 'no "did not understand"');
  }

  for (const needle of expect.mustContain ?? []) {
    const ok = needles(needle).some((n) => textHas(text, n));
    add('mustContain', ok, `${ok ? 'has' : 'missing'} ${JSON.stringify(needle)}`);
  }
  for (const needle of expect.mustNotContain ?? []) {
    const ok = !textHas(text, needle);
    add('mustNotContain', ok, `${ok ? 'without' : 'has'} "${needle}"`);
  }
  if (expect.topic !== undefined) {
    const allowed = [expect.topic].flat();
    const got = topicOf(last);
    add('topic', got !== undefined && allowed.includes(got), `topic ${got ?? '(none)'}, expected ${allowed.join(' or ')}`);
  }
  if (expect.citesArticle !== undefined) {
    const ids = [expect.citesArticle].flat();
    const cited = citedTitles(replies).map(normalizeText);
    const ok = ids.some((id) => {
      const title = normalizeText(articleTitle(kb, id) ?? id);
      return cited.some((c) => c.includes(title)) || normalizeText(text).includes(title);
    });
    add('citesArticle', ok, `${ok ? 'cites' : 'does not cite'} ${ids.join(' or ')}`);
  }
  for (const label of expect.buttons ?? []) {
    const ok = suggested(last).some((a) => normalizeText(a.title ?? String(a.value)) === normalizeText(label));
    add('buttons', ok, `${ok ? 'has' : 'no'} button "${label}" on the last message`);
  }
  if (expect.safetyNumber !== undefined) {
    const ok = needles(expect.safetyNumber).some((n) => textHas(text, n));
    add('safetyNumber', ok, `${ok ? 'shows' : 'does not show'} ${needles(expect.safetyNumber).join(' or ')}`);
  }
  if (expect.storedStory) {
    const story = stored.map((m) => m.situatie).join('\n');
    add('storedStory', stored.length > 0, stored.length ? `melding stored: "${short(story)}"` : 'no melding stored');
    for (const needle of expect.storedStory.contains ?? []) {
      const ok = stored.length > 0 && needles(needle).some((n) => textHas(story, n));
      add('storedStory', ok, `story ${ok ? 'holds' : 'lacks'} ${JSON.stringify(needle)}`);
    }
    for (const needle of expect.storedStory.notContains ?? []) {
      const ok = !textHas(story, needle);
      add('storedStory', ok, `story ${ok ? 'without' : 'holds'} "${needle}"`);
    }
  }
  if (expect.notSafety) {
    const warned = log.some((l) => l.level === 'warn' && /safety/i.test(l.msg));
    const topic = topicOf(last);
    add('notSafety', !warned && topic !== 'veiligheid', warned ? 'safety warning in the log' : topic === 'veiligheid' ? 'answered as a safety signal' : 'no safety alarm');
  }
  return results;
}

export function isDeadEnd(set: ConversationSet, replies: Reply[]): boolean {
  if (replies.length === 0) return true;
  const text = replies.map(replyText).join('\n');
  const stuck = set.notUnderstood.some((p) => textHas(text, p));
  const wayForward = suggested(replies[replies.length - 1]).length > 0 || replies.some((r) => cardButtons(r).length > 0) || CONTACT.test(text);
  return stuck && !wayForward;
}

function judge(conversation: Conversation, turns: TurnResult[]): ConversationResult {
  const holds = turns.every((t) => t.checks.every((c) => c.ok));
  const hasAnswerChecks = (i: number) => ANSWER_CHECKS.some((k) => conversation.turns[i].expect?.[k] !== undefined);
  let main = conversation.turns.findIndex((t) => t.expect?.main);
  if (main < 0) main = [...conversation.turns.keys()].reverse().find(hasAnswerChecks) ?? turns.length - 1;
  const mainOk = turns[main].checks.filter((c) => (ANSWER_CHECKS as readonly string[]).includes(c.check) || c.check === 'replied' || c.check === 'understood').every((c) => c.ok);
  const safetyChecks = turns.flatMap((t) => t.checks.filter((c) => c.check === 'safetyNumber'));
  return {
    conversation,
    turns,
    holds,
    judgment: holds ? 'useful' : mainOk ? 'partly' : 'not',
    deadEnds: turns.filter((t) => t.deadEnd).length,
    safetyRight: safetyChecks.length ? safetyChecks.every((c) => c.ok) : undefined,
  };
}

export function summarize(results: ConversationResult[]): SetReport {
  const classes = [...new Set(results.map((r) => r.conversation.class))];
  const safety = results.filter((r) => r.safetyRight !== undefined);
  const holding = results.filter((r) => r.holds).length;
  return {
    results,
    total: results.length,
    holding,
    share: results.length ? holding / results.length : 0,
    perClass: classes.map((cls) => {
      const own = results.filter((r) => r.conversation.class === cls);
      return { cls, total: own.length, holding: own.filter((r) => r.holds).length };
    }),
    judgments: {
      useful: results.filter((r) => r.judgment === 'useful').length,
      partly: results.filter((r) => r.judgment === 'partly').length,
      not: results.filter((r) => r.judgment === 'not').length,
    },
    deadEnds: results.reduce((n, r) => n + r.deadEnds, 0),
    notUnderstoodTurns: results.reduce((n, r) => n + r.turns.filter((t) => t.checks.some((c) => c.check === 'understood' && !c.ok)).length, 0),
    safety: { total: safety.length, right: safety.filter((r) => r.safetyRight).length },
  };
}

const pct = (n: number, d: number) => `${d ? ((n / d) * 100).toFixed(1) : '0.0'}% (${n}/${d})`;

export function formatReport(report: SetReport, options: { failures?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(`Conversations: ${report.total}   hold: ${pct(report.holding, report.total)}`);
  lines.push(`Safety: right number in ${pct(report.safety.right, report.safety.total)} of safety conversations`);
  const { useful, partly, not } = report.judgments;
  lines.push(`Useful ${pct(useful, report.total)}   partly ${pct(partly, report.total)}   not ${pct(not, report.total)}`);
  lines.push(`Dead ends: ${report.deadEnds}   turns that said they did not understand: ${report.notUnderstoodTurns}`);
  lines.push('', 'Per class:');
  for (const c of report.perClass) lines.push(`  ${c.cls.padEnd(22)} ${pct(c.holding, c.total)}`);
  if (options.failures !== false) {
    lines.push('', 'Failing checks (class, check: count, conversation#turn):');
    for (const c of report.perClass) {
      const failing = new Map<string, string[]>();
      for (const r of report.results.filter((x) => x.conversation.class === c.cls))
        r.turns.forEach((t, i) => t.checks.filter((k) => !k.ok).forEach((k) => failing.set(k.check, [...(failing.get(k.check) ?? []), `${r.conversation.id}#${i + 1}`])));
      if (failing.size === 0) continue;
      lines.push(`  ${c.cls}`);
      for (const [check, where] of [...failing].sort((a, b) => b[1].length - a[1].length)) lines.push(`    ${check}: ${where.length}  ${where.join(' ')}`);
    }
  }
  return lines.join('\n');
}

/** A readable transcript: what the resident typed, what the bot said, and every failing check. */
export function formatTranscript(result: ConversationResult, options: { all?: boolean } = {}): string {
  const c = result.conversation;
  const lines = [`=== ${c.id} [${c.class}] ${c.gemeente ?? 'no municipality'}: ${result.judgment}${result.deadEnds ? `, ${result.deadEnds} dead end(s)` : ''}`, `    ${c.description}`];
  result.turns.forEach((t, i) => {
    lines.push(`  ${i + 1}. ${t.pressed ? '[button] ' : ''}> ${short(t.input, 160)}`);
    t.replies.forEach((r, j) => {
      const buttons = suggested(r).map((a) => a.title ?? String(a.value));
      const body = replyText(r).replace(/\n+/g, ' / ');
      lines.push(`     bot ${j + 1} {${topicOf(r) ?? '-'}}: ${body}${buttons.length ? `  [buttons: ${buttons.join(' | ')}]` : ''}`);
    });
    for (const k of t.checks) if (!k.ok || options.all) lines.push(`     ${k.ok ? 'ok' : 'FAIL'} ${k.check}: ${k.detail}`);
    if (t.deadEnd) lines.push('     DEAD END: no way forward');
  });
  return lines.join('\n');
}
