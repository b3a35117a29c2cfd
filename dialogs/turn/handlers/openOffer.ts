/** The answer to last turn's offer, handled by the offer's own kind (offers.ts). */
import type { Pending } from '../../flows/flowBase.js';
import { OFFERS } from '../offers.js';
import type { Turn } from '../turn.js';

export async function openOffer(turn: Turn): Promise<boolean> {
  const pending = turn.pending;
  if (!pending) return false;
  const handler = OFFERS[pending.kind] as (turn: Turn, pending: Pending) => Promise<boolean>;
  return handler(turn, pending);
}
