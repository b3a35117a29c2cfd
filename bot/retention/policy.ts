/**
 * How long each kind of stored data is kept. The defaults follow the AVG's data minimisation and
 * storage limitation (Regulation (EU) 2016/679 art. 5(1)(c) and (e)): keep each kind only as long as its purpose needs.
 * The README explains each default; every one can be set in the environment.
 */

export interface RetentionDays {
  /** Conversation (and user) state: only needed to continue a conversation. */
  conversations: number;
  /** Direct Line transcripts, when stored: only needed to show and resume a running conversation. */
  directLine: number;
  /** The bot's copy of a melding: a hand-over to the loket, which keeps its own file. */
  meldingen: number;
  /** Redacted questions the bot could not answer, for the knowledge manager's review. */
  unanswered: number;
  /** Files moved aside as corrupt: kept briefly for someone to inspect. */
  corrupt: number;
  /** Handoffs to staff (redacted transcripts) and callback requests (with the phone number), once ended or done. */
  handoffs: number;
  /** Per-conversation counters for the dashboard (no text): a year of monthly reports and its comparison month. */
  insight: number;
  /** Residents' feedback on answers (may hold a short redacted comment): like unanswered questions. */
  feedback: number;
}

export const DEFAULT_RETENTION_DAYS: RetentionDays = {
  conversations: 1,
  directLine: 1,
  meldingen: 42,
  unanswered: 30,
  corrupt: 7,
  handoffs: 30,
  insight: 400,
  feedback: 30,
};

/** The environment variable for each kind. */
export const RETENTION_SETTINGS: Record<keyof RetentionDays, string> = {
  conversations: 'RETENTION_CONVERSATION_DAYS',
  directLine: 'RETENTION_DIRECTLINE_DAYS',
  meldingen: 'RETENTION_MELDING_DAYS',
  unanswered: 'RETENTION_UNANSWERED_DAYS',
  corrupt: 'RETENTION_CORRUPT_DAYS',
  handoffs: 'RETENTION_HANDOFF_DAYS',
  insight: 'RETENTION_INSIGHT_DAYS',
  feedback: 'RETENTION_FEEDBACK_DAYS',
};
