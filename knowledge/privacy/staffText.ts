/**
 * Residents' text made safe to show to staff (the loket CLI now; the staff console and Teams
 * later). A resident must not be able to forge what staff see: a story with newlines could print
 * a whole fake melding, an ANSI escape could clear or recolour the terminal, and a right-to-left
 * override could turn "0612345678" around on screen. So the text becomes one line in which every
 * such character is shown as a visible mark instead of being obeyed:
 *   line breaks                      → " ⏎ "
 *   tab                              → one space
 *   other control characters (C0/C1) → their Unicode control picture (ESC → ␛) or <U+0085>
 *   bidi controls and other invisible format characters → <U+202E>
 * Zero-width (non-)joiners stay: emoji and some scripts need them, and they cannot reorder text.
 * The result is plain text; HTML pages must still escape it (or set textContent).
 */

const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;
// Control characters and invisible format characters (bidi embeddings, overrides, isolates and
// marks; zero-width space; tag characters).
const HIDDEN = /[\p{Cc}\p{Cf}]/gu;
const LONE_SURROGATE = /\p{Cs}/gu;

function visible(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code === 0x200c || code === 0x200d) return ch;
  if (code === 0x09) return ' ';
  if (code < 0x20) return String.fromCodePoint(0x2400 + code); // ␀ … ␟, ESC → ␛
  if (code === 0x7f) return '\u2421'; // ␡
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** One line of plain text, with every character that could forge or hide output made visible. */
export function textForStaff(text: unknown, maxLength = 2000): string {
  const value = typeof text === 'string' ? text : text === undefined || text === null ? '' : String(text);
  const safe = value.replace(LINE_BREAK, ' ⏎ ').replace(LONE_SURROGATE, '\ufffd').replace(HIDDEN, visible);
  const chars = [...safe];
  return chars.length > maxLength ? `${chars.slice(0, maxLength).join('')}…` : safe;
}
