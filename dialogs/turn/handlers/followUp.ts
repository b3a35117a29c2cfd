/**
 * A short follow-up on the last answer ("kost dat iets?", "en volgend jaar?", "wie betaalt dat?")
 * is resolved against the article that answer came from: a closer article on the same subject,
 * else that article again. A follow-up button's label typed on its own, also as a first message,
 * is answered like the button.
 */
import type { Article, Provision } from '../../../knowledge/types.js';
import type { TopicId } from '../../../knowledge/topics.js';
import { STOPWORDS, tokenize } from '../../../knowledge/nlp/dutch.js';
import { normalizeAnswer } from '../../choices.js';
import { flowFor } from '../../flows/registry.js';
import { asksSomething, OWN_WORDS_SCORE } from '../questions.js';
import { sendAnswer } from '../actions.js';
import { containsPhrase } from '../../signals.js';
import { findServices, serviceContact } from '../../socialeKaart.js';
import { contactMessage } from '../../contactCard.js';
import { setReplyTopic } from '../../replies.js';
import { answerCostOf, provisionNamedIn } from './costQuestion.js';
import { imBack, lastArticle, type Turn } from '../turn.js';

/** Another article wins over the last one when it scores at least this share of it. */
const CLOSER_SHARE = 0.6;
/** A label names an article when it scores at least this, and this far ahead of the next (as articleMatch.ts). */
const NAMED_SCORE = 8;
const NAMED_LEAD = 1.25;
/** The melding, onderzoek, aanvraag and beschikking: the way every provision goes. */
const PROCEDURE_TOPIC: TopicId = 'wmo-melding';

export async function followUp(turn: Turn): Promise<boolean> {
  if (turn.flow) return false;
  const label = followUpLabel(turn);
  // A label that names its own subject ("Waar vind ik een cliëntondersteuner?" under bezwaar) is that subject's article.
  if (label) return answerWith(turn, label.topic, namedArticle(turn));
  const last = lastArticle(turn);
  if (!last || !(looksLikeFollowUp(turn) || asksPlaceNearby(turn))) return false;
  // "waar in de buurt?", "is dat hier ook?" after respijtzorg: the places for what that article is about.
  if (asksPlaceNearby(turn) && (await placesFor(turn, last))) return true;
  if (!looksLikeFollowUp(turn)) return false;
  // "binnen hoeveel tijd moet ik dat inleveren?" after the persoonlijk plan, "wat is hun nummer?" after the CAK: the last answer's own sentence.
  const inLast = turn.deps.content.signals.followUp.inLastAnswer.find((pair) => containsPhrase(turn.text, pair.asks) && containsPhrase(last.body, pair.said));
  if (inLast) {
    await sendAnswer(turn, last.topics[0] as TopicId, { articleId: last.id, only: inLast.said });
    return true;
  }
  // "wie betaalt het uit?" under the pgb answer is its button "Hoe wordt een pgb betaald?".
  const button = offeredFollowUp(turn, last);
  if (button) return answerWith(turn, last.topics[0] as TopicId, button);
  const asked = turn.signals.asksCost(turn.text) ? undefined : saidInLast(turn, last);
  if (asked) {
    await sendAnswer(turn, last.topics[0] as TopicId, { articleId: last.id, only: asked });
    return true;
  }
  const article = resolve(turn, last);
  // "kost dat iets?" after an answer that says it is free: that sentence, not the whole answer again.
  const { cost } = turn.deps.content.signals;
  const asksCost = turn.signals.asksCost(turn.text);
  if (article === last && asksCost && containsPhrase(last.body, cost.saidFree)) {
    await sendAnswer(turn, last.topics[0] as TopicId, { articleId: last.id, only: cost.saidFree });
    return true;
  }
  // "wat kost dat ritje?" under the vervoer answer: the costs of the one provision the question names (the regiotaxi: per rit).
  const named = asksCost ? provisionNamedIn(turn, last) : undefined;
  if (named) return answerCostOf(turn, named);
  // "wat kost dat?" after an answer that says nothing of costs (dagbesteding): the costs of the provision it is about.
  if (article === last && asksCost && !containsPhrase(last.body, cost.words)) {
    const hits = turn.deps.kb.search([last.title, ...(last.keywords ?? [])].join(' '), { topic: last.topics[0] as TopicId, kinds: ['provision'], limit: 3 });
    const [provision, ...others] = hits.map((h) => turn.deps.kb.provisions.find((p) => p.id === h.id)).filter((p): p is Provision => p !== undefined);
    // An article about several provisions that all cost the abonnementstarief ("Begeleiding en dagbesteding"): said of the article's subject, not of one of them.
    const shared = provision?.costs.abonnementstarief === true && others.some((p) => p.costs.abonnementstarief);
    if (provision) return answerCostOf(turn, provision, shared ? last.title : provision.name);
  }
  return answerWith(turn, undefined, article);
}


