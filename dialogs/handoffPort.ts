/**
 * What the medewerker flow needs from the handoff service (bot/handoff implements it; dialogs
 * import nothing from bot/). The bot puts the port in turn state; without one (tests of the
 * flows alone, a tool) the flow gives the loket's contact as before.
 */
import type { TurnContext } from 'botbuilder';
import type { TopicId } from '../knowledge/topics.js';

export type HandoffStatus = 'waiting' | 'active' | 'timedOut' | 'returned' | 'closed';

export interface QueuePlace {
  handoffId: string;
  /** 1 = next in line. */
  position: number;
  /** Rounded up to whole minutes, at least 1. */
  expectedMinutes: number;
}

export interface HandoffState extends Partial<QueuePlace> {
  status: HandoffStatus;
  /** "Anna", once someone took the conversation. */
  employee?: string;
}

export interface CallbackRequest {
  gemeente: string;
  /** The number the resident asked us to call: kept only in the callback record. */
  phone: string;
  dagdeel: 'ochtend' | 'middag' | 'maakt-niet-uit';
  topic?: TopicId;
  conversationId?: string;
}

export interface HandoffPort {
  /** Is someone of this municipality signed in and marked available right now (or does an external hub take handoffs)? */
  available(gemeente: string): Promise<boolean>;
  /** Put this conversation in the queue (with its redacted transcript so far and a summary). */
  join(context: TurnContext, request: { gemeente: string; topic?: TopicId }): Promise<QueuePlace>;
  /** Where this conversation's handoff stands; undefined when there is none. */
  state(conversationId: string): Promise<HandoffState | undefined>;
  /** The resident leaves the queue (or the offer that followed it); the bot takes over again. */
  leave(conversationId: string): Promise<void>;
  /** Store a callback request; answers with the reference the resident can quote. */
  requestCallback(request: CallbackRequest): Promise<{ reference: string }>;
  /**
   * Every message first: with a person in the conversation the message goes to them (a safety
   * signal is still answered with the numbers) and `handled` is true. `resetDialog`: the
   * conversation just came back from a person, so the flow it was in is over.
   */
  relayIfWithPerson(context: TurnContext): Promise<{ handled: boolean; resetDialog: boolean }>;
}

const PORT_KEY = Symbol('wmoHandoffPort');

export function setHandoffPort(context: TurnContext, port: HandoffPort | undefined): void {
  if (port) context.turnState.set(PORT_KEY, port);
}

export function handoffPortOf(context: TurnContext): HandoffPort | undefined {
  return context.turnState.get(PORT_KEY) as HandoffPort | undefined;
}
