/**
 * Redaction of personal data before anything is stored or logged: BSN, IBAN, e-mail and phone.
 * Pure functions; used by the logger, the storage layer and the dialogs alike.
 */

export type PersonalDataKind = 'bsn' | 'iban' | 'email' | 'telefoon';

export interface Redaction {
  text: string;
  found: PersonalDataKind[];
}

const PLACEHOLDER: Record<PersonalDataKind, string> = {
  bsn: '[BSN verwijderd]',
  iban: '[IBAN verwijderd]',
  email: '[e-mail verwijderd]',
  telefoon: '[telefoon verwijderd]',
};

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
  const iban = candidate.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// IBAN: country, check digits, then groups of letters/digits, optionally spaced in fours.
const IBAN = /\b[A-Za-z]{2}\d{2}(?:\s?[A-Za-z0-9]{4}){2,7}(?:\s?[A-Za-z0-9]{1,3})?\b/g;
// Nine digits, possibly written with dots, spaces or dashes (123.456.782 / 123 45 6782).
const NINE_DIGITS = /(?<![\d+])\d(?:[ .-]?\d){8}(?!\d)/g;
// Dutch phone numbers: 06-12345678, +31 6 1234 5678, 0031 20 123 4567, 035-5281234, 14 035 is
// a short municipal number and is left alone on purpose (it is public, not personal).
const PHONE = /(?<![\d\w])(?:(?:\+|00)\s?31[\s-]?(?:\(0\))?[\s-]?|0)[1-9](?:[\s-]?\d){8}(?!\d)/g;

/** Redact BSN, IBAN, e-mail and phone numbers. Returns the clean text and what was found. */
export function redact(input: string): Redaction {
  const found = new Set<PersonalDataKind>();
  let text = input.replace(EMAIL, () => {
    found.add('email');
    return PLACEHOLDER.email;
  });
  text = text.replace(IBAN, (match) => {
    if (!isValidIban(match)) return match;
    found.add('iban');
    return PLACEHOLDER.iban;
  });
  text = text.replace(PHONE, () => {
    found.add('telefoon');
    return PLACEHOLDER.telefoon;
  });
  text = text.replace(NINE_DIGITS, (match) => {
    // Any 9-digit run that passes the 11-proef is treated as a BSN, written any way.
    if (!isValidBsn(match.replace(/\D/g, ''))) return match;
    found.add('bsn');
    return PLACEHOLDER.bsn;
  });
  return { text, found: [...found] };
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
