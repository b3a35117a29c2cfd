/**
 * The port through which the assistant records its contacts with residents in the
 * municipality's customer-contact system (VNG Klantinteracties API, as Open Klant implements it).
 * Inputs are plain data, so whoever produces them (the handoff queue, the melding hook) connects
 * with a few lines and nothing here depends on how they are built.
 */

/** What the resident gave for this purpose, and nothing else. Never a BSN. */
export interface ResidentContact {
  /** The name the resident wants to be addressed by, if they gave one ("Anna de Vries"). */
  name?: string;
  /** Call-back number as typed ("06-12345678", "+31 35 123 4567"). */
  phone?: string;
  email?: string;
}

/** One line of the conversation. Text is redacted again before anything leaves. */
export interface TranscriptLine {
  from: 'resident' | 'bot' | 'employee';
  text: string;
  at?: string;
}

export type HandoffOutcome = 'geholpen' | 'doorverwezen' | 'terugbelverzoek' | 'melding gemaakt';

/** A conversation an employee took over and closed in the staff console. */
export interface ClosedHandoff {
  /** Our reference for the handoff; recording the same reference twice records it once. */
  reference: string;
  /** CBS code of the resident's municipality, e.g. "GM0406". */
  gemeente: string;
  /** Topic id ("huishoudelijke-hulp") or a readable subject. */
  topic: string;
  /** The summary the resident may read (what they chose in the flow, what was agreed). */
  summary: string;
  /** The redacted transcript; recorded as a bijlage that identifies it (see README). */
  transcript: TranscriptLine[];
  employee: { id: string; name: string };
  outcome: HandoffOutcome;
  /** Knowledge articles the bot or the employee cited. */
  citedArticles: Array<{ id: string; title?: string }>;
  /** When the conversation with the employee began (ISO); closedAt when unknown. */
  startedAt?: string;
  closedAt: string;
  contact?: ResidentContact;
}

/** A resident's request to be called back (nobody was available, or the wait was too long). */
export interface CallbackRequest {
  reference: string;
  gemeente: string;
  topic: string;
  summary: string;
  /** Preferred part of the day as the resident chose it ("In de ochtend"). */
  preferredTime?: string;
  requestedAt: string;
  /** Must hold a phone number or an e-mail address. */
  contact: ResidentContact;
}

/** A Wmo-melding as stored by the melding intake (dialogs/meldingen.ts), in plain words. */
export interface MeldingRecord {
  reference: string;
  gemeente: string;
  /** Readable subject, e.g. "Hulp in het huishouden". */
  topic: string;
  /** What the resident saw and agreed to send: situation, what was tried, household, urgency. */
  summary: string;
  /** Urgency as the resident chose it ("Nu, het is niet veilig"). */
  urgency: string;
  /** True when the resident said it cannot wait (the task says so first). */
  urgent: boolean;
  createdAt: string;
  contact: ResidentContact;
  preferredTime?: string;
}

export type RecordKind = 'handoff' | 'callback' | 'melding';

/** What a record* call did: queued for sending, already queued earlier, or nothing (not configured). */
export type RecordResult = 'queued' | 'already-queued' | 'not-configured';

export interface OutboxItem {
  kind: RecordKind;
  reference: string;
  gemeente: string;
  queuedAt: string;
  attempts: number;
  lastAttemptAt?: string;
  /** The last failure, for the beheerder ("HTTP 401 from https://…/klantcontacten: …"). */
  lastError?: string;
  nextAttemptAt?: string;
  sentAt?: string;
  /** URL of the klantcontact in the municipality's API, once created. */
  klantcontact?: string;
}

export interface OutboxStatus {
  /** False when no municipality has a Klantinteracties API configured: nothing is sent. */
  configured: boolean;
  /** Queued and not yet tried, or being sent now. */
  pending: OutboxItem[];
  /** Tried and failed at least once; retried with backoff until it succeeds. */
  failing: OutboxItem[];
  /** Sent, newest first (at most `limit`). */
  sent: OutboxItem[];
}

export interface ContactRegistry {
  /** Queue the record durably; it is sent in the background. Resolves once it is safe on disk. */
  recordClosedHandoff(handoff: ClosedHandoff): Promise<RecordResult>;
  recordCallback(callback: CallbackRequest): Promise<RecordResult>;
  recordMelding(melding: MeldingRecord): Promise<RecordResult>;
  /** For the staff console (beheerder): what is waiting, what keeps failing and why, what was sent. */
  outboxStatus(limit?: number): Promise<OutboxStatus>;
  /** Stop retrying and wait for the request in flight (at shutdown). Queued records stay queued. */
  stop(): Promise<void>;
}
