/**
 * Huishoudelijke hulp: what no longer works and since when, temporary or lasting, who else
 * lives in the house (gebruikelijke hulp), what is arranged; then general provisions first,
 * the procedure and the 6-week onderzoek, the costs with their year, free cliëntondersteuning,
 * and the offer to start a melding or talk to a person.
 */
import { DialogReason, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { FlowDialog, type FlowDeps, type FlowResult } from './flowBase.js';
import { gemeenteSteps } from './gemeenteDialog.js';
import { fill } from '../content.js';
import { citedMessage, citationsFromSources } from '../replies.js';
import { activeService, serviceContact } from '../socialeKaart.js';
import { contactMessage } from '../contactCard.js';

export const HUISHOUDELIJKE_HULP_DIALOG = 'huishoudelijke-hulp';
const WATERFALL = 'huishoudelijke-hulp-stappen';

/** The resident's answers: content choice ids. */
interface Answers {
  wat: string;
  sinds: string;
  duur: string;
  huishouden: string;
  geregeld: string;
}

export class HuishoudelijkeHulpDialog extends FlowDialog<Answers> {
  constructor(deps: FlowDeps) {
    super(HUISHOUDELIJKE_HULP_DIALOG, 'huishoudelijke-hulp', deps.content.huishoudelijkeHulp.title, deps);
    const c = deps.content.huishoudelijkeHulp;
    const q = c.questions;
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        async (step) => {
          if (step.reason === DialogReason.beginCalled) await this.say(step.context, c.intro);
          return this.ask(step, q.wat);
        },
        this.rememberThenAsk('wat', q.wat, q.sinds),
        this.rememberThenAsk('sinds', q.sinds, q.duur),
        this.rememberThenAsk('duur', q.duur, q.huishouden),
        async (step) => {
          const huishouden = this.picked(step, q.huishouden);
          if (huishouden) {
            this.answers(step).huishouden = huishouden;
            if (huishouden !== 'alleen') await this.say(step.context, c.texts.gebruikelijkeHulp);
          }
          return this.ask(step, q.geregeld);
        },
        async (step) => {
          this.answers(step).geregeld = this.picked(step, q.geregeld) ?? this.answers(step).geregeld;
          return step.next();
        },
        ...gemeenteSteps(deps),
        (step) => this.nextSteps(step),
        async (step): Promise<DialogTurnResult> => {
          const choice = this.picked(step, q.verder) ?? 'klaar';
          if (choice === 'klaar') await this.say(step.context, c.texts.klaar);
          const result: FlowResult = { next: choice as FlowResult['next'], topic: 'huishoudelijke-hulp' };
          return step.endDialog(result);
        },
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  /** What the municipality can do, general provisions first, then procedure, costs and support. */
  private async nextSteps(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { kb, content, now } = this.deps;
    const c = content.huishoudelijkeHulp;
    const m = this.municipality(step);
    const code = m.code;

    // The general provisions that fit what the resident said does not work (content: provisionsFor).
    const wanted = c.provisionsFor[this.answers(step).wat ?? 'alles'] ?? c.provisionsFor.alles;
    const general = wanted
      .map((id) => kb.provisions.find((p) => p.id === id && p.kind === 'algemene voorziening'))
      .filter((p) => p !== undefined)
      .map((p) => ({ p, where: p.availability.find((a) => a.gemeente === code && a.available) }))
      .filter((x) => x.where)
      .slice(0, 2);
    if (general.length) {
      const lines = general.map(({ p, where }) => {
        const service = activeService(kb, where!.serviceIds?.[0]);
        const contact = service ? serviceContact(kb, service, now()) : undefined;
        const first = p.description.split(/(?<=\.)\s/)[0];
        return `**${p.name}**: ${first}${where!.variation ? ` ${where!.variation}` : ''}${contact?.phone ? ` ${fill(c.texts.bel, { naam: contact.name, telefoon: contact.phone })}` : ''}`;
      });
      const sources = general.flatMap(({ p }) => p.sources);
      await step.context.sendActivity(
        citedMessage(`${fill(c.texts.algemeen, { gemeente: m.name })}\n\n${lines.join('\n\n')}`, citationsFromSources(sources, general.map(({ p }) => p.name).join(', '))),
      );
    } else {
      await this.say(step.context, c.texts.geenAlgemeen, { gemeente: m.name });
    }
    // What the resident said about their situation belongs with the melding it is about.
    if (this.answers(step).duur === 'tijdelijk') await this.say(step.context, c.texts.tijdelijk);
    if (this.answers(step).geregeld === 'wmo') await this.say(step.context, c.texts.alWmo);
    // The help asked for belongs to huishoudelijke hulp too (the was: clean clothes and bed linen), not only the alfahulp above.
    await this.say(step.context, [c.texts.procedure, c.wmoCovers[this.answers(step).wat ?? 'alles']].filter(Boolean).join(' '));
    await this.say(step.context, c.texts.kosten);
    const support = activeService(kb, m.settings.clientondersteuningServiceId);
    await step.context.sendActivity(support ? contactMessage(content.general, [serviceContact(kb, support, now())], c.texts.clientondersteuning) : c.texts.clientondersteuning);
    return this.ask(step, c.questions.verder);
  }
}
