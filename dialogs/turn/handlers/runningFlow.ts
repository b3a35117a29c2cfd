/** In a flow: the message answers its open question, unless it is clearly a new question on another topic. */
import { MessageFactory } from 'botbuilder';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { normalizeAnswer, recognizeChoice } from '../../choices.js';
import { flowFor } from '../../flows/registry.js';
import { MeldingDialog } from '../../flows/meldingDialog.js';
import { answerInPassing, asksSomething } from '../questions.js';
import { fill } from '../../content.js';
import { STORY_PROMPT, openChoices, openPrompt, openQuestionWhy, type FlowResult } from '../../flows/flowBase.js';
import { containsPhrase } from '../../signals.js';
import { localNeedIn } from '../../local.js';
import { setReplyTopic } from '../../replies.js';
import { afterFlow } from '../actions.js';
import { definitionOf } from './articleMatch.js';
import { namedArticle } from './followUp.js';
import { imBack, isContinue, isExactChoice, NOT_A_SWITCH, type ActiveFlow, type Turn } from '../turn.js';

/** The topic of the procedure itself (melding, gesprek, aanvraag, beschikking): part of every flow. */
const PROCEDURE = 'wmo-melding';

export async function runningFlow(turn: Turn): Promise<boolean> {
  const { flow, context, dc, u, text } = turn;
  if (!flow) return false;
  if (turn.data.flowWaits === flow.id) {
    // After a safety message the flow waits: only "verder met …" takes the resident back to it.
    if (!isContinue(turn, flow.title)) return false;
    turn.data.flowWaits = undefined;
    setReplyTopic(context, flow.topic, 1);
    await context.sendActivity(fill(turn.deps.content.general.texts.resume, { flow: flow.title }));
    await dc.repromptDialog();
    return true;
  }
  const storyLabel = flow.dialog instanceof MeldingDialog && !questionHere(turn) ? flow.dialog.storyAtTopicQuestion(dc, text, u.topic) : undefined;
  if (storyLabel) {
    // The melding's first question answered with the whole story: the topic is picked, the story kept.
    setReplyTopic(context, flow.topic, 1);
    context.activity.text = storyLabel;
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.complete) await afterFlow(turn, result.result as FlowResult | undefined);
    return true;
  }
  if (burdenAtButtons(turn)) {
    // "ik word er soms zo moe van" at a button question: heard, then the question again; not "Kies een van de
    // knoppen", and not a switch to the topic the words sound like (mantelzorg).
    setReplyTopic(context, flow.topic, 1);
    await context.sendActivity(turn.deps.content.general.texts.burdenHeard);
    await dc.repromptDialog();
    return true;
  }
  if (isNewQuestion(turn, flow)) {
    setReplyTopic(context, u.topic, u.confidence);
    turn.data.pending = { kind: 'switch', topic: u.topic, confidence: u.confidence, text, flowTitle: flow.title };
    const general = turn.deps.content.general;
    const question = fill(general.switch.question, { topic: general.topicLabels[u.topic] });
    const buttons = [general.switch.yes, general.switch.no].map((c) => imBack(fill(c.label, { flow: flow.title })));
    await context.sendActivity(MessageFactory.suggestedActions(buttons, question));
    return true;
  }
  if (containsPhrase(text, turn.deps.content.signals.whyAsk) && openPrompt(dc)) {
    // "Waarom wilt u dat weten?" is about the open question itself: say why, then ask it again.
    setReplyTopic(context, flow.topic, 1);
    await context.sendActivity(openQuestionWhy(dc) ?? turn.deps.content.general.texts.whyGeneric);
    await dc.repromptDialog();
    return true;
  }
  if (questionHere(turn)) {
    // A question is answered and the open question comes again; it is never stored as the answer.
    if (!(await answerInPassing(turn, flow))) await context.sendActivity(turn.deps.content.general.texts.questionNotKnown);
    await dc.repromptDialog();
    return true;
  }
  setReplyTopic(context, flow.topic, 1);
  if (isContinue(turn, flow.title)) {
    // "Verder met …" after an interruption is never an answer: ask the open question again.
    await dc.repromptDialog();
    return true;
  }
  const result = await dc.continueDialog();
  if (result.status === DialogTurnStatus.complete) await afterFlow(turn, result.result as FlowResult | undefined);
  return true;
}

