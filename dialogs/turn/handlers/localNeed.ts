/**
 * A question about a need that a provision of the municipality meets without an application
 * ("wie kan boodschappen voor mij doen?", "krijg ik iets als mantelzorger?", "rijdt er iets naar
 * de dagbesteding?"): with the municipality known, the local answer comes at once, with who to
 * call, not after four flow questions. Without it, the need is remembered: the town the resident
 * names next gets the local answer (newQuestion.ts).
 */
import type { TopicId } from '../../../knowledge/topics.js';
import type { Provision } from '../../../knowledge/types.js';
import { normalizeAnswer } from '../../choices.js';
import { contactMessage } from '../../contactCard.js';
import { flowFor } from '../../flows/registry.js';
import { gemeenteChoices } from '../../flows/gemeenteDialog.js';
import { describeProvision, hasLocalAnswer, localNeedIn, localServicesOf, waarderingText } from '../../local.js';
import { citationsFromSources, citedMessage, setReplyTopic } from '../../replies.js';
import { loketContact, serviceContact } from '../../socialeKaart.js';
import { fill } from '../../content.js';
import { youngCarerAge } from '../../signals.js';
import { offerFlow } from '../actions.js';
import { asksSomething } from '../questions.js';
import { asksPlaceNearby, looksLikeFollowUp } from './followUp.js';
import { imBack, NOT_A_SWITCH, type Turn } from '../turn.js';
import { rememberProvision } from '../../answers.js';

export async function localNeed(turn: Turn): Promise<boolean> {
  if (turn.flow || turn.u.safety || isDefinition(turn)) return false;
  // "wat kost dat?" or "tot wanneer kan dat?" right after a local answer: about the same provision.
  const previous = turn.data.gemeente && !turn.data.lastArticle ? turn.deps.kb.provisions.find((p) => p.id === turn.data.lastLocalNeed) : undefined;
  // "waar kan dat hier?" names nothing of its own: about the same provision, even though "waar" is also a need's word.
  if (previous && looksLikeFollowUp(turn) && (asksPlaceNearby(turn) || !localNeedIn(turn.deps.content, turn.deps.kb, turn.text, turnTopics(turn)))) {
    if (!hasLocalAnswer(turn.deps.kb, previous, turn.data.gemeente!)) return answerNotHere(turn, previous);
    return answerLocalNeed(turn, previous, [...turnTopics(turn), ...previous.topics] as TopicId[]);
  }
  // A need said as a statement ("mijn moeder kan niet meer schoonmaken") goes through its flow.
  if (turn.u.band === 'high' && !asksSomething(turn, { freeText: false })) return false;
  if (turn.u.band === 'high' && youngCarerAge(turn.text) !== undefined) return false;
  // "kan ik vrijwilliger worden als chauffeur?" offers help rather than asking for it: the volunteer flow.
  if (turn.u.band === 'high' && turn.u.topic === 'vrijwilligerswerk') return false;
  const provision = localNeedIn(turn.deps.content, turn.deps.kb, turn.text, turnTopics(turn));
  if (!provision) return false;
  if (!turn.data.gemeente) {
    // What it is, and the question for the town; the town named next gets the local answer (newQuestion.ts).
    turn.data.localNeed = provision.id;
    const topic = (provision.topics.find((t) => turnTopics(turn).includes(t as TopicId)) ?? provision.topics[0]) as TopicId;
    setReplyTopic(turn.context, topic, 1);
    await turn.context.sendActivity(citedMessage(describeProvision(provision), citationsFromSources(provision.sources.slice(0, 2), provision.name)));
    // The region's municipalities and "Andere gemeente" as buttons; a typed town works too (newQuestion.ts).
    const towns = gemeenteChoices(turn.deps).map((c) => imBack(c.label));
    await turn.context.sendActivity({ type: 'message', text: turn.deps.content.answers.askGemeenteForLocal, suggestedActions: { actions: towns, to: [] } });
    return true;
  }
  if (!hasLocalAnswer(turn.deps.kb, provision, turn.data.gemeente)) return answerNotHere(turn, provision);
  return answerLocalNeed(turn, provision, turnTopics(turn));
}

