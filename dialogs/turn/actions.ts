/** What several turn handlers do: start a topic, show the menu, offer a person, answer low. */
import { MessageFactory, type TurnContext } from 'botbuilder';
import { redact } from '../../knowledge/privacy/redact.js';
import type { TopicId } from '../../knowledge/topics.js';
import { ANSWER_DIALOG, capitalize, composeAnswer, rememberProvision, type AnswerChoices, type AnswerOptions } from '../answers.js';
import { normalizeAnswer, recognizeChoice, type ChoiceLike } from '../choices.js';
import { fill } from '../content.js';
import type { FlowDialog, FlowResult, FlowStart } from '../flows/flowBase.js';
import { MEDEWERKER_DIALOG } from '../flows/medewerkerDialog.js';
import { MELDING_DIALOG, type MeldingOptions } from '../flows/meldingDialog.js';
import { flowFor } from '../flows/registry.js';
import { citationsFromSources, citedMessage, setReplyTopic } from '../replies.js';
import { youngCarerAge } from '../signals.js';
import { describeProvision, localAddition } from '../local.js';
import { findServices, serviceContact } from '../socialeKaart.js';
import { contactMessage } from '../contactCard.js';
import { askFeedback } from './offers.js';
import { asksYesNo } from './questions.js';
import { imBack, isMenuLike, type MainDeps, type Turn } from './turn.js';

/** A text with the main topics as buttons; typed numbers pick from them on the next turn. */
export async function sendMenu(context: TurnContext, deps: MainDeps, text: string): Promise<void> {
  const data = await deps.conversationData.get(context, {});
  data.pending = { kind: 'menu' };
  await context.sendActivity(MessageFactory.suggestedActions(deps.content.general.menu.map((c) => imBack(c.label)), text));
}

/** Start the flow for a topic, or answer it from the knowledge base. */
export async function startTopic(turn: Turn, topic: TopicId, confidence: number, text: string, fromButton = false): Promise<void> {
  const { dc, context, deps, signals } = turn;
  const { content } = deps;
  setReplyTopic(context, topic, confidence);
  const flow = flowFor(topic);
  if (flow) {
    if (!fromButton && topic === 'mantelzorg' && youngCarerAge(text) !== undefined) return answerYoungCarer(turn);
    if (!fromButton && topic !== 'medewerker' && (await answerBeforeFlow(turn, topic, text))) return;
    const start: FlowStart = fromButton ? {} : { said: redact(text).text };
    await dc.beginDialog(flow.dialogId, start);
    return;
  }
  switch (topic) {
    case 'groet':
      if (signals.goodbye(text)) await context.sendActivity(content.general.texts.goodbye);
      else await sendMenu(context, deps, signals.thanks(text) ? content.general.texts.thanks : content.general.texts.greeting);
      return;
    case 'buiten-bereik':
      await context.sendActivity(content.general.texts.outOfScope);
      return;
    case 'veiligheid':
      await context.sendActivity(content.safety.general);
      await offerPerson(turn);
      return;
    default: {
      const options: AnswerOptions = { topic, text: redact(text).text };
      await dc.beginDialog(ANSWER_DIALOG, options);
    }
  }
}

/**
 * An answer from the knowledge base, sent: the article remembered for follow-ups, its follow-up
 * buttons answered within the topic on the next turn. One place for every handler that answers.
 */
export async function sendAnswer(turn: Turn, topic: TopicId, choices: AnswerChoices = {}): Promise<void> {
  const { deps, data, context } = turn;
  setReplyTopic(context, topic, 1);
  const messages = composeAnswer(deps, topic, turn.text, data.gemeente, { localService: false, ...choices, remember: data });
  // "Dit helpt mij (niet)" under an answer with sources; it keeps the follow-up buttons working.
  const feedback = askFeedback(messages, topic, deps.content);
  for (const message of messages) await context.sendActivity(message);
  const questions = messages.flatMap((m) => (m.suggestedActions?.actions ?? []).map((a) => String(a.value)));
  if (feedback) data.pending = feedback;
  else if (questions.length) data.pending = { kind: 'followUps', topic, questions };
}

/** The offer to go through a topic's flow, answered on the next turn (offers.ts: offerFlow). */
export async function offerFlow(turn: Turn, topic: TopicId): Promise<void> {
  const general = turn.deps.content.general;
  const flow = turn.dc.findDialog(flowFor(topic)!.dialogId) as FlowDialog;
  turn.data.pending = { kind: 'offerFlow', topic };
  const buttons = [imBack(general.flowOffer.yes.label), imBack(general.flowOffer.no.label)];
  await turn.context.sendActivity(MessageFactory.suggestedActions(buttons, fill(general.flowOffer.question, { flow: flow.title })));
}

/**
 * A question ("wat is een keukentafelgesprek?") or a term ("respijtzorg") on a topic with a guided
 * flow gets its article first, then the offer to go through the flow; a statement of need
 * ("mn moeder kan niet meer schoonmaken") starts the flow at once.
 */
