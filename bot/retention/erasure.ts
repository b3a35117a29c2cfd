/**
 * "Verwijder mijn gegevens": deletes one conversation's state, unanswered questions, feedback and
 * dashboard counters. Meldingen
 * are kept and named: with the resident's consent they went to the loket, which is responsible
 * for them now; the resident asks the loket to delete them there.
 */
import { MeldingStore, type Melding } from '../../dialogs/meldingen.js';
import { UnansweredStore } from '../../dialogs/unanswered.js';
import { InsightStore } from '../insight/events.js';
import { FeedbackStore } from '../insight/feedback.js';
import type { ConversationRef, ErasureResult, ResidentDataEraser } from '../../knowledge/privacy/erasure.js';
import type { ListingStorage } from './purge.js';

export class ResidentDataDeletion implements ResidentDataEraser {
  constructor(
    private readonly storage: ListingStorage,
    /** Drops what the resident's channel keeps of the conversation (the embedded Direct Line's transcript). */
    private readonly forgetTranscript?: (ref: ConversationRef) => Promise<void>,
  ) {}

  async forgetConversation({ channelId, conversationId, userId }: ConversationRef): Promise<ErasureResult> {
    // The keys botbuilder's ConversationState and UserState use (with their empty namespace at the end).
    const conversationKey = `${channelId}/conversations/${conversationId}/`;
    const keys = userId ? [conversationKey, `${channelId}/users/${userId}/`] : [conversationKey];
    const existing = await this.storage.read(keys);
    await this.storage.delete(keys);
    await this.forgetTranscript?.({ channelId, conversationId, userId });
    const unanswered = await new UnansweredStore(this.storage).forget(conversationId);
    const feedback = await new FeedbackStore(this.storage).forget(conversationId);
    // The dashboard's counters hold no text, but they are keyed by this conversation: they go too.
    await this.storage.delete([InsightStore.key(conversationId)]);
    const meldingenKept = (await this.storage.list(MeldingStore.PREFIX))
      .map(({ value }) => value as unknown as Melding)
      .filter((melding) => melding.conversationId === conversationId)
      .map((melding) => melding.reference);
    return { conversationState: conversationKey in existing, unanswered, feedback, meldingenKept };
  }
}
