/**
 * "Medewerker": a person from the Wmo-loket. Consent first, in plain words: what the employee
 * will see. Then, when someone of the resident's municipality staffs the chat, a place in the
 * queue with the expected wait; otherwise (and when the wait runs out) a callback request with
 * a reference. No consent: the loket's phone and whether it is open now.
 *
 * While the resident waits, this flow answers with the queue place; once an employee has the
 * conversation, the handoff's turn handler relays and the flow is not asked. The handoff service
 * is reached through HandoffPort (dialogs import nothing from bot/); without a port the flow
 * gives the loket's contact only. Started for a question about the loket itself ("wat is het
 * telefoonnummer van het loket?", `loketOnly`), it answers with the loket's contact, and a chat with
 * a person stays one button away.
 */
import type { Activity, TurnContext } from 'botbuilder';
import {
  Dialog,
  DialogReason,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogInstance,
  type DialogTurnResult,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { redact } from '../../knowledge/privacy/redact.js';
import { normalizeAnswer, recognizeChoice } from '../choices.js';
import { fill, type Content } from '../content.js';
import { handoffPortOf, type CallbackRequest, type HandoffState } from '../handoffPort.js';
import { setReplyTopic } from '../replies.js';
import { loketContact } from '../socialeKaart.js';
import { contactMessage } from '../contactCard.js';
import { FlowDialog, type FlowDeps, type FlowResult, type FlowStart, vals } from './flowBase.js';
import { gemeenteSteps } from './gemeenteDialog.js';

export const MEDEWERKER_DIALOG = 'medewerker';
const WATERFALL = 'medewerker-stappen';
const WAIT = 'medewerker-wachtrij';
/** A 'contact-' prompt: the router never takes the answer for a new question. */
const PHONE_PROMPT = 'contact-terugbelnummer';

/** How waiting in the queue ended. */
interface WaitResult {
  callback: boolean;
}

async function validPhone(prompt: PromptValidatorContext<string>): Promise<boolean> {
  const text = (prompt.recognized.value ?? '').trim();
  return redact(text).found.includes('telefoon') && text.replace(/[\d\s()+-]/g, '') === '';
}

function buttons(labels: string[]) {
  return { actions: labels.map((label) => ({ type: 'imBack', title: label, value: label })), to: [] };
}

/** How the flow is started: `loketOnly` for a question about the loket's number, hours or address. */
export interface MedewerkerStart extends FlowStart {
  loketOnly?: boolean;
}

/** What the flow remembers between its steps: where the resident is, and the preferred part of the day. */
interface MedewerkerAnswers {
  phase: 'aanbod' | 'wachtrij';
  dagdeel: CallbackRequest['dagdeel'];
}

export class MedewerkerDialog extends FlowDialog<MedewerkerAnswers> {
  constructor(deps: FlowDeps) {
    super(MEDEWERKER_DIALOG, 'medewerker', deps.content.general.topicLabels.medewerker, deps);
    this.addDialog(new TextPrompt(PHONE_PROMPT, validPhone));
    this.addDialog(new WaitInQueueDialog(deps.content, (context, gemeente) => this.sendLoket(context, gemeente)));
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        ...gemeenteSteps(deps),
        (step) => this.askConsent(step),
        (step) => this.afterConsent(step),
        (step) => this.afterWaitOrOffer(step),
        (step) => this.afterDagdeel(step),
        (step) => this.saveCallback(step),
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  /** Leaving the flow by 'stop' or 'opnieuw' also leaves the queue. */
  override async endDialog(context: TurnContext, instance: DialogInstance, reason: DialogReason): Promise<void> {
    if (reason === DialogReason.cancelCalled || reason === DialogReason.replaceCalled) {
      await handoffPortOf(context)?.leave(context.activity.conversation.id);
    }
    await super.endDialog(context, instance, reason);
  }

  private async askConsent(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const gemeente = vals(step).gemeente as string;
    const withPerson = !!handoffPortOf(step.context);
    if ((step.options as MedewerkerStart | undefined)?.loketOnly) {
      // The number or the hours were asked, not a person: they are the answer; the chat with a person is a button.
      const person = this.deps.content.general.menu.find((c) => c.id === 'medewerker')?.label;
      await this.sendLoket(step.context, gemeente, withPerson && person ? [person] : []);
      return this.done(step);
    }
    if (!withPerson) {
      // No handoff service here: honestly the loket's contact only.
      await this.sendLoket(step.context, gemeente);
      await step.context.sendActivity(this.deps.content.general.medewerker.noLiveChat);
      return this.done(step);
    }
    return this.ask(step, this.deps.content.medewerker.consent, { gemeente: this.naam(gemeente) });
  }

  private async afterConsent(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const c = this.deps.content.medewerker;
    const gemeente = vals(step).gemeente as string;
    const port = handoffPortOf(step.context)!;
    if (this.picked(step, c.consent) !== 'ja') {
      await step.context.sendActivity(c.texts.noConsent);
      await this.sendLoket(step.context, gemeente);
      return this.done(step);
    }
    if (!(await port.available(gemeente))) {
      await step.context.sendActivity(fill(c.texts.nobodyAvailable, { gemeente: this.naam(gemeente) }));
      this.answers(step).phase = 'aanbod';
      return this.ask(step, c.callback);
    }
    const place = await port.join(step.context, { gemeente });
    await step.context.sendActivity({
      type: 'message',
      text: fill(c.texts.queued, { positie: place.position, minuten: place.expectedMinutes }),
      suggestedActions: buttons([c.leave.label]),
    } as Partial<Activity>);
    this.answers(step).phase = 'wachtrij';
    return step.beginDialog(WAIT, { gemeente });
  }

  private async afterWaitOrOffer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const c = this.deps.content.medewerker;
    const wantsCallback = this.answers(step).phase === 'wachtrij' ? (step.result as WaitResult | undefined)?.callback : this.picked(step, c.callback) === 'ja';
    if (!wantsCallback) {
      if (this.answers(step).phase === 'aanbod') {
        await step.context.sendActivity(c.texts.noCallback);
        await this.sendLoket(step.context, vals(step).gemeente as string);
      }
      return this.done(step);
    }
    return this.ask(step, c.dagdeel);
  }

  private async afterDagdeel(step: WaterfallStepContext): Promise<DialogTurnResult> {
    this.answers(step).dagdeel = (this.picked(step, this.deps.content.medewerker.dagdeel) as MedewerkerAnswers['dagdeel'] | undefined) ?? this.answers(step).dagdeel ?? 'maakt-niet-uit';
    return this.ask(step, this.deps.content.medewerker.phone, undefined, PHONE_PROMPT);
  }

  private async saveCallback(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const c = this.deps.content.medewerker;
    const dagdeel = this.answers(step).dagdeel ?? 'maakt-niet-uit';
    const port = handoffPortOf(step.context)!;
    // The number goes straight into the callback record; the dialog state never keeps it.
    const { reference } = await port.requestCallback({
      gemeente: vals(step).gemeente as string,
      phone: String(step.result ?? ''),
      dagdeel,
      conversationId: step.context.activity.conversation.id,
    });
    await step.context.sendActivity(fill(c.texts.callbackSaved, { referentie: reference, dagdeel: c.dagdeelText[dagdeel] }));
    return this.done(step);
  }

  private done(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog({ next: 'klaar', topic: 'medewerker' } satisfies FlowResult);
  }

  private naam(gemeente: string): string {
    return this.deps.kb.municipality(gemeente)?.name ?? gemeente;
  }

  /** The loket's contact card and whether it is open now (the turn's buttons go on its last message, replies.ts). */
  private async sendLoket(context: TurnContext, gemeente: string, next: string[] = []): Promise<void> {
    const { kb, content, now } = this.deps;
    const text = content.general.medewerker;
    const m = kb.municipality(gemeente);
    if (!m) return;
    const card = loketContact(m, now());
    const message = contactMessage(content.general, [card], fill(text.intro, { loket: m.loket.name }));
    if (next.length) message.suggestedActions = buttons(next);
    await context.sendActivity(message);
    const open = card.openNow === true ? text.openNow : card.openNow === false ? text.closedNow : '';
    if (open) await context.sendActivity(open);
  }
}

/**
 * Waiting in the queue: every message gets the current place; 'Terug naar de assistent' leaves.
 * When the wait ran out (the handoff service offered a callback), the answer to that offer ends
 * the wait. Once an employee has the conversation, the relay answers before the dialogs do.
 */
class WaitInQueueDialog extends Dialog<{ gemeente: string }> {
  constructor(
    private readonly content: Content,
    private readonly sendLoket: (context: TurnContext, gemeente: string) => Promise<void>,
  ) {
    super(WAIT);
  }

  override async beginDialog(dc: DialogContext, options?: { gemeente: string }): Promise<DialogTurnResult> {
    dc.activeDialog!.state.gemeente = options?.gemeente;
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const context = dc.context;
    const port = handoffPortOf(context);
    if (context.activity.type !== 'message' || !port) return Dialog.EndOfTurn;
    const c = this.content.medewerker;
    const text = context.activity.text ?? '';
    const state = await port.state(context.activity.conversation.id);
    setReplyTopic(context, 'medewerker', 1);
    if (state?.status === 'waiting') {
      if (this.isLeave(text)) {
        await port.leave(context.activity.conversation.id);
        const menu = this.content.general.menu.map((m) => m.label);
        await context.sendActivity({ type: 'message', text: c.texts.leftQueue, suggestedActions: buttons(menu) } as Partial<Activity>);
        return dc.endDialog({ callback: false } satisfies WaitResult);
      }
      await this.tellPlace(context, state);
      return Dialog.EndOfTurn;
    }
    if (state?.status === 'timedOut') {
      const picked = recognizeChoice(text, c.callback.choices.map((x) => ({ value: x.label, synonyms: x.synonyms })), this.content.general.ordinals);
      if (picked === undefined) {
        await context.sendActivity({ type: 'message', text: c.callback.text, suggestedActions: buttons(c.callback.choices.map((x) => x.label)) } as Partial<Activity>);
        return Dialog.EndOfTurn;
      }
      if (c.callback.choices[picked].id === 'ja') return dc.endDialog({ callback: true } satisfies WaitResult);
      await port.leave(context.activity.conversation.id);
      await context.sendActivity(c.texts.noCallback);
      await this.sendLoket(context, dc.activeDialog!.state.gemeente as string);
      return dc.endDialog({ callback: false } satisfies WaitResult);
    }
    if (state?.status === 'active') return Dialog.EndOfTurn;
    return dc.endDialog({ callback: false } satisfies WaitResult);
  }

  override async repromptDialog(context: TurnContext): Promise<void> {
    const state = await handoffPortOf(context)?.state(context.activity.conversation.id);
    if (state?.status === 'waiting') await this.tellPlace(context, state);
  }

  private async tellPlace(context: TurnContext, state: HandoffState): Promise<void> {
    const c = this.content.medewerker;
    await context.sendActivity({
      type: 'message',
      text: fill(c.texts.stillWaiting, { positie: state.position, minuten: state.expectedMinutes }),
      suggestedActions: buttons([c.leave.label]),
    } as Partial<Activity>);
  }

  private isLeave(text: string): boolean {
    const answer = normalizeAnswer(text);
    return [this.content.medewerker.leave.label, ...this.content.medewerker.leave.words].some((w) => normalizeAnswer(w) === answer);
  }
}
