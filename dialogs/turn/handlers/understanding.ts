/** What the classifier says: high → answer or start the flow, middle → "Bedoelt u…?", low → say so honestly. */
import { offerDidYouMean, sayLow, startTopic } from '../actions.js';
import type { Turn } from '../turn.js';

export async function understanding(turn: Turn): Promise<boolean> {
  const { u } = turn;
  if (u.band === 'high') await startTopic(turn, u.topic, u.confidence, turn.text);
  else if (u.band === 'middle') await offerDidYouMean(turn);
  else await sayLow(turn);
  return true;
}
