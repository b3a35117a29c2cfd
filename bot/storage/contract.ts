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

/**
 * The public side of every ServiceStorage: each operation is tracked until it has finished, so
 * shutdown can wait for the writes in flight (flush). Subclasses implement the *Items methods.
 */
export abstract class TrackedStorage implements ServiceStorage {
  private readonly running = new Set<Promise<unknown>>();

  read(keys: string[]): Promise<StoreItems> {
    return this.track(this.readItems(keys));
  }

  /**
   * Writes every change; eTag '*' or none overwrites, a matching eTag updates, a stale one (or
   * one for an item deleted meanwhile) is refused for that key (the others are still written) and
   * the call rejects afterwards. Each written item gets its new eTag, so the caller need not read it.
   */
  write(changes: StoreItems): Promise<void> {
    return this.track(this.writeItems(changes));
  }

  delete(keys: string[]): Promise<void> {
    return this.track(this.deleteItems(keys));
  }

  list(prefix: string): Promise<Array<{ key: string; value: StoreItem }>> {
    return this.track(this.listItems(prefix));
  }

  /** Resolves when every operation called so far (and any called meanwhile) has finished. */
  async flush(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  protected abstract readItems(keys: string[]): Promise<StoreItems>;
  protected abstract writeItems(changes: StoreItems): Promise<void>;
  protected abstract deleteItems(keys: string[]): Promise<void>;
  protected abstract listItems(prefix: string): Promise<Array<{ key: string; value: StoreItem }>>;

  private track<T>(promise: Promise<T>): Promise<T> {
    this.running.add(promise);
    const done = () => this.running.delete(promise);
    promise.then(done, done);
    return promise;
  }
}
