/**
 * A person of the loket has the conversation: the handoff relays the message to them and the bot
 * stays silent (a safety signal is still answered with the numbers, by the handoff, and flagged for
 * the employee). When the conversation just came back from a person, the flow it was in is over.
 */
import { handoffPortOf } from '../../handoffPort.js';
import type { Turn } from '../turn.js';

export async function withPerson(turn: Turn): Promise<boolean> {
  const port = handoffPortOf(turn.context);
  if (!port) return false;
  const relay = await port.relayIfWithPerson(turn.context);
  if (relay.resetDialog) {
    await turn.dc.cancelAllDialogs();
    turn.flow = undefined;
  }
  return relay.handled;
}
