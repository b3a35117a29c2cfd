/**
 * Every free text that goes to a municipality's API passes here: redact() from knowledge/ first
 * (BSN, IBAN, e-mail, phone), then a wider net for a BSN written in a way redact() does not
 * expect (full-width digits, no-break or double spaces, slashes, underscores). A record leaves
 * without a BSN, whatever the resident typed; a catch by the second net is reported (without the
 * number) so the redaction in knowledge/ can learn the spelling.
 */
import { isValidBsn, redact } from '../../knowledge/privacy/redact.js';

const BSN_PLACEHOLDER = '[BSN verwijderd]';
// Nine digits, each separated by at most three characters that are neither letters nor digits.
const SPACED_NINE_DIGITS = /(?<![\p{N}])\p{Nd}(?:[^\p{L}\p{N}]{0,3}\p{Nd}){8}(?![^\p{L}\p{N}]{0,3}\p{Nd})/gu;

function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (digit) => {
    const normal = digit.normalize('NFKC');
    if (/^[0-9]$/.test(normal)) return normal;
    // Other scripts' digits (Arabic-Indic, Devanagari…): their value is their offset in a block of ten.
    const code = digit.codePointAt(0)!;
    for (let zero = code; zero > code - 10; zero--) {
      if (!/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) return String(code - zero);
    }
    return digit;
  });
}

/** The spans of text that hold a BSN in any spelling. */
function bsnSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const match of text.matchAll(SPACED_NINE_DIGITS)) {
    const digits = asciiDigits(match[0]).replace(/\D/g, '');
    if (isValidBsn(digits)) spans.push([match.index, match.index + match[0].length]);
  }
  return spans;
}

export function containsBsn(text: string): boolean {
  return bsnSpans(text).length > 0;
}

export interface CleanText {
  text: string;
  /** A BSN got past redact() and was caught here. */
  caughtBsn: boolean;
}

export function cleanText(input: string): CleanText {
  let text = redact(input).text;
  const spans = bsnSpans(text);
  for (const [start, end] of spans.reverse()) text = text.slice(0, start) + BSN_PLACEHOLDER + text.slice(end);
  return { text, caughtBsn: spans.length > 0 };
}

/** Cut at a word boundary to at most max characters, marking the cut. */
export function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}