/**
 * The article behind one of the last answer's follow-up buttons that the typed follow-up clearly
 * asks in its own words: it shares a word with that one label only (the same start of at least
 * five letters, so "betaalt" is "betaald"), not counting the subject's own words ("pgb").
 */
function offeredFollowUp(turn: Turn, last: Article): Article | undefined {
  const subject = new Set(contentWords(`${last.title} ${(last.keywords ?? []).join(' ')}`));
  const own = contentWords(turn.text).filter((w) => !subject.has(w));
  const same = (a: string, b: string) => a.length >= 5 && b.length >= 5 && a.slice(0, 5) === b.slice(0, 5);
  const articleOf = (label: string) => {
    const [hit] = turn.deps.kb.search(label, { kinds: ['article'], limit: 1 });
    return hit && hit.id !== last.id ? turn.deps.kb.articles.find((a) => a.id === hit.id) : undefined;
  };
  const matching = last.followUps.filter((label) => contentWords(label).some((w) => !subject.has(w) && own.some((o) => same(o, w))));
  if (matching.length === 1) return articleOf(matching[0]);
  // "hoe vraag ik die aan?" under the hulpmiddelen answer: its button for the melding, the way to apply.
  if (!containsPhrase(turn.text, turn.deps.content.signals.followUp.apply)) return undefined;
  // The button's article is named by its title or keywords; the answer itself may rank first (it says "doe een melding").
  const procedure = last.followUps
    .map((label) => turn.deps.kb.search(label, { kinds: ['article'], limit: 3 }).find((h) => h.id !== last.id && h.inTitleOrKeywords && h.topics.includes(PROCEDURE_TOPIC)))
    .filter((hit) => hit !== undefined);
  return procedure.length === 1 ? turn.deps.kb.articles.find((a) => a.id === procedure[0].id) : undefined;
}

/**
 * "geldt die ook voor mantelzorgers?" after the vrijwilligersverzekering: the words the follow-up
 * brings in are in the last answer ("Vaak zijn mantelzorgers ook verzekerd"), so its sentences with
 * them answer it, not another article about those words. Only longer words count, each must be in
 * the answer (in some form: the same first six letters), and the subject's own words do not count.
 * Returns the answer's forms of those words, for sendAnswer's `only`.
 */
function saidInLast(turn: Turn, last: Article): string[] | undefined {
  const { pointsBack, goesOn } = turn.deps.content.signals.followUp;
  const subject = new Set(contentWords(`${last.title} ${(last.keywords ?? []).join(' ')}`));
  const own = contentWords(turn.text).filter((w) => w.length >= 6 && !subject.has(w) && !pointsBack.includes(w) && !goesOn.includes(w));
  if (!own.length) return undefined;
  const said = [...new Set(contentWords(last.body))];
  const forms = own.map((w) => said.filter((b) => b.slice(0, 6) === w.slice(0, 6)));
  return forms.every((f) => f.length > 0) ? forms.flat() : undefined;
}

function contentWords(text: string): string[] {
  return tokenize(text).filter((w) => !STOPWORDS.has(w));
}

/**
 * A short question for a place that names no subject of its own ("waar in de buurt?", "is dat hier
 * ook?", "bij ons ook?", "hoe kom ik bij zo iemand?"): every word is a place or pointing word. "Waar vind ik een cliëntondersteuner?" names one.
 */
