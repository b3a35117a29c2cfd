/**
 * The router dialog. Every message runs through TURN_HANDLERS in order; the first handler that
 * handles it ends the turn. Each handler is one file in turn/handlers/, `(turn) => handled?`.
 * Every reply carries the wmoTopic entity (replies.ts); the turn's first guess at the topic is set here.
 */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, DialogSet, DialogTurnStatus, type DialogContext, type DialogState, type DialogTurnResult } from 'botbuilder-dialogs';
import { AnswerDialog } from './answers.js';
import { ContentError } from './content.js';
import { checkFlows, FLOWS } from './flows/registry.js';
import { holdReplies, sendHeldReplies, setReplyTopic } from './replies.js';
import { Signals } from './signals.js';
import { sendMenu } from './turn/actions.js';
import { erasure } from './turn/handlers/erasure.js';
import { withPerson } from './turn/handlers/withPerson.js';
import { articleMatch } from './turn/handlers/articleMatch.js';
import { followUp } from './turn/handlers/followUp.js';
import { globalWords } from './turn/handlers/globalWords.js';
import { referral } from './turn/handlers/referral.js';
import { localNeed } from './turn/handlers/localNeed.js';
import { costQuestion } from './turn/handlers/costQuestion.js';
import { languageNotice } from './turn/handlers/languageNotice.js';
import { newQuestion } from './turn/handlers/newQuestion.js';
import { openOffer } from './turn/handlers/openOffer.js';
import { privacyNotice } from './turn/handlers/privacyNotice.js';
import { runningFlow } from './turn/handlers/runningFlow.js';
import { safety } from './turn/handlers/safety.js';
import { understanding } from './turn/handlers/understanding.js';
import { activeFlow, type MainDeps, type Turn, type TurnHandler } from './turn/turn.js';

export type { MainDeps } from './turn/turn.js';
export const MAIN_DIALOG = 'wmo-hoofd';

/** The turn policy, in order. The first handler that returns true ends the turn. */
export const TURN_HANDLERS: readonly TurnHandler[] = [
  withPerson, //      a person has the conversation: relay to them and stay silent (they also hear of danger)
  safety, //          danger comes first, whatever is going on; the running flow keeps its place
  privacyNotice, //   a typed BSN is named as removed before any answer (never handles the turn)
  erasure, //         "verwijder mijn gegevens" works everywhere, also in a flow; only danger comes first
  globalWords, //     stop/opnieuw/terug/help/medewerker work everywhere, so before offers and flows
  languageNotice, //  English gets a Dutch-only notice, but not when a global word was all there was
  openOffer, //       last turn's offer is answered before the message counts as a flow answer
  runningFlow, //     inside a flow the message answers its question, unless it is clearly a new one
  followUp, //        outside a flow: a short follow-up on the last answer, or a follow-up button's label
  referral, //        a need under another law (Wlz, Jeugdwet, Zvw, Participatiewet): where to go instead
  newQuestion, //     outside a flow: menu button, a municipality, loneliness, own case, "ja", the loket
  localNeed, //      a need a local provision meets ("wie doet mijn boodschappen?"): its service at once
  costQuestion, //   "wat kost huishoudelijke hulp?": the costs of that help, not its text or "Bedoelt u…?"
  articleMatch, //    "wat is de Wmo?" or one article that stands out when the classifier is unsure
  understanding, //   last: the classifier's topic, by confidence band (always handles the turn)
];

/**
 * botbuilder-dialogs' mark for "activityReceived was emitted this turn" (a private symbol, learnt
 * from the first turn's state). The SDK's first continueDialog of a turn emits that event from the
 * innermost dialog up, so that a dialog may intercept the message: it builds a DialogContext for
 * every level and the open prompt recognises the message an extra time, about a tenth of a
 * millisecond a turn. None of our dialogs intercepts it (the turn handlers decide), and the SDK
 * ignores the outcome, so a turn marked beforehand runs exactly the same. Should the SDK stop using
 * this mark, it is not found and the event is emitted as before.
 */
let activityReceivedMark: symbol | undefined;

export class MainDialog extends ComponentDialog {
  private readonly signals: Signals;

  constructor(private readonly deps: MainDeps) {
    super(MAIN_DIALOG);
    const problems = checkFlows(deps.content);
    if (problems.length) throw new ContentError(problems);
    this.signals = new Signals(deps.content.signals);
    for (const flow of FLOWS) this.addDialog(flow.create(deps));
    this.addDialog(new AnswerDialog(deps));
  }

  /** Run one turn: continue the conversation where it was, or start the router. */
  async run(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>): Promise<void> {
    holdReplies(context); // the turn's buttons go on its last message (replies.ts)
    try {
      const set = new DialogSet(dialogState);
      set.add(this);
      const dc = await set.createContext(context);
      if (activityReceivedMark) context.turnState.set(activityReceivedMark, true);
      const result = await dc.continueDialog();
      activityReceivedMark ??= [...context.turnState.keys()].find((key): key is symbol => typeof key === 'symbol' && key.description === 'ActivityReceivedEmitted');
      if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
    } finally {
      await sendHeldReplies(context);
    }
  }

  /** The welcome: a text with the main topics as buttons. */
  sendMenu(context: TurnContext, text: string): Promise<void> {
    return sendMenu(context, this.deps, text);
  }

  protected override async onBeginDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return this.onContinueDialog(innerDc);
  }

  /** The router never ends: it always waits for the next message. */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    if (innerDc.context.activity.type !== 'message') return Dialog.EndOfTurn;
    const turn = await this.startTurn(innerDc);
    for (const handler of TURN_HANDLERS) if (await handler(turn)) break;
    return Dialog.EndOfTurn;
  }

  private async startTurn(dc: DialogContext): Promise<Turn> {
    const { router, conversationData } = this.deps;
    const text = (dc.context.activity.text ?? '').trim();
    const data = await conversationData.get(dc.context, {});
    const u = router.understand(text);
    setReplyTopic(dc.context, u.topic, u.confidence);
    const pending = data.pending;
    data.pending = undefined; // an offer lasts one turn; a handler that repeats it sets it again
    return { dc, context: dc.context, text, u, data, pending, flow: activeFlow(dc), deps: this.deps, signals: this.signals };
  }
}
