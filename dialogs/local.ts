/**
 * What the municipality's own data adds to a national answer: the mantelzorgwaardering's form,
 * how to apply and until when (said to have passed when it has). One place, used by the answers,
 * the answer before a flow and the mantelzorg flow, so a direct question gets the local answer directly.
 */
import type { Municipality } from '../knowledge/types.js';
import { fill, type Content } from './content.js';

const DUTCH_DATE = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' });

export function formatDate(iso: string): string {
  return DUTCH_DATE.format(new Date(`${iso}T12:00:00Z`));
}

/** The municipality's mantelzorgwaardering in plain words, with its deadline (passed or not) and the example notice. */
export function waarderingText(content: Content, m: Municipality, now: Date): string {
  const c = content.mantelzorg.texts;
  const w = m.settings.mantelzorgwaardering;
  let text = fill(c.waardering, { gemeente: m.name, jaar: w.year, vorm: w.form, hoe: w.howToApply });
  if (w.applyUntil) {
    const passed = new Date(`${w.applyUntil}T23:59:59+01:00`).getTime() < now.getTime();
    text += ` ${fill(passed ? c.waarderingVoorbij : c.waarderingTot, { datum: formatDate(w.applyUntil), jaar: w.year })}`;
  }
  if (m.example) text += `\n\n${c.waarderingVoorbeeld}`;
  return text;
}

/** Articles whose answer depends on the municipality, and what its data adds to them. */
const LOCAL_ADDITIONS: Partial<Record<string, (content: Content, m: Municipality, now: Date) => string>> = {
  mantelzorgwaardering: waarderingText,
};

export function localAddition(content: Content, articleId: string, m: Municipality | undefined, now: Date): string | undefined {
  const add = LOCAL_ADDITIONS[articleId];
  return add && m ? add(content, m, now) : undefined;
}
