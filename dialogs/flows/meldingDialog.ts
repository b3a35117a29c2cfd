/**
 * Wmo-melding intake: topic, the situation in the resident's own words, what was tried,
 * household, urgency; a summary and consent; then the preferred contact, asked last so the
 * phone number or e-mail address never waits in conversation state: it arrives in the turn
 * that stores the melding. Free text is redacted the moment it arrives, and the resident is
 * told what was removed and why. The bot never asks for a BSN.
 */
import { TextPrompt, WaterfallDialog, DialogReason, type DialogContext, type DialogTurnResult, type PromptValidatorContext, type WaterfallStep, type WaterfallStepContext } from 'botbuilder-dialogs';
import { redact } from '../../knowledge/privacy/redact.js';
import type { TopicId } from '../../knowledge/topics.js';
import { fill } from '../content.js';
import { redactStory, type ContactMethod, type Melding } from '../meldingen.js';
import { activeService } from '../socialeKaart.js';
import { FlowDialog, openChoices, openPrompt, STORY_PROMPT, type FlowDeps, type FlowResult } from './flowBase.js';
import { gemeenteSteps } from './gemeenteDialog.js';

export const MELDING_DIALOG = 'wmo-melding';
const WATERFALL = 'wmo-melding-stappen';
export const PHONE_PROMPT = 'contact-telefoon';
export const EMAIL_PROMPT = 'contact-email';

export interface MeldingOptions {
  /** Set when another flow hands over: the topic is not asked again. */
  onderwerp?: TopicId;
}

async function isPhone(prompt: PromptValidatorContext<string>): Promise<boolean> {
  const text = (prompt.recognized.value ?? '').trim();
  return redact(text).found.includes('telefoon') && text.replace(/[\d\s()+-]/g, '') === '';
}

/** "Ik heb geen e-mail": the resident is then called instead. */
const NO_EMAIL = /\bgeen\s+(e-?mail|mail)(adres)?\b/i;

async function isEmail(prompt: PromptValidatorContext<string>): Promise<boolean> {
  const text = (prompt.recognized.value ?? '').trim();
  return (redact(text).found.includes('email') && !/\s/.test(text)) || NO_EMAIL.test(text);
}

/** The resident's answers: choice ids, the redacted story, and when consent was given. */
interface Answers {
  onderwerp: string;
  situatie: string;
  geprobeerd: string;
  huishouden: string;
  spoed: string;
  consentAt: string;
  contactManier: string;
  contactWanneer: string;
}

export class MeldingDialog extends FlowDialog<Answers> {
  constructor(deps: FlowDeps) {
    super(MELDING_DIALOG, 'wmo-melding', deps.content.melding.title, deps);
    this.addDialog(new TextPrompt(PHONE_PROMPT, isPhone));
    this.addDialog(new TextPrompt(EMAIL_PROMPT, isEmail));
    this.addDialog(new WaterfallDialog(WATERFALL, [...this.storySteps(), ...this.summaryAndContactSteps(), (step) => this.store(step)]));
    this.initialDialogId = WATERFALL;
  }

  /** Topic, municipality, the situation and what was tried (redacted as they arrive), the household. */
  private storySteps(): WaterfallStep[] {
    const { c, q } = this.wording();
    return [
      async (step: WaterfallStepContext) => {
        if (step.reason === DialogReason.beginCalled) await this.say(step.context, c.intro);
        const options = step.options as MeldingOptions;
        if (options.onderwerp) {
          this.answers(step).onderwerp = options.onderwerp;
          return step.next();
        }
        return this.ask(step, q.onderwerp);
      },
      async (step) => {
        this.answers(step).onderwerp = this.picked(step, q.onderwerp) ?? this.answers(step).onderwerp;
        return step.next();
      },
      ...gemeenteSteps(this.deps),
      (step) => {
        // The story was already typed at the first question: keep it instead of asking again.
        const first = (step.values as { firstStory?: string }).firstStory;
        if (first) {
          delete (step.values as { firstStory?: string }).firstStory;
          return step.next(first);
        }
        return this.ask(step, q.situatie, undefined, STORY_PROMPT);
      },
      async (step) => {
        if (typeof step.result === 'string') this.answers(step).situatie = await this.cleanStory(step, step.result);
        return this.ask(step, q.geprobeerd, undefined, STORY_PROMPT);
      },
      async (step) => {
        if (typeof step.result === 'string') this.answers(step).geprobeerd = await this.cleanStory(step, step.result);
        return this.ask(step, q.huishouden);
      },
      this.rememberThenAsk('huishouden', q.huishouden, q.spoed),
    ];
  }

