/**
 * Mantelzorg: for whom, hours a week, how heavy it feels (a simple scale; heavy leads to the
 * offer to talk to a consultant today), then needs as choices in a loop: respijtzorg
 * (logeeropvang, dagbesteding, vervangende zorg), the municipality's mantelzorgwaardering,
 * a consulent or steunpunt, lotgenotencontact, jonge mantelzorgers (24 and younger), work and care.
 * A carer who says at the start that the person has dementia hears that it was heard, with the local
 * help for dementia when the municipality is known, before the first question.
 */
import { DialogReason, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { FlowDialog, type FlowDeps, type FlowResult, type FlowStart } from './flowBase.js';
import { containsPhrase } from '../signals.js';
import { gemeenteSteps } from './gemeenteDialog.js';
import type { Content } from '../content.js';

type MantelzorgContent = Content['mantelzorg'];
import { findServices } from '../socialeKaart.js';
import { waarderingText } from '../local.js';

export const MANTELZORG_DIALOG = 'mantelzorg';
const WATERFALL = 'mantelzorg-stappen';
const NEEDS = 'mantelzorg-behoefte';

/** The resident's answers: content choice ids; `need` is the need being answered in the loop. */
interface Answers {
  voorWie: string;
  uren: string;
  zwaar: string;
  need: string;
}

/** Needs with their own search words (mantelzorg.json › searches). */
type NeedWithSearch = keyof MantelzorgContent['searches'];

export class MantelzorgDialog extends FlowDialog<Answers> {
  constructor(deps: FlowDeps) {
    super(MANTELZORG_DIALOG, 'mantelzorg', deps.content.mantelzorg.title, deps);
    const c = deps.content.mantelzorg;
    const q = c.questions;
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        async (step) => {
          if (step.reason === DialogReason.beginCalled) {
            await this.say(step.context, c.intro);
            const said = (step.options as FlowStart | undefined)?.said;
            if (said && containsPhrase(said, c.dementiaWords)) await this.dementiaHelp(step);
          }
          return this.ask(step, q.voorWie);
        },
        this.rememberThenAsk('voorWie', q.voorWie, q.uren),
        this.rememberThenAsk('uren', q.uren, q.zwaar),
        async (step) => {
          this.answers(step).zwaar = this.picked(step, q.zwaar) ?? this.answers(step).zwaar;
          return step.next();
        },
        ...gemeenteSteps(deps),
        async (step) => {
          if (this.answers(step).zwaar !== 'vaak' && this.answers(step).zwaar !== 'teZwaar') return step.next();
          await this.say(step.context, c.texts.zwaarOffer);
          return this.ask(step, q.vandaag);
        },
        async (step) => {
          if (this.picked(step, q.vandaag) === 'ja') await this.consultantToday(step);
          return step.beginDialog(NEEDS);
        },
        async (step) => step.endDialog(step.result),
      ]),
    );
    this.addDialog(this.needsDialog());
    this.initialDialogId = WATERFALL;
  }

  /** Needs as choices in a loop: respijtzorg with its forms, waardering, consulent, lotgenoten, jong, werk. */
  private needsDialog(): WaterfallDialog {
    const c = this.deps.content.mantelzorg;
    const q = c.questions;
    return new WaterfallDialog(NEEDS, [
      (step) => this.ask(step, q.behoefte),
      async (step) => {
        const need = this.picked(step, q.behoefte);
        if (need === 'respijt' || (need === undefined && this.answers(step).need === 'respijt')) {
          this.answers(step).need = 'respijt';
          await this.say(step.context, c.texts.respijt);
          return this.ask(step, q.respijtVorm);
        }
        this.answers(step).need = need ?? this.answers(step).need;
        await this.answerNeed(step, this.answers(step).need as string);
        return step.next();
      },
      async (step) => {
        const vorm = this.picked(step, q.respijtVorm);
        if (vorm) {
          await this.sendLocal(step, vorm);
          await this.say(step.context, c.texts.respijtKosten);
        }
        return this.ask(step, q.nogIets);
      },
      async (step): Promise<DialogTurnResult> => {
        const next = this.picked(step, q.nogIets) ?? 'klaar';
        if (next === 'meer') return step.replaceDialog(NEEDS);
        if (next === 'klaar') await this.say(step.context, c.texts.klaar);
        return step.endDialog({ next: next === 'melding' ? 'melding' : 'klaar', topic: 'mantelzorg' } satisfies FlowResult);
      },
    ]);
  }

  /** "Mijn moeder heeft alzheimer": heard, and where to go with it here (only what the sociale kaart has). */
  private async dementiaHelp(step: WaterfallStepContext): Promise<void> {
    const { kb, content } = this.deps;
    const code = await this.gemeenteCode(step.context);
    const services = code ? findServices(kb, content.mantelzorg.searches.dementie, { gemeente: code, limit: 2, adultsOnly: true }) : [];
    const { dementie, dementieHulp } = content.mantelzorg.texts;
    if (services.length) await this.sendContacts(step.context, services, `${dementie} ${dementieHulp}`);
    else await this.say(step.context, dementie);
  }

  private async consultantToday(step: WaterfallStepContext): Promise<void> {
    const { kb, content } = this.deps;
    const c = content.mantelzorg;
    const code = await this.gemeenteCode(step.context);
    const services = findServices(kb, c.searches.consulent, { gemeente: code, topic: 'mantelzorg', limit: 1 });
    if (services.length) {
      await this.sendContacts(step.context, services, c.texts.consulentContact);
      await this.say(step.context, c.texts.belVandaag);
    } else {
      const m = code ? kb.municipality(code) : undefined;
      await this.say(step.context, c.texts.geenConsulent, { gemeente: m?.name, telefoon: m?.loket.phone });
    }
  }

  private async answerNeed(step: WaterfallStepContext, need: string): Promise<void> {
    const { kb, content } = this.deps;
    const c = content.mantelzorg;
    const code = await this.gemeenteCode(step.context);
    const m = code ? kb.municipality(code) : undefined;
    switch (need) {
      case 'waardering': {
        if (!m) return;
        const text = waarderingText(this.deps.content, m, this.deps.now());
        await this.say(step.context, text);
        return;
      }
      case 'consulent':
        await this.say(step.context, c.texts.consulent);
        await this.sendLocal(step, need);
        return;
      case 'lotgenoten':
        await this.say(step.context, c.texts.lotgenoten);
        await this.sendLocal(step, need);
        return;
      case 'jong':
        await this.say(step.context, c.texts.jong);
        await this.sendLocal(step, need);
        return;
      case 'werk':
        // The text sends the resident to a mantelzorgconsulent: the local one comes with it.
        await this.say(step.context, `${c.texts.werk}\n\n${c.texts.landelijk}`);
        await this.sendLocal(step, 'consulent');
        return;
    }
  }

  /** Local organisations for a need, or the loket when the sociale kaart has none. */
  private async sendLocal(step: WaterfallStepContext, need: string): Promise<void> {
    const { kb, content } = this.deps;
    const code = await this.gemeenteCode(step.context);
    // Respite care is often filed under other topics (begeleiding, dagbesteding): search wider.
    const topic = ['logeren', 'dagbesteding', 'vervangend'].includes(need) ? undefined : 'mantelzorg';
    // Only the young-carer need gets services for young people; an adult carer gets the others.
    const services = findServices(kb, content.mantelzorg.searches[need as NeedWithSearch] ?? need, { gemeente: code, topic, adultsOnly: need !== 'jong' });
    if (services.length) return this.sendContacts(step.context, services);
    const m = code ? kb.municipality(code) : undefined;
    await this.say(step.context, content.mantelzorg.texts.geenDienst, { gemeente: m?.name, telefoon: m?.loket.phone });
  }
}
