/**
 * Conversation state carries no time of its own, so retention could not tell an old one from a
 * new one. This Storage wrapper stamps every item it writes with `_savedAt` (ISO time); the
 * purge reads it. Reads and deletes pass straight through.
 */
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { passOnETags } from '../storage/redactingStorage.js';

export const SAVED_AT = '_savedAt';

export class SavedAtStorage implements Storage {
  constructor(
    private readonly inner: Storage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') return this.inner.write(changes);
    const savedAt = this.now().toISOString();
    const stamped: StoreItems = {};
    for (const [key, item] of Object.entries(changes)) {
      stamped[key] = item && typeof item === 'object' && !Array.isArray(item) ? { ...(item as StoreItem), [SAVED_AT]: savedAt } : item;
    }
    await this.inner.write(stamped);
    passOnETags(changes, stamped);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }
}
