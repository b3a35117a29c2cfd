/**
 * Redaction of personal data before anything is stored or logged: BSN, IBAN, e-mail, phone,
 * date of birth and street address, and (for free-text stories) medical terms.
 *
 * One function finds personal data (findPersonalData) and everything else is built on it, so
 * what the bot tells a resident ("Ik heb uw BSN weggehaald") and what is stored always agree.
 * Detectors read a normalised view of the text (normalize.ts: NFKC, one kind of space and dash,
 * no zero-width characters); the matching part of the original text is replaced by a placeholder
 * such as "[BSN verwijderd]", so the rest still reads as the resident wrote it.
 * Pure functions; used by the logger, the storage layer and the dialogs alike.
 */
import { createHash } from 'node:crypto';
import { foldForWords, normalizedView, type NormalizedView } from './normalize.js';

export type PersonalDataKind = 'bsn' | 'iban' | 'email' | 'telefoon' | 'geboortedatum' | 'adres';

export interface Redaction {
  text: string;
  found: PersonalDataKind[];
}

/** Where in the original text a piece of personal data was found. */
export interface Finding {
  kind: PersonalDataKind;
  start: number;
  end: number;
}

const PLACEHOLDER: Record<PersonalDataKind, string> = {
  bsn: '[BSN verwijderd]',
  iban: '[IBAN verwijderd]',
  email: '[e-mail verwijderd]',
  telefoon: '[telefoon verwijderd]',
  geboortedatum: '[geboortedatum verwijderd]',
  adres: '[adres verwijderd]',
};

export const MEDICAL_PLACEHOLDER = '[medisch gegeven verwijderd]';

/** The BSN 11-proef: 9 digits, weights 9..2 and -1, sum divisible by 11 (and not all zero). */
export function isValidBsn(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || /^0+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (9 - i);
  sum -= Number(digits[8]);
  return sum % 11 === 0;
}