/** Tiredness or burden said at a question with buttons, asking nothing, in words that pick none of them. */
function burdenAtButtons(turn: Turn): boolean {
  const choices = openChoices(turn.dc);
  if (!choices?.length || !containsPhrase(turn.text, turn.deps.content.signals.burden) || asksSomething(turn, { freeText: false })) return false;
  const { general } = turn.deps.content;
  return recognizeChoice(turn.text, choices, general.ordinals, general, { now: turn.deps.now() }) === undefined;
}

/**
 * The message asks something instead of answering the open question. Where buttons are on screen:
 * a question word or mark, unless it is exactly a button; a verb-first question only when it
 * picks no button. At the melding's free text: a short message that is a question (a long story
 * may end with one). Never at a contact question (a phone number is no question).
 */
function questionHere(turn: Turn): boolean {
  const { dc, text } = turn;
  const promptId = openPrompt(dc)?.activeDialog?.id;
  if (!promptId || promptId.startsWith('contact-')) return false;
  if (isExactChoice(dc, text) || isContinue(turn, turn.flow?.title ?? '')) return false;
  const choices = openChoices(dc);
  if (!choices) {
    const short = normalizeAnswer(text).split(' ').length <= 15;
    return short && asksSomething(turn, { freeText: true });
  }
  if (turn.signals.informationQuestion(text)) return true;
  return asksSomething(turn, { freeText: false }) && recognizeChoice(text, choices, turn.deps.content.general.ordinals, turn.deps.content.general) === undefined;
}

/**
 * A question on another topic, and not an answer to the open question. Where buttons are on
 * screen, typed text that matches none of them is a new question from the middle band up when
 * it asks something ("wat kost dat?"); a typed free answer must be a clear (high) question
 * ending in a question mark. The story of a melding is never taken for a new question.
 */
function isNewQuestion(turn: Turn, flow: ActiveFlow): boolean {
  const { u, text, dc } = turn;
  if (u.band === 'low' || u.topic === flow.topic || NOT_A_SWITCH.includes(u.topic)) return false;
  // Another guided flow is offered as a switch; a question on a topic without one is answered in passing.
  if (!flowFor(u.topic) && questionHere(turn)) return false;
  // A knowledge question is no new need: "wat is een keukentafelgesprek?" (a term an article explains)
  // or a question a procedure article clearly answers ("hoe lang duurt het onderzoek?") is answered
  // here, and the flow asks on.
  if (questionHere(turn) && (definitionOf(turn) || (namedArticle(turn)?.topics as string[] | undefined)?.includes(PROCEDURE))) return false;
  // A question about the procedure ("wat gebeurt er na de melding?", "mag mijn dochter de melding doen?") is part of every flow: answered here.
  if (questionHere(turn) && u.topic === PROCEDURE) return false;
  // "kan ik daar iets voor krijgen?" in the mantelzorg flow asks for the flow's own provision (the waardering): answered here.
  if (questionHere(turn) && localNeedIn(turn.deps.content, turn.deps.kb, text, [flow.topic])) return false;
  const promptId = openPrompt(dc)?.activeDialog?.id;
  if (!promptId || promptId === STORY_PROMPT || promptId.startsWith('contact-')) return false;
  const asks = /\?\s*$/.test(text);
  const choices = openChoices(dc);
  if (choices) return recognizeChoice(text, choices, turn.deps.content.general.ordinals, turn.deps.content.general) === undefined && (u.band === 'high' || asks);
  return u.band === 'high' && asks;
}
