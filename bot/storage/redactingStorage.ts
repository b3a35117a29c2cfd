/**
 * Storage wrapper that removes BSN, phone numbers, e-mail addresses and IBANs from every item
 * before it is written, so what a resident types never reaches disk. Conversation and user
 * state go through this; reads and deletes pass straight through.
 */
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { redactDeep } from '../../knowledge/privacy/redact.js';

export class RedactingStorage implements Storage {
  constructor(private readonly inner: Storage) {}

  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new TypeError('Storage: changes to write must be an object.');
    const clean: StoreItems = {};
    for (const [key, item] of Object.entries(changes)) clean[key] = redactItem(key, item as StoreItem);
    await this.inner.write(clean);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }
}

/**
 * Redacts one item, leaving its eTag as it is. The JSON round trip first turns class instances,
 * Dates and the like into the plain data that will actually be stored: redactDeep only walks
 * plain objects and arrays, so a string inside a class instance would otherwise slip through.
 */
function redactItem(key: string, item: StoreItem): StoreItem {
  if (!item || typeof item !== 'object') return item; // the inner storage reports the bad input
  const { eTag, ...data } = item;
  let plain: Record<string, unknown>;
  try {
    plain = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
  } catch (error) {
    throw new TypeError(`Storage: the item for "${key}" cannot be stored as JSON: ${(error as Error).message}`);
  }
  const clean = redactDeep(plain);
  return eTag === undefined ? clean : { ...clean, eTag };
}