async function answerBeforeFlow(turn: Turn, topic: TopicId, text: string): Promise<boolean> {
  const { kb, content } = turn.deps;
  const general = content.general;
  const words = normalizeAnswer(text).split(' ').filter(Boolean);
  const ownNames = [general.topicLabels[topic] ?? '', topic.replace(/-/g, ' '), ...general.menu.filter((c) => c.id === topic).map((c) => c.label)];
  const isOwnName = ownNames.some((name) => normalizeAnswer(name) === words.join(' '));
  const isTerm = words.length <= 2 && !isOwnName;
  if (!turn.signals.informationQuestion(text) && !isTerm && !asksYesNo(turn)) return false;
  // What the message asks first ("…, wanneer komt de beschikking?"), then the whole story.
  const hits = [turn.signals.questionFocus(text), text].map((q) => kb.search(q, { gemeente: turn.data.gemeente, topic, kinds: ['article'], limit: 1 })[0]);
  const hit = hits.find((h) => h?.inTitleOrKeywords);
  const article = hit ? kb.articles.find((a) => a.id === hit.id) : undefined;
  if (!article) return describeProvisionBeforeFlow(turn, topic, text);
  const body = article.body.split(/\n\s*\n/).slice(0, 3).join('\n\n');
  await turn.context.sendActivity(citedMessage(body, citationsFromSources(article.sources, article.title)));
  turn.data.lastArticle = article.id;
  const m = turn.data.gemeente ? kb.municipality(turn.data.gemeente) : undefined;
  const local = localAddition(content, article.id, m, turn.deps.now());
  if (local) await turn.context.sendActivity(local);
  await offerFlow(turn, topic);
  return true;
}

/** "wat is logeeropvang?": no article names it, but a provision on the topic does: what it is, then the flow's offer. */
async function describeProvisionBeforeFlow(turn: Turn, topic: TopicId, text: string): Promise<boolean> {
  const { kb } = turn.deps;
  const [hit] = kb.search(turn.signals.questionFocus(text), { gemeente: turn.data.gemeente, topic, kinds: ['provision'], limit: 1 });
  const provision = hit?.inTitleOrKeywords ? kb.provisions.find((p) => p.id === hit.id) : undefined;
  if (!provision) return false;
  await turn.context.sendActivity(citedMessage(describeProvision(provision), citationsFromSources(provision.sources.slice(0, 2), provision.name)));
  // "waar kan dat hier?" next is about this provision (localNeed.ts answers it with its places).
  rememberProvision(turn.data, provision.id);
  await offerFlow(turn, topic);
  return true;
}

/** A young carer ("ik ben 15 en zorg voor mijn moeder") gets their own support first, in plain words. */
async function answerYoungCarer(turn: Turn): Promise<void> {
  const { kb, content } = turn.deps;
  await turn.context.sendActivity(content.mantelzorg.texts.jong);
  const [service] = findServices(kb, content.general.searches.youngCarers, { gemeente: turn.data.gemeente, topic: 'mantelzorg', limit: 1 });
  if (service) await turn.context.sendActivity(contactMessage(content.general, [serviceContact(kb, service, turn.deps.now())], content.answers.localIntro));
  await offerFlow(turn, 'mantelzorg');
}

/** A finished flow may ask for the melding or the loket contact next. */
export async function afterFlow(turn: Turn, result: FlowResult | undefined): Promise<void> {
  if (result?.next === 'melding') {
    setReplyTopic(turn.context, 'wmo-melding', 1);
    const options: MeldingOptions = { onderwerp: result.topic };
    await turn.dc.beginDialog(MELDING_DIALOG, options);
  } else if (result?.next === 'medewerker') {
    setReplyTopic(turn.context, 'medewerker', 1);
    await turn.dc.beginDialog(MEDEWERKER_DIALOG);
  }
}

/** "Een medewerker spreken", and "Verder met …" when a flow was interrupted. */
export async function offerPerson(turn: Turn, flowTitle?: string): Promise<void> {
  const general = turn.deps.content.general;
  const buttons = [imBack(general.texts.personLabel)];
  if (flowTitle) buttons.push(imBack(fill(general.texts.continueLabel, { flow: flowTitle })));
  await turn.context.sendActivity(MessageFactory.suggestedActions(buttons, turn.deps.content.safety.offerPerson));
}

/**
 * Which offered button the text picks: the exact label always; a number, synonym or typo only
 * when the text is short or not clearly a new question.
 */
export function pickOffered(turn: Turn, choices: ChoiceLike[]): number | undefined {
  const exact = choices.findIndex((c) => normalizeAnswer(c.value) === normalizeAnswer(turn.text));
  if (exact >= 0) return exact;
  const picked = recognizeChoice(turn.text, choices, turn.deps.content.general.ordinals);
  return picked !== undefined && (turn.u.band !== 'high' || isMenuLike(turn.text)) ? picked : undefined;
}

/** Say honestly that the question is not understood; offer rephrasing, the loket and a person. */
export async function sayLow(turn: Turn): Promise<void> {
  const { deps, data, text, u } = turn;
  const general = deps.content.general;
  if (text) await deps.unanswered.add({ conversationId: turn.context.activity.conversation.id, text, reason: 'laag', gemeente: data.gemeente, candidates: u.candidates.slice(0, 3) });
  const m = data.gemeente ? deps.kb.municipality(data.gemeente) : undefined;
  const loket = m?.loket.phone ? `\n\n${m.loket.name}: ${m.loket.phone}` : '';
  data.pending = { kind: 'afterLow' };
  await turn.context.sendActivity(
    MessageFactory.suggestedActions([imBack(general.bands.rephraseLabel), imBack(general.texts.personLabel)], `${general.bands.low}${loket}`),
  );
}

/** "Bedoelt u…?" with the top three topics and "Geen van deze". */
export async function offerDidYouMean(turn: Turn): Promise<void> {
  const general = turn.deps.content.general;
  const candidates = turn.u.candidates
    .map((c) => c.topic)
    .filter((t) => t !== 'buiten-bereik' && t !== 'groet')
    .filter((t, i, all) => all.indexOf(t) === i)
    .slice(0, 3);
  if (candidates.length === 0) return sayLow(turn);
  turn.data.pending = { kind: 'didYouMean', candidates, text: redact(turn.text).text };
  const buttons = [...candidates.map((t) => imBack(capitalize(general.topicLabels[t]))), imBack(general.bands.noneOfThese)];
  await turn.context.sendActivity(MessageFactory.suggestedActions(buttons, general.bands.middle));
}
