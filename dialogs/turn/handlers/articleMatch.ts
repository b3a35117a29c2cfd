/**
 * A question that names an article plainly is answered with it, whatever the classifier thinks:
 * "wat is de Wmo eigenlijk?" is the article "Wat is de Wmo?", not the costs. Two cases: a
 * definition question ("wat is X", "wat betekent X") whose X is an article's keyword or title,
 * and, when the classifier is unsure, one article that stands out in the search by its title or keywords.
 */
import type { Article, Provision } from '../../../knowledge/types.js';
import type { TopicId } from '../../../knowledge/topics.js';
import { normalizeAnswer } from '../../choices.js';
import { setReplyTopic } from '../../replies.js';
import { flowFor } from '../../flows/registry.js';
import { serviceContact } from '../../socialeKaart.js';
import { contactMessage } from '../../contactCard.js';
import { sendAnswer } from '../actions.js';
import { findMunicipalityInText } from '../../../knowledge/places.js';
import { asksSomething } from '../questions.js';
import { hasLocalAnswer } from '../../local.js';
import { answerLocalNeed } from './localNeed.js';
import type { Turn } from '../turn.js';

/** A clear search hit: at least this score, and this far ahead of the next one. */
const CLEAR_SCORE = 8;
const CLEAR_LEAD = 1.5;
/** A service found by a synonym of the word asked for, in a question for a place. */
const SYNONYM_SCORE = 4;

export async function articleMatch(turn: Turn): Promise<boolean> {
  if (turn.flow || turn.u.safety) return false;
  // "waar is het steunpunt mantelzorg?": where a named service is, whatever the topic.
  // "is er bij ons een vrijwilligerscentrale?", "waar zit het wijkteam in mijn dorp": asks for a place.
  // A question that names the resident's own town asks for a place there too ("heeft hilversum een maatjesproject?").
  const ownTown = turn.data.gemeente !== undefined && findMunicipalityInText(turn.text, turn.deps.kb.municipalities)?.code === turn.data.gemeente;
  const asksWhere = turn.signals.asksForPlace(turn.text) || (ownTown && asksSomething(turn, { freeText: false }));
  // Asked where a service is that the sociale kaart names ("waar zit de formulierenhulp?"), that service is the
  // answer, whatever the topic: a topic's answer shows a place of its own topic, not always the one asked for.
  // By a synonym only where a guided flow would otherwise start or the classifier is unsure ("Bedoelt u…?").
  const wouldStartFlow = turn.u.band === 'high' && flowFor(turn.u.topic) !== undefined;
  const bySynonym = asksWhere && (wouldStartFlow || turn.u.band !== 'high');
  // "waar gaat het keukentafelgesprek over?" starts with "waar" but asks what something is, not where.
  const defined = definitionOf(turn);
  // "wat is een maatje": no article is called that, but a provision is; with the municipality known, what it is and where.
  const provision = defined || turn.u.band === 'high' || !turn.data.gemeente ? undefined : definedProvision(turn);
  if (provision && hasLocalAnswer(turn.deps.kb, provision, turn.data.gemeente!)) return answerLocalNeed(turn, provision, provision.topics as TopicId[]);
  if (!defined && turn.data.gemeente && (turn.u.band === 'low' || asksWhere) && (await namedService(turn, bySynonym))) return true;
  const article = defined ?? (turn.u.band !== 'high' ? standsOut(turn) : undefined);
  // Where the classifier is sure of the article's topic, the usual way answers (with its flow offer);
  // unsure ("Bedoelt u…?") but with one article standing out on its best guess, that article is the answer.
  if (!article || (turn.u.band === 'high' && (article.topics as string[]).includes(turn.u.topic))) return false;
  await sendAnswer(turn, article.topics[0] as TopicId, { articleId: article.id });
  return true;
}

/** "wat is de wmo eigenlijk" → the article whose keyword or title is "wmo". */
export function definitionOf(turn: Pick<Turn, 'text' | 'deps'>): Article | undefined {
  const term = definitionTerm(turn);
  if (!term) return undefined;
  return turn.deps.kb.articles.find(
    (a) => (a.keywords ?? []).some((k) => normalizeAnswer(k) === term) || normalizeAnswer(a.title).replace(/^(wat is|wat zijn) (de |het |een )?/, '') === term,
  );
}

