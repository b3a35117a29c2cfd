/** stop, opnieuw, terug, help, medewerker: in every flow, unless the text is a button on screen. */
import { recognizeChoice, normalizeAnswer } from '../../choices.js';
import { fill, type GlobalWord } from '../../content.js';
import { MEDEWERKER_DIALOG } from '../../flows/medewerkerDialog.js';
import { setReplyTopic } from '../../replies.js';
import { sendMenu } from '../actions.js';
import { isExactChoice, type Turn } from '../turn.js';

export async function globalWords(turn: Turn): Promise<boolean> {
  const word = globalWord(turn);
  if (word === 'stop' && turn.pending?.kind === 'afterSafety' && !turn.flow) {
    setReplyTopic(turn.context, 'veiligheid', 1);
    await turn.context.sendActivity(turn.deps.content.safety.stopAfterSafety);
    return true;
  }
  if (!word || isExactChoice(turn.dc, turn.text)) return false;
  await handle(turn, word);
  return true;
}

function globalWord(turn: Turn): GlobalWord | undefined {
  const answer = normalizeAnswer(turn.text);
  if (!answer) return undefined;
  const entries = Object.entries(turn.deps.content.general.globalWords) as Array<[GlobalWord, string[]]>;
  for (const [word, list] of entries) if (list.some((w) => normalizeAnswer(w) === answer)) return word;
  // A short sentence that contains a phrase of two words or more ("ik wil een medewerker spreken").
  if (answer.split(' ').length <= 6) {
    for (const [word, list] of entries) {
      if (list.some((w) => normalizeAnswer(w).includes(' ') && ` ${answer} `.includes(` ${normalizeAnswer(w)} `))) return word;
    }
  }
  // One word with a typo ("opnieuww", "medewerkr"): only for the longer words, to stay safe.
  if (!answer.includes(' ') && answer.length >= 5) {
    const index = recognizeChoice(answer, entries.map(([, list]) => ({ value: list[0] })), {});
    if (index !== undefined && entries[index][1][0].length >= 5) return entries[index][0];
  }
  return undefined;
}

async function handle(turn: Turn, word: GlobalWord): Promise<void> {
  const { dc, context, flow } = turn;
  const texts = turn.deps.content.general.texts;
  setReplyTopic(context, word === 'medewerker' ? 'medewerker' : flow?.topic ?? 'groet', 1);
  switch (word) {
    case 'stop':
      if (!flow) return void (await context.sendActivity(texts.nothingToStop));
      await dc.cancelAllDialogs();
      await context.sendActivity(texts.stopped);
      return;
    case 'opnieuw':
      if (!flow) return sendMenu(context, turn.deps, texts.nothingToRestart);
      return flow.dialog.restart(dc);
    case 'terug':
      if (!flow) return void (await context.sendActivity(texts.backNothing));
      return flow.dialog.goBack(dc);
    case 'help':
      if (!flow) return sendMenu(context, turn.deps, texts.help);
      await context.sendActivity(fill(texts.helpInFlow, { flow: flow.title }));
      await dc.repromptDialog();
      return;
    case 'medewerker':
      if (flow?.id === MEDEWERKER_DIALOG) return void (await dc.repromptDialog());
      // On top of the running flow: when the loket details are shown, the flow goes on.
      await dc.beginDialog(MEDEWERKER_DIALOG);
      return;
  }
}
