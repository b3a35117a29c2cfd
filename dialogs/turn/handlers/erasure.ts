/**
 * "Verwijder mijn gegevens": the resident's right to erasure, everywhere, also in a flow. The bot
 * asks first (Ja/Nee, the `erasure` offer), then the eraser deletes what the service stored about
 * this conversation and the bot names the meldingen the loket keeps. This turn's own state is
 * dropped as well: WmoBot does not save a conversation that `conversationForgotten` says is gone.
 */
import { MessageFactory, type TurnContext } from 'botbuilder';
import { damerauLevenshtein, maxTypoDistance } from '../../../knowledge/nlp/dutch.js';
import { forgetNormalizedAnswers, normalizeAnswer } from '../../choices.js';
import { fill } from '../../content.js';
import type { ResidentDataEraser } from '../../ports.js';
import { setReplyTopic } from '../../replies.js';
import { pickOffered } from '../actions.js';
import { choiceLike, imBack, type Turn } from '../turn.js';

/** A longer message is a story or a question about privacy, not the request itself. */
const MAX_WORDS = 12;
const FORGOTTEN = Symbol('wmo.conversationForgotten');

export async function erasure(turn: Turn): Promise<boolean> {
  const wording = turn.deps.content.general.erasure;
  if (!asksErasure(turn.text, wording.phrases)) return false;
  setReplyTopic(turn.context, turn.flow?.topic ?? 'groet', 1);
  if (!turn.deps.eraser) {
    await turn.context.sendActivity(wording.unavailable);
    return true;
  }
  turn.data.pending = { kind: 'erasure' };
  await turn.context.sendActivity(MessageFactory.suggestedActions([imBack(wording.yes.label), imBack(wording.no.label)], wording.question));
  return true;
}

/** The answer to the question (offers.ts): Ja erases, Nee changes nothing and the flow goes on. */
export async function answerErasure(turn: Turn): Promise<boolean> {
  const wording = turn.deps.content.general.erasure;
  const picked = pickOffered(turn, [wording.yes, wording.no].map((c) => choiceLike(c, {})));
  if (picked === undefined) return false;
  const eraser = turn.deps.eraser;
  if (picked === 0 && eraser) {
    await erase(turn, eraser);
    return true;
  }
  setReplyTopic(turn.context, turn.flow?.topic ?? 'groet', 1);
  await turn.context.sendActivity(picked === 0 ? wording.unavailable : wording.cancelled);
  if (turn.flow) await turn.dc.repromptDialog();
  return true;
}

async function erase(turn: Turn, eraser: ResidentDataEraser): Promise<void> {
  const { context } = turn;
  const wording = turn.deps.content.general.erasure;
  // First: even when the eraser fails halfway, this turn must not write the conversation back.
  context.turnState.set(FORGOTTEN, true);
  forgetNormalizedAnswers();
  const { channelId, conversation, from } = context.activity;
  const result = await eraser.forgetConversation({ channelId, conversationId: conversation.id, userId: from?.id });
  setReplyTopic(context, 'groet', 1);
  await context.sendActivity(wording.done);
  if (result.meldingenKept.length) await context.sendActivity(fill(wording.kept, { referentie: result.meldingenKept.join(', ') }));
}

/** True when this turn erased its conversation: its state must be deleted, not saved. */
export function conversationForgotten(context: TurnContext): boolean {
  return context.turnState.get(FORGOTTEN) === true;
}

/**
 * One of the phrases stands in a short message, word for word. The long words may have a typo
 * ("verwijdr mijn gegevns"); short ones must be exact, so "vergeef mij" is not "vergeet mij".
 */
export function asksErasure(text: string, phrases: string[]): boolean {
  const words = normalizeAnswer(text).split(' ').filter(Boolean);
  if (words.length === 0 || words.length > MAX_WORDS) return false;
  return phrases.some((phrase) => {
    const wanted = normalizeAnswer(phrase).split(' ');
    for (let start = 0; start + wanted.length <= words.length; start++) {
      if (wanted.every((word, i) => sameWord(words[start + i], word))) return true;
    }
    return false;
  });
}

function sameWord(said: string, wanted: string): boolean {
  if (said === wanted) return true;
  const budget = wanted.length >= 8 ? maxTypoDistance(wanted.length) : 0;
  return budget > 0 && said[0] === wanted[0] && damerauLevenshtein(said, wanted, budget) <= budget;
}
