/**
 * The port for a resident's "verwijder mijn gegevens": what a dialog calls, implemented in bot/
 * (bot/retention/erasure.ts). SDK-free, so dialogs/ can depend on it without importing bot/.
 */

export interface ConversationRef {
  channelId: string;
  conversationId: string;
  /** Also deletes this user's state on the channel. */
  userId?: string;
}

export interface ErasureResult {
  /** The conversation's stored state existed and was deleted. */
  conversationState: boolean;
  /** How many of the conversation's unanswered questions were deleted. */
  unanswered: number;
  /** How many of the conversation's feedback items (which may hold a short comment) were deleted. */
  feedback: number;
  /** References of meldingen from this conversation that are kept: the loket already has them. */
  meldingenKept: string[];
}

export interface ResidentDataEraser {
  /**
   * Deletes what the service stored about one conversation and says what it kept. The calling
   * turn must not save its conversation state afterwards (delete it from the turn as well).
   */
  forgetConversation(ref: ConversationRef): Promise<ErasureResult>;
}
