/**
 * "Heeft dit antwoord u geholpen?": the offer handler (turn/offers.ts, kind 'feedback') reports
 * the resident's answer here, in turn state; the bot stores it when the turn ends (bot/insight),
 * so dialogs need no storage of their own for it.
 */
import type { TurnContext } from 'botbuilder';
import type { TopicId } from '../knowledge/topics.js';

const FEEDBACK_KEY = Symbol('wmoFeedback');

export interface TurnFeedback {
  helped: boolean;
  /** Only with a "nee": what the resident missed, as typed (redacted when stored). */
  comment?: string;
  topic: TopicId;
  /** Ids of the knowledge entries the answer cited. */
  sources: string[];
  gemeente?: string;
}

export function reportFeedback(context: TurnContext, feedback: TurnFeedback): void {
  context.turnState.set(FEEDBACK_KEY, feedback);
}

export function takeFeedback(context: TurnContext): TurnFeedback | undefined {
  const feedback = context.turnState.get(FEEDBACK_KEY) as TurnFeedback | undefined;
  context.turnState.delete(FEEDBACK_KEY);
  return feedback;
}
