/**
 * Durable records over a botbuilder Storage with eTag compare-and-set. Nothing here keeps truth
 * in memory: every change reads the item, changes it and writes it back with the eTag it read;
 * when another writer (another request, another instance on shared storage) came first, the
 * write is refused and the change is tried again on the fresh item.
 */
import type { Storage, StoreItem } from 'botbuilder';

/** A change that decides not to write (the item is not in a state that allows it). */
export class Refused extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'Refused';
  }
}

const MAX_TRIES = 50;

/** The stored value as the caller wrote it: the eTag is the store's business. */
export function withoutETag<T>(item: StoreItem): T {
  const value: Record<string, unknown> = { ...item };
  delete value.eTag;
  return value as T;
}

function isConflict(error: unknown): boolean {
  const e = error as { name?: string; message?: string; statusCode?: number };
  return e?.name === 'ETagConflictError' || e?.statusCode === 412 || /etag/i.test(e?.message ?? '');
}

export class Records {
  constructor(readonly storage: Storage) {}

  async get<T extends object>(key: string): Promise<T | undefined> {
    const item = (await this.storage.read([key]))[key] as StoreItem | undefined;
    return item ? withoutETag<T>(item) : undefined;
  }

  async getMany<T extends object>(keys: string[]): Promise<T[]> {
    if (keys.length === 0) return [];
    const items = await this.storage.read(keys);
    return keys.flatMap((key) => (items[key] ? [withoutETag<T>(items[key] as StoreItem)] : []));
  }

  /**
   * Change one item by compare-and-set. `change` gets the current value (undefined when absent)
   * and returns the new one, or throws Refused. Returns what was written.
   */
  async update<T extends object>(key: string, change: (current: T | undefined) => T): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const item = (await this.storage.read([key]))[key] as (T & StoreItem) | undefined;
      const { eTag, ...current } = item ?? ({} as T & StoreItem);
      const next = change(item ? (current as unknown as T) : undefined);
      try {
        // A new item is written without eTag; the random keys of new records make that safe.
        await this.storage.write({ [key]: { ...next, ...(eTag ? { eTag } : {}) } });
        return next;
      } catch (error) {
        if (!isConflict(error) || attempt >= MAX_TRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
      }
    }
  }

  async put<T extends object>(key: string, value: T): Promise<void> {
    await this.storage.write({ [key]: { ...value } });
  }

  async remove(key: string): Promise<void> {
    await this.storage.delete([key]);
  }

  /** An index document: a list of ids kept by compare-and-set. */
  async addToIndex(key: string, id: string): Promise<void> {
    await this.update<{ ids: string[] }>(key, (index) => ({ ids: [...(index?.ids ?? []).filter((x) => x !== id), id] }));
  }

  async removeFromIndex(key: string, id: string): Promise<void> {
    await this.update<{ ids: string[] }>(key, (index) => ({ ids: (index?.ids ?? []).filter((x) => x !== id) }));
  }

  async index(key: string): Promise<string[]> {
    return (await this.get<{ ids: string[] }>(key))?.ids ?? [];
  }
}
