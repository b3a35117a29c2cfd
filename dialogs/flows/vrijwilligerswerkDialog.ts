/**
 * Vrijwilligerswerk, three ways in: I want to volunteer (interests, hours, place → vacancies
 * and the vrijwilligerscentrale, then VOG, vergoeding and insurance on request), I need a
 * volunteer (maatje, vervoer, boodschappen, klussen → organisations), our organisation seeks
 * volunteers (the vrijwilligerscentrale, VOG, insurance).
 */
import { DialogReason, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Content } from '../content.js';
import { FlowDialog, type FlowDeps, type FlowResult } from './flowBase.js';
import { gemeenteSteps } from './gemeenteDialog.js';
import { activeService, findServices } from '../socialeKaart.js';
import { localNeedsIn, localServicesOf } from '../local.js';

export const VRIJWILLIGERSWERK_DIALOG = 'vrijwilligerswerk';
const WATERFALL = 'vrijwilligerswerk-stappen';
const INFO = 'vrijwilligerswerk-info';

/** The resident's answers: content choice ids. */
interface Answers {
  route: string;
  interesse: string;
  uren: string;
  hulp: string;
}

type Searches = Content['vrijwilligerswerk']['searches'];

export class VrijwilligerswerkDialog extends FlowDialog<Answers> {
  constructor(deps: FlowDeps) {
    super(VRIJWILLIGERSWERK_DIALOG, 'vrijwilligerswerk', deps.content.vrijwilligerswerk.title, deps);
    const c = deps.content.vrijwilligerswerk;
    const q = c.questions;
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        async (step) => {
          if (step.reason === DialogReason.beginCalled) await this.say(step.context, c.intro);
          return this.ask(step, q.route);
        },
        async (step) => {
          this.answers(step).route = this.picked(step, q.route) ?? this.answers(step).route;
          return step.next();
        },
        ...gemeenteSteps(deps),
        async (step) => {
          switch (this.answers(step).route) {
            case 'worden':
              return this.ask(step, q.interesse);
            case 'zoeken':
              return this.ask(step, q.hulp);
            default:
              await this.say(step.context, c.texts.organisatie);
              await this.sendCentrale(step);
              return step.beginDialog(INFO);
          }
        },
        async (step) => {
          if (this.answers(step).route === 'worden') {
            this.answers(step).interesse = this.picked(step, q.interesse) ?? this.answers(step).interesse;
            return this.ask(step, q.uren);
          }
          if (this.answers(step).route === 'zoeken') {
            const need = this.picked(step, q.hulp) ?? (this.answers(step).hulp as string);
            this.answers(step).hulp = need;
            await this.sendVolunteerHelp(step, need);
            await this.say(step.context, c.texts.klaar);
          }
          return step.endDialog({ next: 'klaar', topic: 'vrijwilligerswerk' } satisfies FlowResult);
        },
        async (step) => {
          this.answers(step).uren = this.picked(step, q.uren) ?? this.answers(step).uren;
          await this.sendCentrale(step);
          await this.sendVacancies(step, this.answers(step).interesse as string);
          return step.beginDialog(INFO);
        },
        async (step) => step.endDialog({ next: 'klaar', topic: 'vrijwilligerswerk' } satisfies FlowResult),
      ]),
    );
    this.addDialog(this.infoDialog());
    this.initialDialogId = WATERFALL;
  }

  /** VOG, vergoeding and insurance on request, in a loop until the resident is done. */
  private infoDialog(): WaterfallDialog {
    const c = this.deps.content.vrijwilligerswerk;
    return new WaterfallDialog(INFO, [
      (step) => this.ask(step, c.questions.info),
      async (step): Promise<DialogTurnResult> => {
        const topic = this.picked(step, c.questions.info) ?? 'klaar';
        if (topic === 'klaar') {
          await this.say(step.context, c.texts.klaar);
          return step.endDialog();
        }
        await this.say(step.context, c.texts[topic as 'vergoeding' | 'vog' | 'verzekering']);
        return step.replaceDialog(INFO);
      },
    ]);
  }

  private async centrale(step: WaterfallStepContext) {
    const m = this.deps.kb.municipality(this.answers(step).gemeente as string);
    return activeService(this.deps.kb, m?.settings.vrijwilligerscentraleServiceId);
  }

  private async sendCentrale(step: WaterfallStepContext): Promise<void> {
    const c = this.deps.content.vrijwilligerswerk;
    const service = await this.centrale(step);
    if (service) await this.sendContacts(step.context, [service], c.texts.centrale);
  }

  private async sendVacancies(step: WaterfallStepContext, interest: string): Promise<void> {
    const c = this.deps.content.vrijwilligerswerk;
    const centrale = await this.centrale(step);
    const words = c.searches.interesse[interest as keyof Searches['interesse']] ?? interest;
    const gemeente = this.answers(step).gemeente as string;
    // The local services of the provisions these words name (rijden: the vrijwillige vervoersdienst), then the search.
    const named = localNeedsIn(this.deps.content, this.deps.kb, words)
      .filter((p) => p.topics.includes('vrijwilligerswerk')) // services that work with volunteers
      .flatMap((p) => localServicesOf(this.deps.kb, p, gemeente));
    const found = findServices(this.deps.kb, words, {
      gemeente,
      topic: 'vrijwilligerswerk',
      limit: 3,
      strict: true, // respite care that uses volunteers is no vacancy for office work
    });
    const services = [...named, ...found].filter((s, i, all) => s.id !== centrale?.id && s.status === 'active' && all.findIndex((o) => o.id === s.id) === i);
    if (services.length) await this.sendContacts(step.context, services.slice(0, 2), c.texts.vacatures);
    else await this.say(step.context, c.texts.geenVacatures);
  }

  private async sendVolunteerHelp(step: WaterfallStepContext, need: string): Promise<void> {
    const c = this.deps.content.vrijwilligerswerk;
    const code = this.answers(step).gemeente as string;
    const services = findServices(this.deps.kb, c.searches.hulp[need as keyof Searches['hulp']] ?? need, { gemeente: code, limit: 2 });
    if (services.length) return this.sendContacts(step.context, services, c.texts.zoekenIntro);
    await this.say(step.context, c.texts.zoekenGeen, { gemeente: this.deps.kb.municipality(code)?.name });
    await this.sendCentrale(step);
  }
}
