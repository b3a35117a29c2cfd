/**
 * The municipality, asked once and only when an answer depends on it. The embedding page may
 * have passed it already (webchat/join); then nothing is asked. Used as two waterfall steps
 * inside each flow, so 'terug' and 'opnieuw' treat it like any other question.
 */
import type { DialogTurnResult, FoundChoice, WaterfallStep, WaterfallStepContext } from 'botbuilder-dialogs';
import { markAsked, CHOICE_PROMPT, type FlowDeps, type FlowResult, vals } from './flowBase.js';
import { fill } from '../content.js';

export const OTHER_GEMEENTE = 'anders';

/** The region's municipalities as buttons, plus "Andere gemeente" (general.json › gemeente.other). */
export function gemeenteChoices(deps: FlowDeps) {
  const list = [...deps.kb.municipalities].sort((a, b) => a.name.localeCompare(b.name, 'nl'));
  return [
    // A resident may type the town instead of the municipality (Bussum for Gooise Meren).
    ...list.map((m) => ({ id: m.code, label: m.name, synonyms: [m.code, m.name.toLowerCase(), ...(m.places ?? []).map((p) => p.toLowerCase())] })),
    { ...deps.content.general.gemeente.other, id: OTHER_GEMEENTE },
  ];
}

/**
 * Two steps: ask (skipped when known), then store. After them vals(step).gemeente holds the
 * CBS code; a resident from outside the region is told where to go and the flow ends.
 */
export function gemeenteSteps(deps: FlowDeps): WaterfallStep[] {
  const text = deps.content.general.gemeente;
  return [
    async (step: WaterfallStepContext): Promise<DialogTurnResult> => {
      const data = await deps.conversationData.get(step.context, {});
      // Known already: skip, unless the resident went back to this very question with 'terug'.
      if (data.gemeente && deps.kb.municipality(data.gemeente) && !vals(step).goingBack) {
        vals(step).gemeente = data.gemeente;
        return step.next();
      }
      markAsked(step);
      const choices = gemeenteChoices(deps);
      return step.prompt(CHOICE_PROMPT, {
        prompt: text.question,
        retryPrompt: text.retry,
        choices: choices.map((c) => ({ value: c.label, synonyms: c.synonyms })),
      });
    },
    async (step: WaterfallStepContext): Promise<DialogTurnResult> => {
      const found = step.result as FoundChoice | undefined;
      if (found && typeof found.index === 'number') {
        const choice = gemeenteChoices(deps)[found.index];
        if (choice.id === OTHER_GEMEENTE) {
          await step.context.sendActivity(text.notInRegion);
          return step.endDialog({ next: 'klaar' } satisfies FlowResult);
        }
        const data = await deps.conversationData.get(step.context, {});
        data.gemeente = choice.id;
        await deps.conversationData.set(step.context, data);
        vals(step).gemeente = choice.id;
        await step.context.sendActivity(fill(text.saved, { gemeente: choice.label }));
      }
      return step.next();
    },
  ];
}
