/**
 * What every flow shares: the prompts (buttons that also work typed), asking a question from
 * the content file, remembering which steps asked something (so 'terug' can go back one
 * question honestly), and a short "we gaan verder met …" when a flow is resumed after an
 * interruption.
 */
import { MessageFactory, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  DialogReason,
  TextPrompt,
  type DialogContext,
  type DialogInstance,
  type DialogState,
  type WaterfallDialog,
  type DialogTurnResult,
  type FoundChoice,
  type PromptValidatorContext,
  type WaterfallStep,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { TopicId } from '../../knowledge/topics.js';
import { FuzzyChoicePrompt, recognizeChoice, toChoices, type ChoiceLike } from '../choices.js';
import { fill, type Content, type Question } from '../content.js';
import type { MeldingStore } from '../meldingen.js';
import type { KnowledgeView, LoggerView, SafetySignal } from '../ports.js';
import type { HsdsService, Municipality } from '../../knowledge/types.js';
import { serviceContact } from '../socialeKaart.js';
import { contactMessage } from '../contactCard.js';
import { setReplyTopic } from '../replies.js';

export const CHOICE_PROMPT = 'keuze';
export const TEXT_PROMPT = 'tekst';
/** Free text the resident writes for the melding: never taken for a new question. */
export const STORY_PROMPT = 'verhaal';

/** Things the router remembers between turns, in conversation state (redacted on write). */
export interface ConversationData {
  gemeente?: string;
  pending?: Pending;
  /** The kinds of danger this conversation has shown, so "I cannot go home" after violence gets the right opvang. */
  safety?: SafetySignal['kind'][];
  /** After a safety message the flow waits: it asks its question again only when the resident asks to go on. */
  flowWaits?: string;
  /** The article the last answer came from: a short follow-up ("kost dat iets?") is about it. */
  lastArticle?: string;
  /** A local need asked before the municipality was known (a provision id): answered once the town is named. */
  localNeed?: string;
  /** The provision the last answer was about (a local need): "wat kost dat?" is about it. */
  lastLocalNeed?: string;
}

export type Pending =
  | { kind: 'didYouMean'; candidates: TopicId[]; text: string }
  | { kind: 'switch'; topic: TopicId; confidence: number; text: string; flowTitle: string }
  | { kind: 'afterSafety'; signal: SafetySignal['kind'] | 'general' }
  | { kind: 'offerFlow'; topic: TopicId }
  | { kind: 'afterLow' }
  | { kind: 'erasure' }
  | { kind: 'menu' }
  | { kind: 'followUps'; topic: TopicId; questions: string[] }
  /** "Dit helpt mij (niet)" under an answer; 'ask' keeps the answer's follow-up buttons working. */
  | { kind: 'feedback'; stage: 'ask' | 'comment'; topic: TopicId; sources: string[]; questions: string[] };

export interface FlowDeps {
  kb: KnowledgeView;
  content: Content;
  conversationData: StatePropertyAccessor<ConversationData>;
  meldingen: MeldingStore;
  now: () => Date;
  logger?: LoggerView;
}

/** How a flow ends: the router starts the melding or shows the loket contact when asked. */
export interface FlowResult {
  next: 'melding' | 'medewerker' | 'klaar';
  topic?: TopicId;
}

export type Vars = Parameters<typeof fill>[1];

/** How a flow may be started: with what the resident said, so its first questions are not asked again. */
export interface FlowStart {
  said?: string;
}

/** Only the first questions can be answered by the opening message: later ones are about other things. */
const ALREADY_SAID_QUESTIONS = 2;

async function notEmpty(prompt: PromptValidatorContext<string>): Promise<boolean> {
  return prompt.recognized.succeeded && (prompt.recognized.value ?? '').trim().length >= 2;
}

export function isPromptId(id: string): boolean {
  return [CHOICE_PROMPT, TEXT_PROMPT, STORY_PROMPT].includes(id) || id.startsWith('contact-');
}

/** The question on screen: the deepest prompt instance, with the dialog stack it is the top of. */
export interface OpenPrompt {
  activeDialog: DialogInstance;
  stack: DialogInstance[];
}

/**
 * Finds the question on screen by reading the dialog state as plain objects, as `DialogContext.child`
 * would walk it (each ComponentDialog keeps its inner stack under state.dialogs), but without
 * building a DialogContext per level (and its state manager), as a turn asks several times.
 * It reads the current state, so it is never stale after the stack changed within the turn.
 */
export function openPrompt(dc: DialogContext): OpenPrompt | undefined {
  let found: OpenPrompt | undefined;
  let stack: DialogInstance[] = dc.stack;
  let find = (id: string): Dialog | undefined => dc.findDialog(id);
  for (let top = stack.at(-1); top; top = stack.at(-1)) {
    if (isPromptId(top.id)) found = { activeDialog: top, stack };
    const dialog = find(top.id);
    if (!(dialog instanceof ComponentDialog)) break;
    // An inner dialog context finds its own dialogs first, then its parent's.
    const outer = find;
    find = (id) => dialog.findDialog(id) ?? outer(id);
    stack = (top.state?.dialogs as DialogState | undefined)?.dialogStack ?? [];
  }
  return found;
}

/** The dialog context of the question on screen, for the few callers that must run its dialogs ('terug'). */
function openPromptContext(dc: DialogContext): DialogContext | undefined {
  let found: DialogContext | undefined;
  for (let cur: DialogContext | undefined = dc; cur; cur = cur.child) {
    if (cur.activeDialog && isPromptId(cur.activeDialog.id)) found = cur;
  }
  return found;
}

/** What a prompt carries besides its question: the answer to "waarom vraagt u dat?". */
export interface PromptExtras {
  why?: string;
}

/** Why the open question is asked, when its content says so. */
export function openQuestionWhy(dc: DialogContext): string | undefined {
  const options = openPrompt(dc)?.activeDialog?.state?.options as { validations?: PromptExtras } | undefined;
  return options?.validations?.why;
}

/** The buttons of the open choice question, if one is on screen. */
export function openChoices(dc: DialogContext): ChoiceLike[] | undefined {
  const prompt = openPrompt(dc);
  if (prompt?.activeDialog?.id !== CHOICE_PROMPT) return undefined;
  const options = prompt.activeDialog.state?.options as { choices?: ChoiceLike[] } | undefined;
  return options?.choices;
}

/** What every flow's waterfall keeps besides its answers: the municipality, and what 'terug' needs. */
export interface StepValues {
  gemeente?: string;
  asked?: number[];
  goingBack?: string;
}

/**
 * A guided flow. `A` names its answers (choice ids and redacted text), so a flow reads
 * `this.answers(step).duur` as its own typed field instead of a string lookup.
 */
export abstract class FlowDialog<A extends object = object> extends ComponentDialog {
  constructor(
    id: string,
    readonly topic: TopicId,
    readonly title: string,
    protected readonly deps: FlowDeps,
  ) {
    super(id);
    this.addDialog(new FuzzyChoicePrompt(CHOICE_PROMPT, deps.content.general.ordinals, deps.content.general));
    this.addDialog(new TextPrompt(TEXT_PROMPT, notEmpty));
    this.addDialog(new TextPrompt(STORY_PROMPT, notEmpty));
  }

  /** Ask a question from the content file: buttons when it has choices, free text otherwise. */
  protected ask(step: WaterfallStepContext, question: Question, vars?: Vars, promptId?: string): Promise<DialogTurnResult> {
    const general = this.deps.content.general;
    const known = this.alreadySaid(step, question, vars);
    if (known) return step.next(known);
    markAsked(step);
    if (question.choices) {
      return step.prompt(CHOICE_PROMPT, {
        prompt: fill(question.text, vars),
        retryPrompt: fill(question.retry ?? general.choiceRetry, vars),
        choices: toChoices(question.choices, (label) => fill(label, vars)),
        validations: { why: question.why && fill(question.why, vars) } satisfies PromptExtras,
      });
    }
    return step.prompt(promptId ?? TEXT_PROMPT, {
      prompt: fill(question.text, vars),
      retryPrompt: fill(question.retry ?? question.text, vars),
      validations: { why: question.why && fill(question.why, vars) } satisfies PromptExtras,
    });
  }

  /**
   * What the resident already said when the flow started ("ik zorg elke dag voor mijn moeder, zo'n
   * 25 uur") answers the first questions when it clearly picks one of their buttons: not asked again.
   */
  private alreadySaid(step: WaterfallStepContext, question: Question, vars?: Vars): FoundChoice | undefined {
    const said = (step.options as FlowStart | undefined)?.said;
    const values = step.values as StepValues;
    if (!said || !question.choices || values.goingBack || (values.asked?.length ?? 0) >= ALREADY_SAID_QUESTIONS) return undefined;
    const choices = toChoices(question.choices, (label) => fill(label, vars)) as ChoiceLike[];
    const index = recognizeChoice(said, choices, this.deps.content.general.ordinals, this.deps.content.general, { wholeWordsOnly: true, now: this.deps.now() });
    return index === undefined ? undefined : { index, value: choices[index].value, score: 1 };
  }

  /** A waterfall step that keeps the choice just made (under `key`) and asks the next question. */
  protected rememberThenAsk(key: keyof A & string, answered: Question, next: Question): WaterfallStep {
    return async (step) => {
      const values = step.values as Record<string, string | undefined>;
      values[key] = this.picked(step, answered) ?? values[key];
      return this.ask(step, next);
    };
  }

  /** This flow's answers so far, typed. */
  protected answers(step: WaterfallStepContext): Partial<A> & StepValues {
    return step.values as Partial<A> & StepValues;
  }

  /** The municipality the gemeente steps settled on; every step after them may rely on it. */
  protected municipality(step: WaterfallStepContext): Municipality {
    const code = vals(step).gemeente;
    const m = code ? this.deps.kb.municipality(code) : undefined;
    if (!m) throw new Error(`${this.id}: no municipality after the gemeente steps`);
    return m;
  }

  /** The content id of the choice just made (undefined when the step was re-run by 'terug'). */
  protected picked(step: WaterfallStepContext, question: Question): string | undefined {
    const found = step.result as FoundChoice | undefined;
    return found && typeof found.index === 'number' ? question.choices?.[found.index]?.id : undefined;
  }

  protected async say(context: TurnContext, text: string, vars?: Vars): Promise<void> {
    await context.sendActivity(fill(text, vars));
  }

  /** One short message per organisation: name, phone, e-mail, address, opening hours. */
  protected async sendContacts(context: TurnContext, services: HsdsService[], intro?: string): Promise<void> {
    const { kb, content, now } = this.deps;
    if (services.length) await context.sendActivity(contactMessage(content.general, services.map((s) => serviceContact(kb, s, now())), intro));
  }

  protected async gemeenteCode(context: TurnContext): Promise<string | undefined> {
    const data = await this.deps.conversationData.get(context, {});
    return data.gemeente && this.deps.kb.municipality(data.gemeente) ? data.gemeente : undefined;
  }

  /** The topic this flow's replies carry (an answer carries the topic of its question). */
  topicFor(_outerDc: DialogContext): TopicId {
    return this.topic;
  }

  /** The options this flow was started with (its first waterfall keeps them). */
  protected startOptions<T extends object>(outerDc: DialogContext): T | undefined {
    return outerDc.child?.stack[0]?.state?.options as T | undefined;
  }

  /** 'opnieuw': start this flow again, with the options it was started with. */
  async restart(outerDc: DialogContext): Promise<void> {
    await outerDc.context.sendActivity(fill(this.deps.content.general.texts.restarted, { flow: this.title }));
    await outerDc.replaceDialog(this.id, this.startOptions(outerDc));
  }

  /**
   * 'terug' asks the previous question again. Each step that asks something records its index
   * (markAsked); going back drops the open prompt, points this flow's waterfall at the step before
   * the previous question and runs it. Earlier answers stay until they are answered again.
   */
  async goBack(outerDc: DialogContext): Promise<void> {
    const general = this.deps.content.general;
    const target = openPromptContext(outerDc);
    // The stack's top is its last element: the open prompt, with its waterfall just below.
    const waterfall = target?.stack.at(-2);
    const asked = (waterfall?.state?.values as { asked?: number[] } | undefined)?.asked;
    if (!target || !waterfall || !asked) {
      await outerDc.context.sendActivity(general.texts.backNothing);
      return;
    }
    if (asked.length < 2) {
      await outerDc.context.sendActivity(general.texts.backFirst);
      await outerDc.repromptDialog();
      return;
    }
    asked.pop();
    const previous = asked.pop()!;
    target.stack.pop(); // the open prompt ends without answering the waterfall
    (waterfall.state as { stepIndex: number }).stepIndex = previous - 1;
    (waterfall.state.values as { goingBack?: string }).goingBack = '1'; // ask it even if it is known
    await outerDc.context.sendActivity(general.texts.back);
    const dialog = target.findDialog(waterfall.id) as WaterfallDialog;
    await dialog.resumeDialog(target, DialogReason.nextCalled);
  }

  /** Coming back after something else was handled first: say so, then ask the open question again. */
  override async resumeDialog(outerDc: DialogContext, reason: DialogReason, result?: unknown): Promise<DialogTurnResult> {
    const data = await this.deps.conversationData.get(outerDc.context, {});
    if (data.flowWaits === this.id) {
      // After a safety message the flow does not take over again by itself: it offers to go on.
      const { general, safety } = this.deps.content;
      data.pending = { kind: 'afterSafety', signal: data.safety?.at(-1) ?? 'general' };
      const label = fill(general.texts.continueLabel, { flow: this.title });
      await outerDc.context.sendActivity(MessageFactory.suggestedActions([{ type: 'imBack', title: label, value: label }], safety.flowWaits));
      return Dialog.EndOfTurn;
    }
    setReplyTopic(outerDc.context, this.topic, 1); // from here on the replies are the flow's again
    await outerDc.context.sendActivity(fill(this.deps.content.general.texts.resume, { flow: this.title }));
    return super.resumeDialog(outerDc, reason, result);
  }
}

/** What any waterfall step keeps (the gemeente steps use it; flows use FlowDialog.answers). */
export function vals(step: WaterfallStepContext): StepValues {
  return step.values as StepValues;
}

/** Remember that this waterfall step asked a question, for 'terug'. */
export function markAsked(step: WaterfallStepContext): void {
  const values = step.values as { asked?: number[]; goingBack?: string };
  values.asked = [...(values.asked ?? []), step.index];
  delete values.goingBack;
}