/** "wat is een maatje" → the provision whose keyword or name is "maatje" (for a term no article defines). */
function definedProvision(turn: Pick<Turn, 'text' | 'deps'>): Provision | undefined {
  const term = definitionTerm(turn);
  if (!term) return undefined;
  return turn.deps.kb.provisions.find((p) => normalizeAnswer(p.name) === term || (p.keywords ?? []).some((k) => normalizeAnswer(k) === term));
}

/** What a definition question asks about: "wat is nou eigenlijk een maatje" → "maatje". */
function definitionTerm(turn: Pick<Turn, 'text' | 'deps'>): string | undefined {
  const { definitionOpeners, fillers } = turn.deps.content.signals.definition;
  let words = normalizeAnswer(turn.text).split(' ');
  const opener = definitionOpeners.map(normalizeAnswer).find((o) => words.join(' ').startsWith(`${o} `));
  if (!opener) return undefined;
  // Fillers as the words they normalise to: "zo'n" is "zo n".
  const fillerWords = new Set(fillers.flatMap((f) => normalizeAnswer(f).split(' ')));
  words = words.slice(opener.split(' ').length).filter((w) => !fillerWords.has(w));
  if (['de', 'het', 'een'].includes(words[0] ?? '')) words = words.slice(1);
  return words.join(' ') || undefined;
}

/** One article's title or keywords clearly hold the question's words. */
export function standsOut(turn: Pick<Turn, 'text' | 'deps'>): Article | undefined {
  const [first, second] = turn.deps.kb.search(turn.text, { kinds: ['article'], limit: 2 });
  if (!first?.inTitleOrKeywords || first.score < CLEAR_SCORE || (second && second.score * CLEAR_LEAD > first.score)) return undefined;
  return turn.deps.kb.articles.find((a) => a.id === first.id);
}

/** "rijdt de buurtbus nog?": the classifier knows no topic, but the sociale kaart has a service by that name. */
async function namedService(turn: Turn, synonymCounts: boolean): Promise<boolean> {
  const { kb, content, now } = turn.deps;
  // The municipality's own name is no part of what is asked for ("heeft hilversum een maatjesproject?"): every
  // service there has it. A village of a municipality with several is ("waar is het wijkteam in Muiden?").
  const m = turn.data.gemeente ? kb.municipality(turn.data.gemeente) : undefined;
  const town = new Set([m?.name].filter((n): n is string => !!n).flatMap((n) => normalizeAnswer(n).split(' ')));
  const query = normalizeAnswer(turn.text).split(' ').filter((w) => !town.has(w)).join(' ');
  const [first, second] = kb.search(query, { gemeente: turn.data.gemeente, kinds: ['service'], limit: 2 });
  // Asked for a place, a hit by a synonym counts too ("vrijwilligerspunt" is the vrijwilligerscentrale,
  // "maatjesproject" the maatjes), when it stands out: synonyms weigh less, so a lower score.
  const bySynonym = synonymCounts && first !== undefined && first.score >= SYNONYM_SCORE && !(second && second.score * CLEAR_LEAD > first.score);
  const clear = first && ((first.inTitleOrKeywords && first.score >= CLEAR_SCORE) || bySynonym);
  const service = clear ? kb.service(first.id) : undefined;
  if (!service || service.status === 'defunct' || service.status === 'inactive') return false;
  if (turn.data.gemeente && !service.service_areas.some((a) => a.gemeente === turn.data.gemeente)) return false;
  // The reply is on the topic asked about when the service serves it ("is er dagbesteding?": begeleiding).
  const heard = turn.u.band === 'high' && (service.topics ?? []).includes(turn.u.topic) ? turn.u.topic : 'sociale-kaart';
  setReplyTopic(turn.context, heard, 1);
  const example = kb.socialeKaart.example ? content.answers.example : undefined;
  await turn.context.sendActivity(contactMessage(content.general, [serviceContact(kb, service, now())], content.answers.localIntro, example));
  return true;
}