export function asksPlaceNearby(turn: Turn): boolean {
  const words = normalizeAnswer(turn.text).split(' ');
  if (words.length > 8 || turn.u.topic === 'medewerker') return false;
  if (!turn.signals.asksForPlace(turn.text)) return false;
  const { placeWords, pointsBack, goesOn } = turn.deps.content.signals.followUp;
  // The resident's own town counts as a place word: "is dat er ook in huizen?"; "en …" goes on: "en waar kan dat hier?".
  const m = turn.data.gemeente ? turn.deps.kb.municipality(turn.data.gemeente) : undefined;
  const town = m ? [m.name, ...(m.places ?? [])] : [];
  const own = new Set([...placeWords, ...pointsBack, ...goesOn, ...town].flatMap((w) => normalizeAnswer(w).split(' ')));
  return words.every((w) => own.has(w));
}

/**
 * The sociale kaart's services for the last article's subject in the resident's municipality: its
 * title and keywords are the search (respijtzorg: logeerhuis, dagopvang, vervangende zorg).
 * False when the municipality is unknown or has none, so the usual answer follows.
 */
async function placesFor(turn: Turn, last: Article): Promise<boolean> {
  const { kb, content, now } = turn.deps;
  const gemeente = turn.data.gemeente;
  if (!gemeente) return false;
  // The answer's own place button says what to look for ("Welke dagbesteding is er bij mij in de buurt?");
  // without one, the article's title and keywords do.
  const placeButton = last.followUps.find((f) => turn.signals.asksForPlace(f));
  // Without its place words: "buurt" would find the Buurteettafel for dagbesteding.
  const placeWords = new Set(turn.deps.content.signals.followUp.placeWords.map(normalizeAnswer));
  const subject = placeButton ? contentWords(placeButton).filter((w) => !placeWords.has(w)).join(' ') : [last.title, ...(last.keywords ?? [])].join(' ');
  // Places for the young only where the subject is about them (young carers), else for adults.
  const services = findServices(kb, subject, { gemeente, limit: 3, adultsOnly: !containsPhrase(subject, content.signals.followUp.youngWords) });
  if (!services.length) return false;
  setReplyTopic(turn.context, last.topics[0] as TopicId, 1);
  const example = kb.socialeKaart.example ? content.answers.example : undefined;
  const message = contactMessage(content.general, services.map((s) => serviceContact(kb, s, now())), content.answers.localIntro, example);
  // The article's other follow-ups as the buttons under the card, so the resident can go on; an offer made before is over.
  const next = last.followUps.filter((f) => !turn.signals.asksForPlace(f)).slice(0, 3);
  if (next.length) message.suggestedActions = { actions: next.map(imBack), to: [] };
  turn.data.pending = undefined;
  await turn.context.sendActivity(message);
  return true;
}

async function answerWith(turn: Turn, topic: TopicId | undefined, article: Article | undefined): Promise<true> {
  await sendAnswer(turn, (article?.topics[0] as TopicId | undefined) ?? topic!, { articleId: article?.id });
  return true;
}

/** The one article whose title or keywords the text clearly names, if there is one. */
export function namedArticle(turn: Turn): Article | undefined {
  const [first, second] = turn.deps.kb.search(turn.text, { kinds: ['article'], limit: 2 });
  if (!first?.inTitleOrKeywords || first.score < NAMED_SCORE || (second && second.score * NAMED_LEAD > first.score)) return undefined;
  // The general sociale-kaart article is named by the place words any question has ("in de buurt"): never a subject of its own.
  if (first.topics.includes('sociale-kaart')) return undefined;
  return turn.deps.kb.articles.find((a) => a.id === first.id);
}

/** The text is one of the follow-up buttons the answers offer ("Wanneer hoef ik niet te betalen?"). */
function followUpLabel(turn: Turn): { topic: TopicId } | undefined {
  const answer = normalizeAnswer(turn.text);
  const source = turn.deps.kb.articles.find((a) => a.followUps.some((f) => normalizeAnswer(f) === answer));
  if (!source) return undefined;
  // The label's own topic when the router is sure of it, else the topic of the article that offers it.
  const own = turn.u.band === 'high' && turn.u.topic !== 'groet' && turn.u.topic !== 'buiten-bereik' ? turn.u.topic : undefined;
  const topic = own ?? (source.topics[0] as TopicId);
  // A guided topic the router is sure of answers its questions itself, with the offer of the flow (actions.ts).
  return flowFor(topic) && turn.u.band === 'high' ? undefined : { topic };
}

