/**
 * Residents' feedback on answers, redacted: helped or not, an optional short comment, the topic,
 * municipality and cited sources. Keys "feedback/<conversation id>/<slot>", a few per
 * conversation (like unanswered questions), kept `feedback` retention days.
 */
import type { Storage } from 'botbuilder';
import type { TurnFeedback } from '../../dialogs/feedback.js';
import { redact } from '../../knowledge/privacy/redact.js';

export interface StoredFeedback extends TurnFeedback {
  conversationId: string;
  at: string;
}

export const FEEDBACK_PREFIX = 'feedback/';
/** A comment is "short": longer text is cut, not refused. */
export const MAX_COMMENT = 500;

export class FeedbackStore {
  static readonly PER_CONVERSATION = 10;

  constructor(
    private readonly storage: Storage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static keysFor(conversationId: string): string[] {
    return Array.from({ length: FeedbackStore.PER_CONVERSATION }, (_, slot) => `${FEEDBACK_PREFIX}${conversationId}/${slot}`);
  }

  /** Stores the feedback in the conversation's first free slot; undefined when all are taken. */
  async add(conversationId: string, feedback: TurnFeedback): Promise<string | undefined> {
    const keys = FeedbackStore.keysFor(conversationId);
    const taken = await this.storage.read(keys);
    const key = keys.find((k) => !taken[k]);
    if (!key) return undefined;
    const comment = feedback.comment?.trim() ? redact(feedback.comment.trim().slice(0, MAX_COMMENT)).text : undefined;
    const item: StoredFeedback = { ...feedback, conversationId, at: this.now().toISOString() };
    if (comment) item.comment = comment;
    else delete item.comment;
    await this.storage.write({ [key]: { ...item } });
    return key;
  }

  /** A conversation's feedback, for "verwijder mijn gegevens"; resolves with how many there were. */
  async forget(conversationId: string): Promise<number> {
    const found = Object.keys(await this.storage.read(FeedbackStore.keysFor(conversationId)));
    if (found.length) await this.storage.delete(found);
    return found.length;
  }
}
