/**
 * "Wat kost de regiotaxi?", or a long story that ends in "wat gaat dat kosten?": the price of help
 * is its cost, not the help's own text or "Bedoelt u…?". A provision the question names answers
 * with its own costs (provisions.json › costs, with its year); otherwise the costs article that fits
 * the help the router heard (content signals.cost.topics).
 */
import type { Activity } from 'botbuilder';
import type { TopicId } from '../../../knowledge/topics.js';
import type { Article, Provision } from '../../../knowledge/types.js';
import { citationsFromSources, citedMessage, setReplyTopic } from '../../replies.js';
import { normalizeAnswer } from '../../choices.js';
import { containsPhrase } from '../../signals.js';
import { sendAnswer } from '../actions.js';
import { askFeedback } from '../offers.js';
import { imBack, lastArticle, type Turn } from '../turn.js';
import { turnTopics } from './localNeed.js';

/** A provision found by the words stands out when it scores this many times the next. */
const STANDS_OUT = 1.5;

export async function costQuestion(turn: Turn): Promise<boolean> {
  if (turn.flow || turn.u.safety) return false;
  const { kb, content } = turn.deps;
  const focus = turn.signals.questionFocus(turn.text);
  const { cost } = content.signals;
  if (!turn.signals.informationQuestion(focus) || !turn.signals.asksCost(focus) || !turn.signals.asksCost(withoutCostNames(turn, focus))) return false;
  const topics = turnTopics(turn);
  // The provision named most specifically: on the topic heard, then by its longest keyword in the question
  // ("alleen een rolstoel" is the rolstoel, not the maatje for who is alone).
  const heard = (p: Provision) => Number(p.topics.some((t) => topics.includes(t as TopicId)));
  const longest = (p: Provision) => Math.max(0, ...(p.keywords ?? []).filter((k) => containsPhrase(focus, [k])).map((k) => k.length));
  const named = kb.provisions.filter((p) => longest(p) > 0).sort((a, b) => heard(b) - heard(a) || longest(b) - longest(a))[0];
  if (named) return answerCostOf(turn, named);
  // "wat kost een rit?" right after the vervoer answer: the provision on that subject its words find (the regiotaxi, per rit).
  const last = lastArticle(turn);
  const inContext = last ? provisionNamedIn(turn, last) : undefined;
  if (inContext) return answerCostOf(turn, inContext);
  const about = topics.find((t) => cost.topics.includes(t));
  if (!about || (about === 'kosten' && turn.u.band === 'high')) return false; // a plain costs question goes the usual way
  const hits = kb.search(`${focus} ${content.general.topicLabels[about] ?? ''}`, { topic: 'kosten' as TopicId, kinds: ['article'], limit: 3 });
  // The costs of this very help, else the general costs (the topic's main article), not those of other help.
  const main = kb.articles.find((a) => a.topics[0] === 'kosten');
  const hit = hits.find((h) => h.topics.includes(about))?.id ?? main?.id ?? hits[0]?.id;
  if (!hit) return false;
  await sendAnswer(turn, 'kosten', { articleId: hit });
  return true;
}

/** Per knowledge base: names and keywords outside the costs topic that call the thing free ("gratis vog"). */
const costNames = new WeakMap<object, string[]>();

/**
 * The question without the names that merely contain a cost word: "wat is een gratis vog" asks what
 * the Gratis VOG is, not what it costs; "is de vog gratis?" still asks about costs.
 */
function withoutCostNames(turn: Turn, focus: string): string {
  const { kb } = turn.deps;
  let names = costNames.get(kb);
  if (!names) {
    const outsideCosts = [
      ...kb.articles.filter((a) => a.topics[0] !== 'kosten').flatMap((a) => [a.title, ...(a.keywords ?? [])]),
      ...kb.provisions.filter((p) => p.topics[0] !== 'kosten').flatMap((p) => [p.name, ...(p.keywords ?? [])]),
    ];
    // Only a name that says the thing is free, with no other word about costs: "Wie betaalt respijtzorg?" stays a cost question.
    const { saidFree } = turn.deps.content.signals.cost;
    const free = outsideCosts.filter((n) => containsPhrase(n, saidFree) && !turn.signals.asksCost(removePhrases(n, saidFree)));
    names = [...new Set(free.map(normalizeAnswer))];
    costNames.set(kb, names);
  }
  return removePhrases(focus, names);
}

function removePhrases(text: string, phrases: string[]): string {
  let rest = ` ${normalizeAnswer(text)} `;
  for (const phrase of phrases) rest = rest.replaceAll(` ${normalizeAnswer(phrase)} `, ' ');
  return rest.trim();
}

/**
 * The one provision the last answer speaks of (its name or a keyword is in the answer: the regiotaxi
 * in the vervoer answer) that the question's own words find, if one stands out.
 */
export function provisionNamedIn(turn: Turn, last: Article): Provision | undefined {
  const { kb } = turn.deps;
  const spokenOf = (p: Provision) => containsPhrase(`${last.title} ${last.body}`, [p.name, ...(p.keywords ?? [])]);
  const [first, second] = kb
    .search(turn.text, { topic: last.topics[0] as TopicId, kinds: ['provision'], limit: 3 })
    .map((hit) => ({ hit, provision: kb.provisions.find((p) => p.id === hit.id) }))
    .filter((x): x is { hit: typeof x.hit; provision: Provision } => x.provision !== undefined && spokenOf(x.provision));
  if (!first || (second && second.hit.score * STANDS_OUT > first.hit.score)) return undefined;
  return first.provision;
}

/**
 * The provision's own costs (or that the municipality does not give it), with the costs' follow-up buttons; "en volgend jaar?" then goes on from the abonnementstarief.
 * `name`: what the costs are said of, when that is more than this one provision ("Begeleiding en dagbesteding").
 */
export async function answerCostOf(turn: Turn, provision: Provision, name = provision.name): Promise<true> {
  const { kb, content } = turn.deps;
  setReplyTopic(turn.context, 'kosten', 1);
  const main = kb.articles.find((a) => a.topics[0] === 'kosten');
  // Where the municipality does not give it (no verhuiskostenvergoeding in Eemnes), that is the answer.
  const where = turn.data.gemeente ? provision.availability.find((a) => a.gemeente === turn.data.gemeente) : undefined;
  const said = where && !where.available && where.variation ? where.variation : provision.costs.description;
  const message: Partial<Activity> = citedMessage(`**${name}**: ${said}`, citationsFromSources(provision.sources.slice(0, 2), provision.name));
  if (main?.followUps.length) message.suggestedActions = { actions: main.followUps.slice(0, 3).map(imBack), to: [] };
  const pending = askFeedback([message], 'kosten', content);
  await turn.context.sendActivity(message);
  turn.data.pending = pending;
  turn.data.lastArticle = provision.costs.abonnementstarief ? main?.id : undefined;
  turn.data.lastLocalNeed = undefined;
  return true;
}
