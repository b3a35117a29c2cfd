/** A BSN typed anywhere is not kept (state is redacted on write); say so before the answer. */
import { redact } from '../../../knowledge/privacy/redact.js';
import { STORY_PROMPT, openPrompt } from '../../flows/flowBase.js';
import { addPreface } from '../../replies.js';
import type { Turn } from '../turn.js';

export async function privacyNotice(turn: Turn): Promise<boolean> {
  // The melding story says so itself, with more detail.
  const storyOpen = openPrompt(turn.dc)?.activeDialog?.id === STORY_PROMPT;
  if (redact(turn.text).found.includes('bsn') && !storyOpen) addPreface(turn.context, turn.deps.content.general.texts.bsnRemoved);
  return false;
}
