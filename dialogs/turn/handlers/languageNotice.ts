/** An English message gets one line saying the answers are in Dutch, then its answer. */
import { addPreface } from '../../replies.js';
import type { Turn } from '../turn.js';

export async function languageNotice(turn: Turn): Promise<boolean> {
  if (turn.u.language === 'en') addPreface(turn.context, turn.deps.content.general.english);
  return false;
}
