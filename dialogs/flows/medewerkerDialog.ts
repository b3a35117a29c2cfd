/**
 * "Medewerker": the loket's contact and opening hours from the municipality data, and honestly
 * whether it is open now. There is no live handoff yet, and the resident is told so.
 */
import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { fill } from '../content.js';
import { loketContact, presentContact } from '../socialeKaart.js';
import { FlowDialog, type FlowDeps, type FlowResult } from './flowBase.js';
import { gemeenteSteps } from './gemeenteDialog.js';

export const MEDEWERKER_DIALOG = 'medewerker';
const WATERFALL = 'medewerker-stappen';

export class MedewerkerDialog extends FlowDialog {
  constructor(deps: FlowDeps) {
    super(MEDEWERKER_DIALOG, 'medewerker', deps.content.general.topicLabels.medewerker, deps);
    this.addDialog(new WaterfallDialog(WATERFALL, [...gemeenteSteps(deps), (step) => this.show(step)]));
    this.initialDialogId = WATERFALL;
  }

  private async show(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { content, now } = this.deps;
    const text = content.general.medewerker;
    const m = this.municipality(step);
    const card = loketContact(m, now());
    await step.context.sendActivity(`${fill(text.intro, { loket: m.loket.name })}\n\n${presentContact(content.general, card)}`);
    const open = card.openNow === true ? text.openNow : card.openNow === false ? text.closedNow : '';
    await step.context.sendActivity([open, text.noLiveChat].filter(Boolean).join('\n\n'));
    return step.endDialog({ next: 'klaar', topic: 'medewerker' } satisfies FlowResult);
  }
}
