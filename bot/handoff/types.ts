/** The handoff's stored shapes (plain JSON in the storage layer) and the events the console hears. */
import type { ConversationReference } from 'botbuilder';

/** On shared storage: the messages remembered before a handoff (retention and erasure delete it with the conversation). */
export const HISTORY_PREFIX = 'handoff/history/';

export const OUTCOMES = ['geholpen', 'doorverwezen', 'terugbelverzoek', 'melding gemaakt'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type CaseStatus = 'waiting' | 'active' | 'timedOut' | 'returned' | 'closed';

export interface TranscriptEntry {
  at: string;
  from: 'inwoner' | 'assistent' | 'medewerker' | 'systeem';
  /** The employee's display name for their messages. */
  name?: string;
  /** Redacted (knowledge/privacy/redact.ts) before it is stored. */
  text: string;
  /** The resident's message carried a safety signal (the console highlights it). */
  safety?: boolean;
}

export interface Employee {
  username: string;
  name: string;
}

export interface HandoffCase {
  id: string;
  status: CaseStatus;
  /** Where it went: the built-in console, or an external agent hub by handoff.initiate. */
  target: 'console' | 'event';
  gemeente: string;
  topic?: string;
  summary: string;
  createdAt: string;
  claimedAt?: string;
  endedAt?: string;
  /** Who ended it: the employee (release/close), the resident (stop), or the timeout. */
  endedBy?: 'medewerker' | 'inwoner' | 'timeout' | 'hub';
  assignee?: Employee;
  outcome?: Outcome;
  callbackReference?: string;
  /** After a timeout: the resident answered the callback offer, the flow asks the rest. */
  offerAnswered?: boolean;
  /** The last queue place the resident was told, so updates go out only when it changes. */
  toldPosition?: number;
  safety: boolean;
  reference: Partial<ConversationReference>;
  /** The resident is on the embedded Direct Line (write into it) rather than an external channel. */
  embedded: boolean;
  transcript: TranscriptEntry[];
  notes: Array<{ at: string; by: string; text: string }>;
}

export interface Callback {
  reference: string;
  createdAt: string;
  gemeente: string;
  /** Kept as the resident gave it, for this call-back only (like a melding's contact). */
  phone: string;
  dagdeel: 'ochtend' | 'middag' | 'maakt-niet-uit';
  topic?: string;
  summary?: string;
  handoffId?: string;
  status: 'open' | 'done';
  doneBy?: string;
  doneAt?: string;
}

/** What the console's push stream carries; every event names its municipality for scoping. */
export type HandoffEvent =
  | { type: 'queue'; gemeente: string; handoffId: string }
  | { type: 'message'; gemeente: string; handoffId: string; entry: TranscriptEntry }
  | { type: 'typing'; gemeente: string; handoffId: string; from: 'inwoner' | 'medewerker' }
  | { type: 'callbacks'; gemeente: string };