  /** Urgency, the summary and consent, then how to be contacted (asked last, see the file comment). */
  private summaryAndContactSteps(): WaterfallStep[] {
    const { c, q } = this.wording();
    return [
      async (step) => {
        this.answers(step).spoed = this.picked(step, q.spoed) ?? this.answers(step).spoed;
        const m = this.municipality(step);
        if (this.answers(step).spoed === 'acuut') await this.say(step.context, c.texts.acuut, { telefoon: m.loket.phone });
        await this.say(step.context, c.texts.samenvatting, {
          onderwerp: this.label('onderwerp', this.answers(step).onderwerp as string),
          situatie: this.answers(step).situatie as string,
          geprobeerd: this.answers(step).geprobeerd as string,
          huishouden: this.label('huishouden', this.answers(step).huishouden as string),
          spoed: this.label('spoed', this.answers(step).spoed as string),
        });
        return this.ask(step, q.toestemming, { gemeente: m.name });
      },
      async (step) => {
        const consent = this.picked(step, q.toestemming);
        if (consent === 'nee') {
          const m = this.municipality(step);
          await this.say(step.context, c.texts.nietVerstuurd, { telefoon: m.loket.phone });
          return step.endDialog({ next: 'klaar', topic: 'wmo-melding' } satisfies FlowResult);
        }
        if (consent === 'ja') this.answers(step).consentAt = this.deps.now().toISOString();
        return this.ask(step, q.contactManier);
      },
      async (step) => {
        this.answers(step).contactManier = this.picked(step, q.contactManier) ?? this.answers(step).contactManier;
        if (this.answers(step).contactManier === 'telefoon') return this.ask(step, q.contactWanneer);
        return step.next();
      },
      async (step) => {
        const when = this.picked(step, q.contactWanneer);
        if (when) this.answers(step).contactWanneer = when;
        return this.answers(step).contactManier === 'telefoon'
          ? this.ask(step, q.telefoon, undefined, PHONE_PROMPT)
          : this.ask(step, q.email, undefined, EMAIL_PROMPT);
      },
      async (step) => {
        // No e-mail address after all: ask for a phone number now, in this same turn.
        if (this.answers(step).contactManier !== 'email' || !NO_EMAIL.test(String(step.result))) return step.next(step.result);
        this.answers(step).contactManier = 'telefoon';
        await this.say(step.context, c.texts.geenEmail);
        return this.ask(step, q.telefoon, undefined, PHONE_PROMPT);
      },
    ];
  }

  private wording() {
    const c = this.deps.content.melding;
    return { c, q: c.questions };
  }

  /** The label a resident saw for a stored choice id ("alleen" → "Ik woon alleen"). */
  private label(question: 'onderwerp' | 'huishouden' | 'spoed' | 'contactWanneer', id: string | undefined): string {
    const choice = this.deps.content.melding.questions[question].choices?.find((x) => x.id === id);
    return choice?.label ?? id ?? '';
  }

  /** Redact a story right away (so only the clean text is kept) and say what was removed. */
  /**
   * A story typed at "Waar gaat uw melding over?" ("mijn moeder kan sinds haar operatie niet meer
   * koken") answers that question with the topic the router heard and is kept as the situation,
   * so it is not asked again. Returns the button label that stands for the topic, or undefined
   * when the text is no story or the open question is not the topic question.
   */
  storyAtTopicQuestion(outerDc: DialogContext, text: string, topic: TopicId): string | undefined {
    const q = this.deps.content.melding.questions.onderwerp;
    const prompt = openPrompt(outerDc);
    const choices = openChoices(outerDc) ?? [];
    if (!prompt || choices.length !== q.choices.length || choices[0]?.value !== q.choices[0]?.label) return undefined;
    if (text.trim().split(/\s+/).length < 5) return undefined;
    const id = topic === 'woningaanpassing' ? 'hulpmiddelen' : topic;
    const choice = q.choices.find((c) => c.id === id) ?? q.choices.find((c) => c.id === 'anders');
    const waterfall = prompt.stack.at(-2);
    if (!choice || !waterfall) return undefined;
    (waterfall.state.values as { firstStory?: string }).firstStory = text;
    return choice.label;
  }

  private async cleanStory(step: WaterfallStepContext, text: string): Promise<string> {
    const general = this.deps.content.general;
    const result = redactStory(text, this.deps.content.melding.medicalTerms);
    if (result.found.includes('bsn')) await this.say(step.context, general.texts.bsnRemoved);
    const others = result.found.filter((kind) => kind !== 'bsn').map((kind) => general.personalKinds[kind] ?? kind);
    if (others.length) await this.say(step.context, general.texts.personalRemoved, { wat: others.join(' en ') });
    if (result.medical) await this.say(step.context, general.texts.medicalRemoved);
    return result.text;
  }

  private async store(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { kb, content, meldingen, logger } = this.deps;
    const c = content.melding;
    const m = this.municipality(step);
    const method = this.answers(step).contactManier as ContactMethod;
    let melding: Melding;
    try {
      melding = await meldingen.create({
        gemeente: m.code,
        topic: this.answers(step).onderwerp as Melding['topic'],
        situatie: this.answers(step).situatie as string,
        geprobeerd: this.answers(step).geprobeerd as string,
        huishouden: this.label('huishouden', this.answers(step).huishouden as string),
        spoed: this.answers(step).spoed as Melding['spoed'],
        consent: { given: true, at: this.answers(step).consentAt as string, wording: fill(c.questions.toestemming.text, { gemeente: m.name }) },
        contact: {
          method,
          value: String(step.result).trim(),
          ...(this.answers(step).contactWanneer ? { when: this.label('contactWanneer', this.answers(step).contactWanneer as string) } : {}),
        },
        channelId: step.context.activity.channelId,
        conversationId: step.context.activity.conversation?.id,
      });
    } catch (error) {
      logger?.error({ err: (error as Error).message }, 'melding could not be stored');
      await this.say(step.context, c.texts.opslagFout, { telefoon: m.loket.phone });
      return step.endDialog({ next: 'klaar', topic: 'wmo-melding' } satisfies FlowResult);
    }
    logger?.info({ reference: melding.reference, gemeente: m.code, topic: melding.topic }, 'melding stored');
    await this.say(step.context, c.texts.opgeslagen, { gemeente: m.name, referentie: melding.reference });
    await this.say(step.context, c.texts['wat-nu']);
    const support = activeService(kb, m.settings.clientondersteuningServiceId);
    await this.say(step.context, c.texts.rechten);
    if (support) await this.sendContacts(step.context, [support]);
    return step.endDialog({ next: 'klaar', topic: 'wmo-melding' } satisfies FlowResult);
  }
}