/** Short, and pointing back ("dat", "die", "zo'n") or going on ("en …?"); a new need in a sentence is not. */
export function looksLikeFollowUp(turn: Turn): boolean {
  const { u, text } = turn;
  const words = normalizeAnswer(text).split(' ');
  if (words.length > 8 || u.topic === 'medewerker') return false;
  if (turn.signals.thanks(text) || turn.signals.goodbye(text) || turn.signals.acknowledgement(text)) return false;
  const { pointsBack, goesOn } = turn.deps.content.signals.followUp;
  const back = words.some((w) => pointsBack.includes(w)) || goesOn.includes(words[0]);
  if (!back) return false;
  // "ik wil hulp bij het schoonmaken" starts a flow even after an answer.
  return !(u.band === 'high' && flowFor(u.topic) && !asksSomething(turn, { freeText: false }));
}

/** The article the follow-up asks about: a closer one on the same subject, else the last one again. */
function resolve(turn: Turn, last: Article): Article {
  const { cost } = turn.deps.content.signals;
  const asksCost = turn.signals.asksCost(turn.text);
  // "moet ik daarvoor betalen?" after an answer that itself says it is free ("Bezwaar maken is gratis"): that answer.
  if (asksCost && containsPhrase(last.body, cost.saidFree)) return last;
  const next = closerArticle(turn, last);
  // The price of what the last answer was about: another article only when it is about the same thing (the costs
  // of hulpmiddelen after the scootmobiel), not another subject's costs (respijtzorg's after the mantelzorgmakelaar).
  const sameSubject = containsPhrase(`${next.title} ${next.body} ${(next.keywords ?? []).join(' ')}`, last.keywords ?? []);
  if (asksCost && next !== last && !sameSubject && containsPhrase(last.body, [...cost.words, ...cost.saidFree])) return last;
  return next;
}

/** A closer article on the same subject, else the last one again. */
function closerArticle(turn: Turn, last: Article): Article {
  const { kb, now } = turn.deps;
  const query = withYears(turn.text, now().getFullYear(), turn.deps.content.signals.followUp.years);
  const find = (id: string) => kb.articles.find((a) => a.id === id);
  for (const topic of last.topics) {
    const [hit] = kb.search(query, { topic: topic as TopicId, kinds: ['article'], limit: 3 }).filter((h) => h.id !== last.id);
    if (hit && hit.score >= OWN_WORDS_SCORE) return find(hit.id) ?? last;
  }
  // "hoe lang duurt dat?" after the traplift: the procedure every provision goes through, not another traplift article.
  const own = kb.search(query, { kinds: ['article'], limit: 5 }).filter((h) => h.inTitleOrKeywords && h.score >= OWN_WORDS_SCORE && h.id !== last.id);
  const procedure = own.find((h) => h.topics.includes(PROCEDURE_TOPIC));
  if (procedure && !last.topics.some((t) => own[0]?.topics.includes(t as TopicId))) return find(procedure.id) ?? last;
  const hits = kb.search(`${query} ${last.title}`, { kinds: ['article'], limit: 5 });
  const lastScore = hits.find((h) => h.id === last.id)?.score ?? hits[0]?.score ?? 0;
  const closer = hits.find((h) => h.id !== last.id && h.score >= CLOSER_SHARE * lastScore);
  return (closer && find(closer.id)) ?? last;
}

/** "volgend jaar" → 2027: the search knows years, not what "next year" means today. */
function withYears(text: string, year: number, years: Record<string, number>): string {
  let out = normalizeAnswer(text);
  for (const [phrase, offset] of Object.entries(years)) out = out.replace(new RegExp(`\\b${normalizeAnswer(phrase)}\\b`, 'g'), String(year + offset));
  return out;
}