/** IBAN check: ISO 13616 mod-97. */
export function isValidIban(candidate: string): boolean {
  const iban = candidate.replace(/[\s.-]+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** A span of the normalised text. 'eigen' marks identifiers the software itself writes. */
interface Span {
  kind: PersonalDataKind | 'eigen';
  start: number;
  end: number;
}

// Identifiers and timestamps the service writes itself (UUIDs, ISO times): never personal data,
// and their digits must not be read as a BSN or a phone number.
const OWN_IDENTIFIERS = [
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
  /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g,
];

// E-mail, also as people hide it: jan(at)gmail.com, jan [at] gmail punt com, henk punt bakker at ziggo punt nl.
const WORD = '[\\p{L}\\p{M}\\p{N}_%+-]+';
const LABEL = '[\\p{L}\\p{M}\\p{N}-]+';
const HIDDEN_DOT = '\\s+(?:punt|dot)\\s+|\\s*[([{<]\\s*(?:punt|dot|\\.)\\s*[)\\]}>]\\s*';
const DOT = `(?:\\.|${HIDDEN_DOT})`;
// Next to a real @ a spaced dot is part of the address too: "jan @ hotmail . com".
const DOT_SPACED = `(?:\\s*\\.\\s*|${HIDDEN_DOT})`;
const AT_MARKED = '(?:\\s*@\\s*|\\s*[([{<]\\s*(?:at|@|apenstaartje)\\s*[)\\]}>]\\s*)';
const AT_WORD = '\\s+(?:at|apenstaartje)\\s+';
const END = '(?![\\p{L}\\p{M}\\p{N}])';
// "at" as a plain word is ordinary Dutch ("hij at brood"): then only a known top-level domain counts.
const COMMON_TLD = '(?:nl|com|net|org|be|eu|de|info|nu|online|email|mail|live|me|frl)';
// Matches start only where a word starts: trying every position of a long word costs quadratic time.
const START = '(?<![\\p{L}\\p{M}\\p{N}_%+-])';
const EMAIL = [
  new RegExp(`${START}${WORD}(?:${DOT_SPACED}${WORD})*${AT_MARKED}${LABEL}(?:${DOT_SPACED}${LABEL})*${DOT_SPACED}\\p{L}{2,}${END}`, 'giu'),
  new RegExp(`${START}${WORD}(?:${DOT}${WORD})*${AT_WORD}${LABEL}(?:${DOT}${LABEL})*${DOT}${COMMON_TLD}${END}`, 'giu'),
];

// Dutch phone numbers in any grouping: (035) 528 12 34, 06.12.34.56.78, 06/12345678, tel0612345678,
// +31 (0)6 1234 5678, 0031 20 123 4567, 31612345678; and foreign numbers written with +. Short public numbers
// (0800-2000, 14 035, 112) have fewer digits and are left alone on purpose.
const PHONE_GAP = '[ ./()-]{0,3}';
const PHONE = [
  new RegExp(`(?<!\\d)(?:(?:\\+|00) ?31${PHONE_GAP}(?:\\(0\\)${PHONE_GAP})?|\\(?0${PHONE_GAP})[1-9](?:${PHONE_GAP}\\d){8}(?!\\d)`, 'g'),
  new RegExp(`(?<![\\d+])\\+ ?[1-9]\\d{0,2}(?:${PHONE_GAP}\\d){6,12}(?!\\d)`, 'g'),
  // A mobile number written for WhatsApp, without + or 00: 31612345678.
  new RegExp(`(?<![\\d+])31 ?-?6(?:${PHONE_GAP}\\d){8}(?!\\d)`, 'g'),
];
// A date with a time after it ("01-02-2024 12:00", "01012024 14:00") has ten digits and starts
// with 0, but is not a phone number.
const DATE_AT_START = /^\(?(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?!\2?\d)/;

// Numbers written with separators: 123 456 782, 123.456.782, 1234 56 782, 123/456/782, 123_456_782.
const DIGIT_RUN = /\d+(?:[ ._/,-]{1,3}\d+)*/g;
const MONEY_BEFORE = /(?:€|\beur|\beuro)\s*$/i;
const MONEY_AFTER = /^\s*(?:€|eur\b|euro|,-)/i;
const DATE_SHAPED = /^(?:\d{1,2}([-/.])\d{1,2}\1\d{2,4}|\d{4}([-/.])\d{1,2}\2\d{1,2})$/;

const MONTHS = 'januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec';
const DATE_TEXT = `\\d{1,2} ?[-/.] ?\\d{1,2} ?[-/.] ?\\d{2,4}|\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2} (?:${MONTHS})\\.? \\d{2,4}|\\d{6,8}`;
// A date counts as a date of birth when a birth word comes just before it (same sentence).
const BIRTH_DATE = new RegExp(
  `(?:geboren|geb\\.? ?datum|geb\\.?|geboortedatum|geboortedag|geboorte datum|verjaardag|jarig|dob)(?!\\p{L})[^.!?\\n\\d]{0,25}?(${DATE_TEXT})(?!\\d)`,
  'giud',
);

// Street and house number: Kerkstraat 12, Brinklaan 101-3, Stationsweg 4a. Suffixes that are
// also ordinary words ("vergadering", "loopbaan") only count with a capital: Stadspark 3.
const HOUSE_NUMBER = '\\d{1,5}(?:[a-zA-Z](?!\\p{L})| ?- ?[a-zA-Z0-9]{1,4}(?![\\p{L}\\p{N}])| (?:hs|bis)(?!\\p{L}))?(?!\\p{N})';
const STREET = [
  new RegExp(
    `(?<![\\p{L}\\p{N}])(?!onderweg|halfweg)\\p{L}{2}[\\p{L}'-]*?(?:straat|str\\.|laan|gracht|plein|kade|singel|dreef|steeg|dijk|weg|plantsoen|allee|boulevard|hof|markt) ?,? ?${HOUSE_NUMBER}`,
    'gu',
  ),
  new RegExp(
    `(?<![\\p{L}\\p{N}])\\p{Lu}\\p{Ll}+?(?:park|haven|pad|baan|veld|wal|erf|dam|burg|berg|hoek|brink|zijde|poort|kamp|horst|akker|gaarde|donk|heuvel|hout|wijk) ?,? ?${HOUSE_NUMBER}`,
    'gu',
  ),
];
// Dutch postcode, 1234 AB (SA, SD and SS are not issued).
const POSTCODE = /(?<![\p{L}\p{N}])[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}(?![\p{L}\p{N}])/gu;

function regexSpans(text: string, kind: Span['kind'], pattern: RegExp, accept?: (match: string, start: number) => boolean): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(pattern)) {
    if (accept && !accept(match[0], match.index)) continue;
    spans.push({ kind, start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

function isDateAtStart(text: string): boolean {
  const date = DATE_AT_START.exec(text);
  if (date) return Number(date[1]) >= 1 && Number(date[1]) <= 31 && Number(date[3]) >= 1 && Number(date[3]) <= 12;
  const compact = /^\(?(\d{8})(?!\d)/.exec(text); // 01012024 14:00
  return !!compact && looksLikeDate(compact[1]);
}

/** IBAN lengths of the countries residents of the region bank in most (ISO 13616 registry). */
const IBAN_LENGTH: Record<string, number> = {
  NL: 18, BE: 16, DE: 22, LU: 20, FR: 27, GB: 22, ES: 24, IT: 27, PT: 25, AT: 20, CH: 21, PL: 28, DK: 18, SE: 24, NO: 15, FI: 18, IE: 22, TR: 26,
};

/** IBANs, also written with double spaces, dots or dashes between the groups. */
function ibanSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const start of text.matchAll(/(?<![\p{L}\p{N}])[A-Z]{2}\d{2}/giu)) {
    // Walk on over letters and digits, allowing up to three separators between them.
    let chars = '';
    const ends: number[] = []; // ends[n - 1]: where the candidate with n characters ends
    let gap = 0;
    for (let i = start.index; i < text.length && chars.length < 34; i++) {
      const ch = text[i];
      if (/[A-Za-z0-9]/.test(ch)) {
        chars += ch;
        ends.push(i + 1);
        gap = 0;
      } else if (/[ .-]/.test(ch) && gap < 3 && chars.length >= 4) {
        gap++;
      } else break;
    }
    // The country's own length where known; otherwise the shortest valid one that ends a word.
    const known = IBAN_LENGTH[chars.slice(0, 2).toUpperCase()];
    for (let n = known ?? 15; n <= (known ?? 34) && n <= chars.length; n++) {
      const candidate = chars.slice(0, n).toUpperCase();
      const endsWord = !/[A-Za-z0-9]/.test(text[ends[n - 1]] ?? '');
      const dutchShape = /^NL\d{2}[A-Z]{4}\d{10}$/.test(candidate); // a mistyped Dutch IBAN is still one
      if (endsWord && (isValidIban(candidate) || dutchShape)) {
        spans.push({ kind: 'iban', start: start.index, end: ends[n - 1] });
        break;
      }
    }
  }
  return spans;
}

/** ddmmyyyy or yyyymmdd with a real-looking day and month: a date, not a BSN without its 0. */
function looksLikeDate(digits: string): boolean {
  const ddmmyyyy = { d: +digits.slice(0, 2), m: +digits.slice(2, 4), y: +digits.slice(4) };
  const yyyymmdd = { y: +digits.slice(0, 4), m: +digits.slice(4, 6), d: +digits.slice(6) };
  return [ddmmyyyy, yyyymmdd].some(({ d, m, y }) => d >= 1 && d <= 31 && m >= 1 && m <= 12 && y >= 1900 && y <= 2099);
}

/**
 * BSNs: nine digits that pass the 11-proef, written whole or in groups of at most four joined by
 * one kind of separator (so "12-03-2024, 3 dagen" or "09012024, 3 dagen" is not read as one
 * number), or eight digits when the leading 0 was
 * left off. Amounts (€, euro) and dates are not BSNs.
 */
function bsnSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const run of text.matchAll(DIGIT_RUN)) {
    const runStart = run.index;
    const runEnd = runStart + run[0].length;
    if (MONEY_BEFORE.test(text.slice(Math.max(0, runStart - 6), runStart)) || MONEY_AFTER.test(text.slice(runEnd, runEnd + 6))) continue;
    if (DATE_SHAPED.test(run[0])) continue;
    const groups = [...run[0].matchAll(/\d+/g)].map((g) => ({ digits: g[0], start: runStart + g.index, end: runStart + g.index + g[0].length }));
    const separator = (i: number) => text.slice(groups[i].end, groups[i + 1].start).replace(/ /g, '') || ' ';
    for (let i = 0; i < groups.length; i++) {
      let digits = '';
      for (let j = i; j < groups.length; j++) {
        digits += groups[j].digits;
        if (digits.length > 9 || (j > i && (separator(j - 1) !== separator(i) || groups[j].digits.length > 4 || groups[i].digits.length > 4))) break;
        const whole = i === 0 && j === groups.length - 1;
        const bsn =
          (digits.length === 9 && isValidBsn(digits)) ||
          (digits.length === 8 && whole && !looksLikeDate(digits) && isValidBsn(`0${digits}`));
        if (bsn) {
          spans.push({ kind: 'bsn', start: groups[i].start, end: groups[j].end });
          i = j;
          break;
        }
      }
    }
  }
  return spans;
}

function birthDateSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(BIRTH_DATE)) {
    const [start, end] = match.indices![1];
    spans.push({ kind: 'geboortedatum', start, end });
  }
  return spans;
}

