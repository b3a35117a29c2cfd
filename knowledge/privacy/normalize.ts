/**
 * A normalised view of a text for matching personal data, with a map back to the original.
 *
 * People (and attackers) write the same number in many ways: fullwidth digits, non-breaking or
 * narrow spaces, en dashes, a zero-width space in the middle. Detectors match on this view, where
 * every space is ' ', every dash is '-', every digit is 0-9 (also Arabic-Indic and other scripts),
 * invisible format characters are gone and everything else is NFKC; the redactor then replaces the matching span of the *original* text, so the rest
 * of what the resident wrote (their dashes, emoji, line breaks) stays as it was.
 */

export interface NormalizedView {
  /** The normalised text the detectors read. */
  text: string;
  /** For each UTF-16 unit of `text`: where the original character that produced it starts and ends. */
  from: number[];
  to: number[];
}

// Zero-width and other format characters (ZWSP, ZWJ, soft hyphen, bidi marks, BOM, word joiner),
// plus the combining grapheme joiner: invisible, so they must not split a number.
const INVISIBLE = /^[\p{Cf}\u034F]$/u;
const SPACE = /^[\s\p{Zs}]$/u;
const DASH = /^[\p{Pd}\u2212]$/u;

// Dots people use between groups of digits besides '.': middle dot, bullet, dot operators.
const DOT_LIKE = /^[\u00b7\u2022\u2219\u22c5\u30fb]$/u;
const DIGIT = /^\p{Nd}$/u;

/**
 * The value of a decimal digit of any script (Arabic-Indic ٣, Devanagari ३, …), which NFKC leaves
 * as it is. Unicode puts each script's digits 0-9 in a row, so the value is the position in it.
 */
function digitValue(ch: string): string {
  let cp = ch.codePointAt(0)!;
  let position = 0;
  while (DIGIT.test(String.fromCodePoint(cp - 1))) {
    cp--;
    position++;
  }
  return String(position % 10);
}

function normalizeChar(ch: string): string {
  if (INVISIBLE.test(ch)) return '';
  if (SPACE.test(ch)) return ' ';
  if (DASH.test(ch)) return '-';
  if (DOT_LIKE.test(ch)) return '.';
  const nfkc = ch.normalize('NFKC');
  return DIGIT.test(nfkc) && !/^[0-9]$/.test(nfkc) ? digitValue(nfkc) : nfkc;
}

export function normalizedView(input: string): NormalizedView {
  if (/^[\x20-\x7e]*$/.test(input)) {
    // Printable ASCII (most state and log strings) is already normal: the view is the text itself.
    const from = Array.from({ length: input.length }, (_, i) => i);
    return { text: input, from, to: from.map((i) => i + 1) };
  }
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let offset = 0;
  for (const ch of input) {
    const start = offset;
    offset += ch.length;
    const mapped = normalizeChar(ch);
    for (let i = 0; i < mapped.length; i++) {
      from.push(start);
      to.push(offset);
    }
    text += mapped;
  }
  return { text, from, to };
}

/**
 * Lower case without diacritics, one unit for one unit (so positions stay valid): for matching
 * words such as "alzheimerpatiënt" or "PSYCHOSE" against a term list.
 */
export function foldForWords(text: string): string {
  let out = '';
  for (const ch of text) {
    const folded = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    out += folded.length === ch.length ? folded : ch;
  }
  return out;
}
