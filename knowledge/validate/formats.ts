/** Format checks shared by the validator and the importer. Each returns true when the value is acceptable. */

export const CBS_CODE = /^GM\d{4}$/;

export function isCbsCode(value: unknown): value is string {
  return typeof value === 'string' && CBS_CODE.test(value);
}

/** A real calendar date written as YYYY-MM-DD. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** "HH:MM" (HSDS also writes "HH:MM:SS"); returns minutes after midnight or null. */
export function parseClock(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  if (value === '24:00') return 24 * 60;
  const m = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(value);
  if (!m) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * A Dutch phone number as residents dial it: 10 digits starting with 0 (incl. 06 mobile and 088
 * company numbers), 0800/0900/0906/0909 service numbers, the municipal short number 14 0xx(x), and
 * 112/113. Spaces, hyphens, dots and brackets are allowed between digits; +31/0031 are read as 0.
 * Anything else (letters, quotes, foreign numbers) is rejected.
 */
export function isDutchPhone(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\+?[\d\s\-.()]+$/.test(value.trim())) return false;
  let digits = value.replace(/[\s\-.()]/g, '');
  if (digits.startsWith('+31')) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith('0031')) digits = `0${digits.slice(4)}`;
  else if (digits.startsWith('+')) return false;
  if (digits.startsWith('00')) digits = digits.slice(1); // "+31 (0)35 …" reads as "0035…"
  return (
    /^0[1-9]\d{8}$/.test(digits) ||
    /^0(800|900|906|909)\d{4,7}$/.test(digits) ||
    /^140\d{2,3}$/.test(digits) ||
    /^11[23]$/.test(digits)
  );
}

export function isEmail(value: unknown): value is string {
  return typeof value === 'string' && /^[^\s@"'<>]+@[^\s@"'<>]+\.[a-z]{2,}$/i.test(value);
}

export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !/^https?:\/\/\S+$/i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/** Dutch postcode "1234 AB" (space optional). */
export function isDutchPostalCode(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9]\d{3} ?[A-Z]{2}$/.test(value.trim());
}

export const BYDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** HSDS byday ("MO,TU") as ISO weekday numbers (1 = Monday), or null when a part is not a day. */
export function parseByday(value: unknown): number[] | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const days: number[] = [];
  for (const part of value.split(',')) {
    const i = (BYDAY as readonly string[]).indexOf(part.trim().toUpperCase());
    if (i < 0) return null;
    days.push(i + 1);
  }
  return days;
}

/** Values that are clearly template filler ("wait_time", "fees_description", "email@example.com"). */
export function isPlaceholder(value: unknown, field?: string): boolean {
  if (typeof value !== 'string') return false;
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'n/a' || v === 'tbd' || v === 'todo' || v === 'lorem ipsum') return true;
  if (field && v === field.toLowerCase()) return true;
  if (/^[a-z]+(_[a-z]+)+$/.test(v)) return true; // a field name as value
  return /(^|[@./])example\.(com|org|net)(\/|$)/.test(v) || v === 'http://example.com' || v === 'https://example.com';
}