/** Not offered in this municipality (no boodschappendienst in Blaricum): said so, with the loket that knows what is. */
async function answerNotHere(turn: Turn, provision: Provision): Promise<true> {
  const { kb, content, now } = turn.deps;
  const m = kb.municipality(turn.data.gemeente!)!;
  const topic = (provision.topics.find((t) => turnTopics(turn).includes(t as TopicId)) ?? provision.topics[0]) as TopicId;
  setReplyTopic(turn.context, topic, 1);
  rememberSubject(turn, provision);
  const example = m.example ? content.answers.example : undefined;
  const about = [describeProvision(provision), asksCost(turn) ? provision.costs.description : undefined].filter(Boolean).join(' ');
  await turn.context.sendActivity(citedMessage(about, citationsFromSources(provision.sources.slice(0, 2), provision.name)));
  await turn.context.sendActivity(contactMessage(content.general, [loketContact(m, now())], fill(content.answers.notHereLocal, { gemeente: m.name }), example));
  if (flowFor(topic)) await offerFlow(turn, topic);
  return true;
}

/** The topics the conversation is about: the router's, the candidates of "Bedoelt u…?", the flow's. */
export function turnTopics(turn: Turn): TopicId[] {
  const { u } = turn;
  const heard = u.band === 'low' ? [] : [u.topic, ...(u.band === 'middle' ? u.candidates.slice(0, 3).map((c) => c.topic) : [])];
  return [...(turn.flow ? [turn.flow.topic] : []), ...heard].filter((t) => !NOT_A_SWITCH.includes(t));
}

/**
 * The provision in the resident's municipality: what it is (for the waardering: the local amount
 * and deadline), who to call as one card, and the flow's offer or the topic's follow-ups.
 * In a flow (`inFlow`) the flow's own question comes after, so no buttons are added here.
 */
export async function answerLocalNeed(turn: Turn, provision: Provision, topics: readonly TopicId[], inFlow = false): Promise<true> {
  const { kb, content, now } = turn.deps;
  const m = kb.municipality(turn.data.gemeente!)!;
  const topic = (provision.topics.find((t) => topics.includes(t as TopicId)) ?? provision.topics[0]) as TopicId;
  setReplyTopic(turn.context, topic, 1);
  rememberSubject(turn, provision);
  const where = provision.availability.find((a) => a.gemeente === m.code);
  const about = provision.id === 'mantelzorgwaardering'
    ? waarderingText(content, m, now())
    : [describeProvision(provision), where?.variation, asksCost(turn) ? provision.costs.description : undefined].filter(Boolean).join(' ');
  // The waardering is the municipality's own: its page is the source, not only the law.
  const sources = provision.id === 'mantelzorgwaardering' ? [m.settings.sources[0], provision.sources[0]] : provision.sources;
  await turn.context.sendActivity(citedMessage(about, citationsFromSources(sources.filter((s) => s !== undefined).slice(0, 2), provision.name)));
  const services = localServicesOf(kb, provision, m.code).slice(0, 2);
  if (services.length) {
    // "Voorbeeldgegevens" once: the waardering text may already say it.
    const example = kb.socialeKaart.example && !(provision.id === 'mantelzorgwaardering' && m.example) ? content.answers.example : undefined;
    await turn.context.sendActivity(contactMessage(content.general, services.map((s) => serviceContact(kb, s, now())), content.answers.localIntro, example));
  }
  if (inFlow) return true;
  if (flowFor(topic)) await offerFlow(turn, topic);
  else {
    const followUps = kb.articles.find((a) => a.topics[0] === topic)?.followUps.slice(0, 3) ?? [];
    if (followUps.length) {
      turn.data.pending = { kind: 'followUps', topic, questions: followUps };
      await turn.context.sendActivity({ type: 'message', text: content.answers.followUp, suggestedActions: { actions: followUps.map(imBack), to: [] } });
    }
  }
  return true;
}

/** The subject of this answer for a short follow-up; an article answered later takes over (followUp.ts). */
function rememberSubject(turn: Turn, provision: Provision): void {
  turn.data.localNeed = undefined;
  rememberProvision(turn.data, provision.id);
}


/** "moet ik betalen voor de maaltijdservice?": the answer says what it costs. */
function asksCost(turn: Turn): boolean {
  return turn.signals.asksCost(turn.signals.questionFocus(turn.text));
}

function isDefinition(turn: Turn): boolean {
  const text = normalizeAnswer(turn.text);
  return turn.deps.content.signals.definition.definitionOpeners.some((o) => text.startsWith(`${normalizeAnswer(o)} `));
}