// Words before a street that belong to its name: "Graaf Wichmanlaan 25", "Van der Veldelaan 3",
// "Burg. de Withstraat 2". Only capitalised words and the particles after them.
const STREET_NAME_BEFORE = /(?:\p{Lu}[\p{L}'-]*\.? (?:(?:van|der|den|de|het|ter|te|la|le) )*)+$/u;

function addressSpans(text: string): Span[] {
  // Street suffixes are matched in lower case too ("KERKSTRAAT 12", "kerkstraat 12").
  const lower = foldForWords(text);
  const streets = [...regexSpans(lower, 'adres', STREET[0]), ...regexSpans(text, 'adres', STREET[1])].map((span) => {
    const before = STREET_NAME_BEFORE.exec(text.slice(Math.max(0, span.start - 60), span.start));
    return before ? { ...span, start: span.start - before[0].length } : span;
  });
  return [...streets, ...regexSpans(text, 'adres', POSTCODE)];
}

/** Every finding in the normalised view; earlier detectors win where spans overlap. */
function detect(view: NormalizedView): Span[] {
  const text = view.text;
  // Everything but an e-mail address has digits; most strings (state, logs) have none.
  const digits = /\d/.test(text);
  const candidates: Span[] = [
    ...(digits ? OWN_IDENTIFIERS.flatMap((pattern) => regexSpans(text, 'eigen', pattern)) : []),
    ...(/@|\bat\b|apenstaartje/i.test(text) ? EMAIL.flatMap((pattern) => regexSpans(text, 'email', pattern)) : []),
    ...(digits ? ibanSpans(text) : []),
    ...(digits ? PHONE.flatMap((pattern) => regexSpans(text, 'telefoon', pattern, (_m, start) => !isDateAtStart(text.slice(start)))) : []),
    ...(digits ? birthDateSpans(text) : []),
    ...(digits ? bsnSpans(text) : []),
    ...(digits ? addressSpans(text) : []),
  ];
  const taken: Span[] = [];
  for (const span of candidates) {
    if (!taken.some((t) => span.start < t.end && t.start < span.end)) taken.push(span);
  }
  return taken.filter((span) => span.kind !== 'eigen' && !isPublicContact(span, text)).sort((a, b) => a.start - b.start);
}

/**
 * Phone numbers and e-mail addresses the knowledge base and the bot's own texts publish (the
 * loket, the sociale kaart, De Luisterlijn): organisations' contacts, not personal data. The bot's
 * answers keep them wherever they are stored, so a resident who is served a stored copy (after a
 * restart, from another instance) still sees the number to call, and staff see what the bot said.
 */
const publicContacts = new Set<string>();

function canonicalContact(kind: Span['kind'], text: string): string {
  if (kind === 'email') return text.toLowerCase().replace(/\s+/g, '');
  // +31 35 000 11 49, 0031…, 035-000 11 49: the same number.
  return text.replace(/\D/g, '').replace(/^(?:00)?31(?=[1-9]\d{8}$)/, '0');
}

function isPublicContact(span: Span, text: string): boolean {
  return (span.kind === 'telefoon' || span.kind === 'email') && publicContacts.has(canonicalContact(span.kind, text.slice(span.start, span.end)));
}

/** Every phone number and e-mail address in these published texts is left alone from now on. */
export function allowPublicContacts(texts: Iterable<string>): void {
  for (const text of texts) {
    const view = normalizedView(text);
    for (const span of detect(view)) {
      if (span.kind !== 'telefoon' && span.kind !== 'email') continue;
      const contact = canonicalContact(span.kind, view.text.slice(span.start, span.end));
      // "Typ het zo: 06 12345678" shows a format; a resident's own 06 12345678 stays personal.
      if (span.kind === 'telefoon' && contact.includes('1234567')) continue;
      publicContacts.add(contact);
    }
  }
  remembered.clear();
}

/** Every string inside a value (a knowledge file, the bot's content), for allowPublicContacts. */
export function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* stringsIn(item);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) yield* stringsIn(item);
}

