/**
 * Offers that wait for the next turn ("Bedoelt u…?", "Wilt u eerst…?", menu buttons): one
 * handler per kind. Each returns true when the message answers the offer, false when it is
 * something else (then the next turn handler gets it). To add an offer: a new kind in Pending
 * (flows/flowBase.ts) and its handler in OFFERS; TypeScript insists on both.
 */
import { MessageFactory, type Activity, type CardAction } from 'botbuilder';
import type { TopicId } from '../../knowledge/topics.js';
import { capitalize } from '../answers.js';
import { normalizeAnswer, recognizeChoice, rephrasedLabel } from '../choices.js';
import { fill, type Content } from '../content.js';
import { reportFeedback } from '../feedback.js';
import type { Pending } from '../flows/flowBase.js';
import { MEDEWERKER_DIALOG } from '../flows/medewerkerDialog.js';
import { flowFor } from '../flows/registry.js';
import { setReplyTopic } from '../replies.js';
import { offerPerson, pickOffered, sendMenu, startTopic } from './actions.js';
import { answerErasure } from './handlers/erasure.js';
import { leavesUnsafeHome, sendViolenceShelter } from './handlers/safety.js';
import { namedArticle } from './handlers/followUp.js';
import { asksSomething } from './questions.js';
import { choiceLike, imBack, inFlowContext, lastArticle, isContinue, isMenuLike, NOT_A_SWITCH, type Turn } from './turn.js';

/** The words of what the last answer was about: its article's title and keywords. */
function lastSubject(turn: Turn): string[] {
  const last = lastArticle(turn);
  return last ? [last.title, ...(last.keywords ?? [])] : [];
}

type OfferHandler<K extends Pending['kind']> = (turn: Turn, pending: Extract<Pending, { kind: K }>) => Promise<boolean>;

export const OFFERS: { [K in Pending['kind']]: OfferHandler<K> } = {
  menu: async (turn) => {
    const general = turn.deps.content.general;
    const index = recognizeChoice(turn.text, general.menu.map((c) => ({ value: c.label, synonyms: c.synonyms })), general.ordinals);
    if (index === undefined || (turn.u.band === 'high' && !isMenuLike(turn.text))) return false;
    await startTopic(turn, general.menu[index].id as TopicId, 1, turn.text, true);
    return true;
  },

  afterSafety: async (turn, pending) => {
    const { context, dc, flow, deps } = turn;
    if (flow && isContinue(turn, flow.title)) {
      turn.data.flowWaits = undefined;
      setReplyTopic(context, flow.topic, 1);
      await context.sendActivity(fill(deps.content.general.texts.resume, { flow: flow.title }));
      await dc.repromptDialog();
      return true;
    }
    if (wantsPerson(turn)) {
      // The loket may be closed: the numbers that are always there come first.
      setReplyTopic(context, 'medewerker', 1);
      await context.sendActivity(deps.content.safety.dayAndNight);
      await dc.beginDialog(MEDEWERKER_DIALOG);
      return true;
    }
    // After violence at home, "ik wil weg, waar moet ik heen?" is about getting away safely, whatever else the words say.
    if (leavesUnsafeHome(turn)) {
      turn.data.pending = pending;
      await sendViolenceShelter(turn);
      await offerPerson(turn, flow?.title);
      return true;
    }
    // A clear new question is answered as usual; anything else gets a warm reply, never "I don't understand".
    if (turn.u.band !== 'low' && !NOT_A_SWITCH.includes(turn.u.topic)) return false;
    setReplyTopic(context, 'veiligheid', 1);
    turn.data.pending = pending;
    const safety = deps.content.safety;
    const numbers = safety[pending.signal === 'dakloos' ? 'dakloosNoService' : pending.signal].split(/\n\s*\n/)[0];
    await context.sendActivity(`${safety.stayWithYou}\n\n${numbers}`);
    await context.sendActivity(safety.listen);
    await offerPerson(turn, flow?.title);
    return true;
  },

  offerFlow: async (turn, pending) => {
    const general = turn.deps.content.general;
    let picked = pickOffered(turn, [general.flowOffer.yes, general.flowOffer.no].map((c) => choiceLike(c, {})));
    // "en wie betaalt dat?" at the offer is a question, not a yes: it is answered, and the offer stays.
    if (picked === undefined && asksSomething(turn, { freeText: false })) {
      turn.data.pending = pending;
      return false;
    }
    // "moeder", "na school": the resident is already answering the flow's questions, so go in.
    if (picked === undefined && (turn.u.band === 'low' || turn.u.topic === pending.topic)) picked = 0;
    if (picked === undefined) return false;
    setReplyTopic(turn.context, pending.topic, 1);
    if (picked === 0) await turn.dc.beginDialog(flowFor(pending.topic)?.dialogId ?? MEDEWERKER_DIALOG);
    else await sendMenu(turn.context, turn.deps, general.texts.closing);
    return true;
  },

  followUps: async (turn, pending) => {
    // A follow-up button under an answer: answer it within the same topic.
    const picked = pending.questions.find((q) => normalizeAnswer(q) === normalizeAnswer(turn.text)) ?? rephrasedLabel(turn.text, pending.questions, lastSubject(turn));
    if (!picked || turn.flow) return false;
    // A button that names another subject ("Waar vind ik een cliëntondersteuner?" under bezwaar) is that subject's article (followUp.ts).
    const named = namedArticle(turn);
    if (named && !(named.topics as string[]).includes(pending.topic)) return false;
    await startTopic(turn, pending.topic, 1, picked);
    return true;
  },

  switch: async (turn, pending) => {
    const { flow, context, dc } = turn;
    if (!flow) return false;
    const general = turn.deps.content.general;
    const picked = pickOffered(turn, [general.switch.yes, general.switch.no].map((c) => choiceLike(c, { flow: flow.title })));
    if (picked === undefined) return false;
    if (picked === 0) {
      // The new topic goes on top; when it ends, the flow asks its open question again.
      await startTopic(turn, pending.topic, pending.confidence, inFlowContext(pending.text, pending.flowTitle));
      return true;
    }
    setReplyTopic(context, flow.topic, 1);
    await context.sendActivity(fill(general.texts.resume, { flow: flow.title }));
    await dc.repromptDialog();
    return true;
  },

  didYouMean: async (turn, pending) => {
    const general = turn.deps.content.general;
    const choices = [...pending.candidates.map((t) => ({ value: capitalize(general.topicLabels[t]) })), { value: general.bands.noneOfThese, synonyms: general.bands.noneOfTheseSynonyms }];
    const picked = pickOffered(turn, choices);
    if (picked === undefined) return false;
    if (picked < pending.candidates.length) {
      await startTopic(turn, pending.candidates[picked], 1, pending.text);
      return true;
    }
    setReplyTopic(turn.context, 'buiten-bereik', 0);
    const candidates = pending.candidates.map((topic) => ({ topic, confidence: 0 }));
    await turn.deps.unanswered.add({ conversationId: turn.context.activity.conversation.id, text: pending.text, reason: 'geen-van-deze', gemeente: turn.data.gemeente, candidates });
    turn.data.pending = { kind: 'afterLow' };
    const buttons = [imBack(general.bands.rephraseLabel), imBack(general.texts.personLabel)];
    await turn.context.sendActivity(MessageFactory.suggestedActions(buttons, general.bands.noneReply));
    return true;
  },

  feedback: async (turn, pending) => {
    const { context, deps, data } = turn;
    const texts = deps.content.general.feedback;
    const report = (helped: boolean, comment?: string) =>
      reportFeedback(context, { helped, comment, topic: pending.topic, sources: pending.sources, gemeente: data.gemeente });
    if (pending.stage === 'comment') {
      const skipped = pickOffered(turn, [choiceLike(texts.skip, {})]) === 0;
      // A clear new question is answered as usual; the "niet geholpen" still counts.
      const newQuestion = !skipped && turn.u.band === 'high' && !NOT_A_SWITCH.includes(turn.u.topic) && !isMenuLike(turn.text);
      report(false, skipped || newQuestion ? undefined : turn.text);
      if (newQuestion) return false;
      setReplyTopic(context, pending.topic, 1);
      await context.sendActivity(skipped ? texts.thanksComment.split(/\n\s*\n/)[0] : texts.thanksComment);
      return true;
    }
    const picked = pickOffered(turn, [choiceLike(texts.yes, {}), choiceLike(texts.no, {})]);
    if (picked === undefined) return OFFERS.followUps(turn, { kind: 'followUps', topic: pending.topic, questions: pending.questions });
    setReplyTopic(context, pending.topic, 1);
    if (picked === 0) {
      report(true);
      await context.sendActivity(texts.thanks);
      return true;
    }
    data.pending = { ...pending, stage: 'comment' };
    await context.sendActivity(MessageFactory.suggestedActions([imBack(texts.skip.label)], texts.askComment));
    return true;
  },

  afterLow: async (turn) => {
    const bands = turn.deps.content.general.bands;
    if (recognizeChoice(turn.text, [{ value: bands.rephraseLabel }], {}) === undefined) return false;
    await turn.context.sendActivity(bands.rephraseReply);
    return true;
  },

  erasure: (turn) => answerErasure(turn),
};

