/**
 * Storage wrapper that removes BSN, phone numbers, e-mail addresses and IBANs from every item
 * before it is written, so what a resident types never reaches disk. Conversation and user
 * state go through this; reads and deletes pass straight through.
 */
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { CleanStrings } from './cleanStrings.js';

export class RedactingStorage implements Storage {
  /** A conversation's state is mostly the same prompts, choices and dialog ids turn after turn. */
  private readonly strings = new CleanStrings();

  constructor(private readonly inner: Storage) {}

  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new TypeError('Storage: changes to write must be an object.');
    const clean: StoreItems = {};
    for (const [key, item] of Object.entries(changes)) clean[key] = redactItem(key, item as StoreItem, this.strings);
    await this.inner.write(clean);
    passOnETags(changes, clean);
  }

  /** Any delete (an erasure) also empties the memory of clean strings. */
  delete(keys: string[]): Promise<void> {
    this.strings.forget();
    return this.inner.delete(keys);
  }
}

/**
 * Redacts one item, leaving its eTag as it is: one copy, made by a JSON round trip that also turns
 * class instances, Dates and the like into the plain data that will actually be stored, so a
 * string inside a class instance cannot slip through.
 */
function redactItem(key: string, item: StoreItem, strings: CleanStrings): StoreItem {
  if (!item || typeof item !== 'object') return item; // the inner storage reports the bad input
  const { eTag, ...data } = item;
  let clean: StoreItem;
  try {
    clean = JSON.parse(JSON.stringify(data)) as StoreItem;
  } catch (error) {
    throw new TypeError(`Storage: the item for "${key}" cannot be stored as JSON: ${(error as Error).message}`);
  }
  // The copy's strings are what would be stored (after toJSON, so Dates are strings by then).
  strings.redactInPlace(clean);
  if (eTag !== undefined) clean.eTag = eTag;
  return clean;
}

/**
 * Our storages give each written item its new eTag. A wrapper that wrote copies passes those on to
 * the caller's items, so a second save in the same turn is not refused by its own first write.
 */
export function passOnETags(changes: StoreItems, written: StoreItems): void {
  for (const [key, item] of Object.entries(changes)) {
    const eTag = (written[key] as StoreItem | undefined)?.eTag;
    if (item && typeof item === 'object' && eTag !== undefined) (item as StoreItem).eTag = eTag;
  }
}
