import { ConversationState, calculateChangeHash, type StoreItem, type TurnContext } from 'botbuilder';

/** What BotState keeps for the turn (under a private symbol): the state and how it looked when read or last written. */
interface Cached {
  state: StoreItem;
  hash: string;
}

/**
 * ConversationState that writes with the eTag it read. BotState always writes eTag '*', so a
 * turn that read old state would silently overwrite a newer one; here the storage refuses it
 * (ETagConflictError). A turn reads its state once and writes it once: our storages give the
 * written item its new eTag, so a second save in the same turn is not refused by our own write;
 * only a storage that does not (botbuilder's own) is read again to learn it.
 */
export class ETagConversationState extends ConversationState {
  /** BotState.load, with the cheaper change mark below. */
  override async load(context: TurnContext, force = false): Promise<StoreItem> {
    const cached = context.turnState.get(cacheKey(this)) as Cached | undefined;
    if (!force && cached?.state) return cached.state;
    const key = await this.storageKey(context);
    const state = ((await this.storage.read([key]))[key] ?? {}) as StoreItem;
    context.turnState.set(cacheKey(this), { state, hash: changeMark(state) } satisfies Cached);
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const cached = context.turnState.get(cacheKey(this)) as Cached | undefined;
    if (!cached) return;
    // The mark ignores the eTag, so the one computed here still holds after the write.
    const hash = changeMark(cached.state);
    if (!force && cached.hash === hash) return;
    const key = await this.storageKey(context);
    const sent = cached.state.eTag;
    await this.storage.write({ [key]: cached.state });
    if (cached.state.eTag === sent) cached.state.eTag = (await this.storage.read([key]))[key]?.eTag;
    cached.hash = hash;
  }
}

/** BotState keeps the turn's cached state under a private symbol; same data, no copy. */
function cacheKey(state: ConversationState): symbol {
  return (state as unknown as { stateKey: symbol }).stateKey;
}

/**
 * Whether the state changed in the turn: its JSON without the eTag, which is what the storage
 * writes. botbuilder's calculateChangeHash does the same through a replacer that calls back for
 * every value and then a SHA-256, twice a turn; a state that is not JSON (a cycle) falls back to it,
 * and its write then fails as before. Never '' (BotState.clear's "write it" mark).
 */
function changeMark(state: StoreItem): string {
  try {
    return JSON.stringify({ ...state, eTag: undefined });
  } catch {
    return calculateChangeHash(state);
  }
}