/**
 * "Een medewerker spreken", a plain yes to the offer of a person, or asking for one in other words
 * ("kan ik iemand van de gemeente spreken?"). "Ok" or "dank je" is not a yes: the bot stays.
 */
function wantsPerson(turn: Turn): boolean {
  const { general, safety } = turn.deps.content;
  const answer = normalizeAnswer(turn.text);
  if (turn.u.topic === 'medewerker' && turn.u.band === 'high') return true;
  return [general.texts.personLabel, ...safety.yesToPerson].some((t) => normalizeAnswer(t) === answer);
}

/**
 * Puts "Dit helpt mij" / "Dit helpt mij niet" on the last message of an answer that cites the
 * knowledge base (after its follow-up buttons) and returns the offer to set; undefined when
 * nothing was cited (then there is nothing to rate).
 */
export function askFeedback(messages: Array<Partial<Activity>>, topic: TopicId, content: Content): Pending | undefined {
  const sources = messages.flatMap((m) =>
    (m.entities ?? []).flatMap((e) => (e.type === 'https://schema.org/Message' ? (e.citation as Array<{ appearance: { name: string; url?: string } }>) : [])),
  ).map((claim) => claim.appearance.url ?? claim.appearance.name);
  const last = messages.at(-1);
  if (!sources.length || !last) return undefined;
  const questions = messages.flatMap((m) => (m.suggestedActions?.actions ?? []).map((a) => String(a.value)));
  const { yes, no } = content.general.feedback;
  // Web Chat shows buttons only under the last message: the answer's follow-ups go there too, once each.
  const followUps = messages.flatMap((m) => m.suggestedActions?.actions ?? []).filter((a, i, all) => all.findIndex((b) => b.value === a.value) === i);
  const buttons: CardAction[] = [...followUps, imBack(yes.label), imBack(no.label)];
  last.suggestedActions = { actions: buttons, to: [] };
  return { kind: 'feedback', stage: 'ask', topic, sources: [...new Set(sources)].slice(0, 5), questions };
}
