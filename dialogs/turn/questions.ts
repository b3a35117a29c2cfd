/**
 * A question typed where the bot waits for an answer (a flow's question, a Ja/Nee offer, the
 * melding's free text) is answered, never stored as the answer: "hoe lang duurt het voordat ik
 * hulp krijg?" at "Sinds wanneer is dat zo?". After the answer the open question comes again.
 */
import type { TopicId } from '../../knowledge/topics.js';
import { composeAnswer } from '../answers.js';
import { normalizeAnswer } from '../choices.js';
import { setReplyTopic } from '../replies.js';
import { hasLocalAnswer, localNeedIn } from '../local.js';
import { answerLocalNeed } from './handlers/localNeed.js';
import { definitionOf, standsOut } from './handlers/articleMatch.js';
import { inFlowContext, NOT_A_SWITCH, type Turn } from './turn.js';
import { contactMessage } from '../contactCard.js';
import { loketContact } from '../socialeKaart.js';

/**
 * The message asks something: a question mark, a question word first ("hoe", "wat", "waarom"),
 * or, where free text is not expected, a verb first that opens a yes/no question ("is mantelzorg
 * verplicht", "heb ik een VOG nodig", "kost dat iets"), also in a later clause.
 */
export function asksSomething(turn: Turn, options: { freeText: boolean }): boolean {
  const { signals, text } = turn;
  if (signals.informationQuestion(text)) return true;
  if (options.freeText) return false;
  const openers = turn.deps.content.signals.yesNoOpeners.map(normalizeAnswer);
  const words = normalizeAnswer(text).split(' ');
  if (words.length >= 3 && openers.includes(words[0])) return true;
  // A later clause that asks: "ik woon in Loosdrecht, krijg ik als mantelzorger iets?" (verb, then the person).
  return text
    .split(/[,;.!]/)
    .slice(1)
    .some((clause) => {
      const [verb, person, ...rest] = normalizeAnswer(clause).split(' ');
      return rest.length >= 1 && openers.includes(verb) && PERSONS.has(person);
    });
}

/** A search hit scores at least this when the question's own words, not only common ones, matched. */
export const OWN_WORDS_SCORE = 4;
/** Inside a flow, a topic guess at least this sure is answered on its own topic, whatever the flow's words find. */
const QUITE_SURE = 0.9;

/** "ben ik verplicht om voor haar te zorgen", "kan ik …": a verb, then the person, is a yes/no question also without "?". */
export function asksYesNo(turn: Turn): boolean {
  const [verb, person] = normalizeAnswer(turn.text).split(' ');
  return turn.deps.content.signals.yesNoOpeners.map(normalizeAnswer).includes(verb) && PERSONS.has(person);
}

const PERSONS = new Set(['ik', 'u', 'je', 'jij', 'we', 'wij', 'jullie', 'hij', 'zij', 'ze', 'mijn']);

/**
 * The answer to a question asked in passing, from the knowledge base: on the topic the router
 * heard, else on the topic of what is going on (`context`: the flow or the offer). Undefined when
 * the knowledge base has nothing, so the caller can decide what else to do.
 */
export async function answerInPassing(turn: Turn, context: { topic: TopicId; title: string }): Promise<boolean> {
  const { u, deps, data } = turn;
  // "kan ik ook gewoon bellen?": yes, the loket's contact; the flow asks on for whoever stays.
  const m = data.gemeente ? deps.kb.municipality(data.gemeente) : undefined;
  if (m && turn.signals.asksToCall(turn.text)) {
    await turn.context.sendActivity(contactMessage(deps.content.general, [loketContact(m, deps.now())], deps.content.general.texts.callLoket));
    return true;
  }
  // "krijg ik daar geld voor?" in the mantelzorg flow: the municipality's waardering, not a general text on costs.
  const need = data.gemeente ? localNeedIn(deps.content, deps.kb, turn.text, [context.topic]) : undefined;
  if (need && hasLocalAnswer(deps.kb, need, data.gemeente!)) return answerLocalNeed(turn, need, [context.topic], true);
  // "wat is een keukentafelgesprek?": the article that explains the term, whatever the topic guess;
  // "krijg ik die verklaring omtrent gedrag gratis?" in the volunteer flow: the article the question
  // clearly names (gratis VOG) when it is the flow's own, whatever the topic guess (kosten).
  const named = standsOut(turn);
  const article = definitionOf(turn) ?? ((named?.topics as string[] | undefined)?.includes(context.topic) ? named : undefined);
  if (article) {
    const messages = composeAnswer(deps, article.topics[0] as TopicId, turn.text, data.gemeente, { localService: false, articleId: article.id, remember: data });
    setReplyTopic(turn.context, article.topics[0] as TopicId, Math.max(u.confidence, 0.5));
    for (const message of messages) await turn.context.sendActivity({ ...message, suggestedActions: undefined });
    return true;
  }
  const own = u.band !== 'low' && !NOT_A_SWITCH.includes(u.topic) ? u.topic : context.topic;
  const text = inFlowContext(turn.text, context.title);
  // A guess the router is not quite sure of ("krijg ik er geld voor?" in the volunteer flow: kosten, 0.39; "ga ik er
  // iets mee verdienen?": bezwaar, 0.61) comes after the flow's own topic when the question's own words name
  // something there by its title or keywords (the vrijwilligersvergoeding).
  const [hereHit] = u.confidence >= QUITE_SURE ? [] : deps.kb.search(turn.text, { topic: context.topic, kinds: ['article', 'provision'], limit: 1 });
  const ownWordsHere = !!hereHit?.inTitleOrKeywords && hereHit.score >= OWN_WORDS_SCORE;
  const order = own === context.topic ? [own] : ownWordsHere ? [context.topic, own] : [own, context.topic];
  for (const topic of order) {
    // A place nearby only where the answer is about finding one (answers.needsGemeente), not under every fact.
    const localService = topic !== context.topic && deps.content.answers.needsGemeente.includes(topic);
    const messages = composeAnswer(deps, topic, text, data.gemeente, { localService, remember: data });
    if (messages[0]?.text === deps.content.answers.noHit) continue;
    setReplyTopic(turn.context, topic, Math.max(u.confidence, 0.5));
    for (const message of messages) await turn.context.sendActivity({ ...message, suggestedActions: undefined });
    return true;
  }
  return false;
}