/**
 * Where the personal data of longer texts were, by the text's digest: the bot's answers are
 * redacted again and again (every resident's transcript, state and handoff history) at a third of
 * a millisecond each. Only the digest and the positions are kept, never any text, so nothing a
 * resident wrote stays in memory after its erasure.
 */
const remembered = new Map<string, readonly Finding[]>();
const REMEMBERED_MAX = 5_000;
const WORTH_REMEMBERING = 80;

// A whole string that is one identifier or time the service writes itself (a UUID, `toISOString()`),
// as stored state carries turn after turn: detect() would find only that identifier.
const OWN_IDENTIFIER_ALONE = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)$/i;

/** Personal data in `input`, with positions in `input` itself. */
export function findPersonalData(input: string): Finding[] {
  if (input.length <= 36 && OWN_IDENTIFIER_ALONE.test(input)) return [];
  const digest = input.length >= WORTH_REMEMBERING ? createHash('sha256').update(input).digest('base64') : undefined;
  const known = digest ? remembered.get(digest) : undefined;
  if (known) return known.map((f) => ({ ...f }));
  const view = normalizedView(input);
  const findings = detect(view).map((span) => ({
    kind: span.kind as PersonalDataKind,
    start: view.from[span.start],
    end: view.to[span.end - 1],
  }));
  if (digest) {
    if (remembered.size >= REMEMBERED_MAX) remembered.clear();
    remembered.set(digest, findings.map((f) => ({ ...f })));
  }
  return findings;
}

