/**
 * What the municipality's own data adds to a national answer: the mantelzorgwaardering's form,
 * how to apply and until when (said to have passed when it has). One place, used by the answers,
 * the answer before a flow and the mantelzorg flow, so a direct question gets the local answer directly.
 */
import type { HsdsService, Municipality, Provision } from '../knowledge/types.js';
import { fill, type Content } from './content.js';
import type { KnowledgeView } from './ports.js';
import { containsPhrase } from './signals.js';

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

/**
 * The provision a question names by its need ("wie kan boodschappen voor mij doen?", "krijg ik
 * iets als mantelzorger?"): content answers.localNeeds. General words count only where the
 * conversation is about the need's topics: "geld" is the waardering only in a question about mantelzorg.
 */
export function localNeedIn(content: Content, kb: KnowledgeView, text: string, topics: readonly string[]): Provision | undefined {
  return localNeedsIn(content, kb, text, topics)[0];
}

/**
 * Every provision the text names by its need, in the order of content answers.localNeeds. Without
 * `topics` (curated search words of a flow, not a resident's sentence) every need counts.
 */
export function localNeedsIn(content: Content, kb: KnowledgeView, text: string, topics?: readonly string[]): Provision[] {
  return content.answers.localNeeds
    .filter((need) => containsPhrase(text, need.words) && (!topics || !need.topics || need.topics.some((t) => topics.includes(t))))
    .map((need) => kb.provisions.find((p) => p.id === need.provision))
    .filter((p): p is Provision => p !== undefined);
}

/** The provision's local services in this municipality (its availability names them), active first. */
export function localServicesOf(kb: KnowledgeView, provision: Provision, gemeente: string): HsdsService[] {
  const where = provision.availability.find((a) => a.gemeente === gemeente && a.available);
  const services = (where?.serviceIds ?? []).map((id) => kb.service(id)).filter((s): s is HsdsService => !!s && (s.status === 'active' || s.status === 'temporarily closed'));
  return services.sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active'));
}

/** The municipality has its own answer to the need: its waardering, or a service that provides it. */
export function hasLocalAnswer(kb: KnowledgeView, provision: Provision, gemeente: string): boolean {
  return provision.id === 'mantelzorgwaardering' ? kb.municipality(gemeente) !== undefined : localServicesOf(kb, provision, gemeente).length > 0;
}

/** The provision in two sentences: what it is. */
export function describeProvision(provision: Provision): string {
  return `**${provision.name}**: ${provision.description.split(/(?<=\.)\s/).slice(0, 2).join(' ')}`;
}
