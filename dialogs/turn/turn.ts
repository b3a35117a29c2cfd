/**
 * One message's turn as the router's handlers see it: what was said, what the knowledge base
 * understood, the conversation's memory, last turn's open offer and the running flow. A turn
 * handler answers the message and returns true, or returns false to let the next one try.
 */
import type { CardAction, TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import type { TopicId } from '../../knowledge/topics.js';
import type { Article } from '../../knowledge/types.js';
import { normalizeAnswer, type ChoiceLike } from '../choices.js';
import { fill, type ContentChoice } from '../content.js';
import { FlowDialog, openChoices, type ConversationData, type FlowDeps, type Pending } from '../flows/flowBase.js';
import type { ResidentDataEraser, RouterView, Understanding } from '../ports.js';
import type { Signals } from '../signals.js';
import type { UnansweredStore } from '../unanswered.js';

export interface MainDeps extends FlowDeps {
  router: RouterView;
  unanswered: UnansweredStore;
  /** Without one (tools, some tests) the resident is told to ask the loket to delete their data. */
  eraser?: ResidentDataEraser;
}

/** The flow on top of the router's stack, with the topic its replies carry. */
export interface ActiveFlow {
  id: string;
  topic: TopicId;
  title: string;
  dialog: FlowDialog;
}

export interface Turn {
  dc: DialogContext;
  context: TurnContext;
  /** The message as typed, trimmed. */
  text: string;
  u: Understanding;
  /** Conversation memory (saved at the end of the turn, redacted on write). */
  data: ConversationData;
  /** Last turn's offer. Already taken out of `data`: an offer lasts one turn unless it is made again. */
  pending?: Pending;
  flow?: ActiveFlow;
  deps: MainDeps;
  signals: Signals;
}

/** Handles the message and returns true, or returns false so the next handler in the list tries. */
export type TurnHandler = (turn: Turn) => Promise<boolean>;

export function activeFlow(dc: DialogContext): ActiveFlow | undefined {
  const active = dc.activeDialog;
  const dialog = active ? dc.findDialog(active.id) : undefined;
  if (!active || !(dialog instanceof FlowDialog)) return undefined;
  return { id: active.id, topic: dialog.topicFor(dc), title: dialog.title, dialog };
}

/** The text is exactly one of the buttons on screen (a label or one of its synonyms). */
export function isExactChoice(dc: DialogContext, text: string): boolean {
  const answer = normalizeAnswer(text);
  return (openChoices(dc) ?? []).some((c) => [c.value, ...(c.synonyms ?? [])].some((t) => normalizeAnswer(t) === answer));
}

/** The article the last answer came from, if it came from one. */
export function lastArticle(turn: Turn): Article | undefined {
  return turn.data.lastArticle ? turn.deps.kb.articles.find((a) => a.id === turn.data.lastArticle) : undefined;
}

export function imBack(title: string): CardAction {
  return { type: 'imBack', title, value: title };
}

export function choiceLike(choice: ContentChoice, vars: Parameters<typeof fill>[1]): ChoiceLike {
  return { value: fill(choice.label, vars), synonyms: choice.synonyms };
}

/** Menu picks are short ("2", "de tweede", "mantelzorg"); a whole sentence is a new question. */
export function isMenuLike(text: string): boolean {
  return normalizeAnswer(text).split(' ').length <= 3;
}

/** "Verder met de melding", the button or in the resident's own words: never an answer. */
export function isContinue(turn: Turn, flowTitle: string): boolean {
  const general = turn.deps.content.general;
  const answer = normalizeAnswer(turn.text);
  if (answer === normalizeAnswer(fill(general.texts.continueLabel, { flow: flowTitle }))) return true;
  // Residents retype the button in their own words: "verder met de melding", "verder met een melding doen".
  const prefix = normalizeAnswer(fill(general.texts.continueLabel, { flow: '' }));
  // …also inside a short sentence: "ik wil nu toch verder met de melding".
  const words = answer.split(' ').length;
  if (` ${answer} `.includes(` ${prefix} `) && words <= 12) return true;
  return general.continueWords.some((w) => normalizeAnswer(w) === answer);
}

/** Topics that are never offered as "Wilt u eerst…?" in the middle of a flow. */
export const NOT_A_SWITCH: TopicId[] = ['groet', 'buiten-bereik', 'veiligheid', 'medewerker'];

/**
 * A short question that points back ("wat kost dat?") is about what the running flow is about:
 * search with the flow's subject added, so it finds the costs of huishoudelijke hulp.
 */
export function inFlowContext(question: string, flowTitle: string): string {
  const pointsBack = /\b(dat|dit|het|die|daar\w*|er\w*)\b/i.test(question) && question.split(/\s+/).length <= 6;
  return pointsBack ? `${question} ${flowTitle}` : question;
}
