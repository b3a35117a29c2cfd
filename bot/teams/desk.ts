/**
 * What the Teams module needs from the handoff service (bot/handoff, issue 10): the same queue,
 * claims and transcripts the staff console uses, so a conversation claimed in Teams shows as
 * claimed in the console and the other way round. The handoff service implements this with a
 * thin adapter; Teams code never reaches into handoff storage itself.
 */

/** A consultant or employee, as the desk records who did what. */
export interface Person {
  /** Stable id: the AAD object id for a Teams user (`teams:<aadObjectId>`), the account name for the console. */
  id: string;
  name: string;
}

export type EscalationState = 'waiting' | 'claimed' | 'released' | 'closed';

/** The outcomes a conversation can be closed with (as in the staff console). */
export const OUTCOMES = ['geholpen', 'doorverwezen', 'terugbelverzoek', 'melding gemaakt'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Escalation {
  id: string;
  /** Topic id of the conversation (knowledge/topics.ts), e.g. `mantelzorg`. */
  topic: string;
  /** CBS code of the resident's municipality, when known. */
  gemeente?: string;
  /** ISO time the resident asked for a person (waiting time counts from here). */
  createdAt: string;
  /** A safety signal was seen in this conversation: it goes first. */
  safety: boolean;
  /** The flow summary (what the resident chose), redacted; residents' words, so shown as text. */
  summary: string[];
  state: EscalationState;
  claimedBy?: Person;
  outcome?: Outcome;
}

export interface TranscriptLine {
  at: string;
  from: 'resident' | 'bot' | 'staff';
  /** Staff: who wrote it. */
  name?: string;
  /** Redacted. */
  text: string;
}

export type ClaimResult = { ok: true; escalation: Escalation } | { ok: false; takenBy: Person; escalation: Escalation };

/**
 * What happens on the desk, from any side (console, Teams, the resident). `created` may be left
 * out: a `changed` for a waiting escalation that has no card yet posts it. `message` and
 * `typing` are the resident's only (the consultant's own words are not echoed into the thread).
 */
export type DeskEvent =
  | { type: 'created'; escalation: Escalation }
  | { type: 'changed'; escalation: Escalation }
  | { type: 'message'; escalationId: string; text: string; at: string; /** The message carried a safety signal. */ safety?: boolean }
  | { type: 'typing'; escalationId: string };

/** Refusals a consultant can cause; shown to them in plain Dutch. */
export class DeskError extends Error {
  constructor(
    readonly code: 'not-found' | 'not-yours' | 'closed',
    message: string,
  ) {
    super(message);
    this.name = 'DeskError';
  }
}

export interface EscalationDesk {
  /** Open escalations (waiting or claimed), oldest first. */
  list(): Promise<Escalation[]>;
  get(id: string): Promise<Escalation | undefined>;
  /** Exactly one of many concurrent claims wins (eTag compare-and-set); the others learn who has it. */
  claim(id: string, who: Person): Promise<ClaimResult>;
  /** Give a claimed or waiting conversation to a colleague; `by` is recorded. */
  assign(id: string, to: Person, by: Person): Promise<Escalation>;
  /** Back to the bot. Only the person who has it. */
  release(id: string, who: Person): Promise<Escalation>;
  /** Close with an outcome. Only the person who has it. */
  close(id: string, who: Person, outcome: Outcome): Promise<Escalation>;
  /** A message from the person who has it, to the resident (through the resident's own channel). */
  relay(id: string, who: Person, text: string): Promise<void>;
  /** The person who has it is typing. */
  typing(id: string, who: Person): Promise<void>;
  /** The redacted transcript so far. */
  transcript(id: string): Promise<TranscriptLine[]>;
  /** Every event; returns an unsubscribe function. */
  subscribe(listener: (event: DeskEvent) => void): () => void;
}
