import { ConversationState, calculateChangeHash, type StoreItem, type TurnContext } from 'botbuilder';

/**
 * ConversationState that writes with the eTag it read. BotState always writes eTag '*', so a
 * turn that read old state would silently overwrite a newer one; here the storage refuses it
 * (ETagConflictError). A turn reads its state once and writes it once: our storages give the
 * written item its new eTag, so a second save in the same turn is not refused by our own write;
 * only a storage that does not (botbuilder's own) is read again to learn it.
 */
export class ETagConversationState extends ConversationState {
  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    // BotState keeps the turn's cached state under a private symbol; same data, no copy.
    const stateKey = (this as unknown as { stateKey: symbol }).stateKey;
    const cached = context.turnState.get(stateKey) as { state: StoreItem; hash: string } | undefined;
    if (!cached) return;
    // The hash ignores the eTag, so the one computed here still holds after the write.
    const hash = calculateChangeHash(cached.state);
    if (!force && cached.hash === hash) return;
    const key = await this.storageKey(context);
    const sent = cached.state.eTag;
    await this.storage.write({ [key]: cached.state });
    if (cached.state.eTag === sent) cached.state.eTag = (await this.storage.read([key]))[key]?.eTag;
    cached.hash = hash;
  }
}
