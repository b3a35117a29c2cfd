/** What every storage of this service promises, whatever it stores on: the same errors and checks. */
import type { Storage, StoreItem, StoreItems } from 'botbuilder';

/** Thrown when a write carries an eTag that no longer matches the stored item. */
export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict: the item changed meanwhile.`);
    this.name = 'ETagConflictError';
  }
}

export function checkKeys(keys: unknown, action: string): asserts keys is string[] {
  if (!Array.isArray(keys) || keys.some((key) => typeof key !== 'string')) {
    throw new TypeError(`Storage: keys to ${action} must be an array of strings.`);
  }
}

export function checkItems(changes: unknown): asserts changes is StoreItems {
  if (!changes || typeof changes !== 'object') throw new TypeError('Storage: changes to write must be an object.');
  for (const [key, item] of Object.entries(changes)) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      throw new TypeError(`Storage: the item for "${key}" must be an object.`);
    }
  }
}

/** The values of settled operations; throws the first failure, but only once all have finished. */
export function settled<T>(results: Array<PromiseSettledResult<T>>): T[] {
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}

/** The storage the service runs on (LowdbStorage or BlobStorage): botbuilder's Storage, plus listing and a flush for shutdown. */
export interface ServiceStorage extends Storage {
  /** Every stored item whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<Array<{ key: string; value: StoreItem }>>;
  /** Resolves when every operation called so far has finished. */
  flush(): Promise<void>;
}