function replaceSpans(input: string, spans: Array<{ start: number; end: number; placeholder: string }>): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += input.slice(at, span.start) + span.placeholder;
    at = span.end;
  }
  return out + input.slice(at);
}

/** Redact BSN, IBAN, e-mail, phone numbers, dates of birth and addresses. Returns the clean text and what was found. */
export function redact(input: string): Redaction {
  const findings = findPersonalData(input);
  return {
    text: replaceSpans(input, findings.map((f) => ({ ...f, placeholder: PLACEHOLDER[f.kind] }))),
    found: [...new Set(findings.map((f) => f.kind))],
  };
}

/** Redact every string inside a JSON-like value (for stored state and log objects). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value).text as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactDeep(item);
    return out as T;
  }
  return value;
}

const medicalPatterns = new WeakMap<readonly string[], RegExp>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One pattern for a term list. A term of five letters or more also matches inside a word, so
 * compounds and inflections go with it (longkanker, alzheimerpatiënt, dementerend for "dement");
 * shorter terms (CVA, hiv, copd) only as a word or a hyphenated part (CVA-patiënt), because as
 * parts of words they are too often something else.
 */
function medicalPattern(terms: readonly string[]): RegExp {
  let pattern = medicalPatterns.get(terms);
  if (!pattern) {
    const folded = terms.map((term) => foldForWords(term.trim())).filter(Boolean);
    const source = (list: string[]) => list.map((term) => escapeRegExp(term).replace(/\s+/g, '\\s+')).join('|') || '(?!)';
    const letter = '[\\p{L}\\p{M}\\p{N}]';
    const long = source(folded.filter((term) => term.length >= 5));
    const short = source(folded.filter((term) => term.length < 5));
    pattern = new RegExp(
      `(?<!${letter}|-)(?:(?:${letter}+-)*${letter}*(?:${long})${letter}*|(?:${letter}+-)*(?:${short})(?!${letter}))(?:-${letter}+)*`,
      'gu',
    );
    medicalPatterns.set(terms, pattern);
  }
  return pattern;
}

/** Replace words with a medical term from `terms` (content: melding.json medicalTerms). */
export function redactMedical(input: string, terms: readonly string[]): { text: string; medical: boolean } {
  if (!terms.length) return { text: input, medical: false };
  const view = normalizedView(input);
  const spans = regexSpans(foldForWords(view.text), 'eigen', medicalPattern(terms)).map((span) => ({
    start: view.from[span.start],
    end: view.to[span.end - 1],
    placeholder: MEDICAL_PLACEHOLDER,
  }));
  return { text: replaceSpans(input, spans), medical: spans.length > 0 };
}
