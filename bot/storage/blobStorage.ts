/**
 * Shared storage for more than one service instance: Azure Blob Storage, one blob per key, through
 * botbuilder-azure-blobs (the Bot Framework's own blob store) and the Azure SDK it is built on.
 *
 * The contract is the one LowdbStorage keeps (tests/bot/storage.test.ts runs the same tests on
 * both): a write with a stale eTag, or with an eTag for an item deleted meanwhile, is refused with
 * ETagConflictError; the blob service checks the eTag atomically (If-Match), so two instances
 * cannot overwrite each other's turn. Each written item gets its new eTag, as with LowdbStorage.
 *
 * Blob names are the file names LowdbStorage uses (readable part + hash): any key gives a short,
 * valid, distinct name, so listing by prefix works. Each blob holds `{ key, value }` because the
 * name is a one-way hash. Reads and deletes go through BlobsStorage; writes use the same container
 * directly, because BlobsStorage.write does not return the new eTag, and learning it by reading the
 * blob again would cost every turn a second request.
 */
import { ContainerClient, RestError } from '@azure/storage-blob';
import type { StoreItem, StoreItems } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { ETagConflictError, TrackedStorage, checkItems, checkKeys, settled } from './contract.js';
import { fileNameForKey, readable } from './lowdbStorage.js';

interface KeyBlob {
  key: string;
  value: StoreItem;
}

function isKeyBlob(data: unknown): data is KeyBlob {
  if (!data || typeof data !== 'object') return false;
  const candidate = data as Partial<KeyBlob>;
  return typeof candidate.key === 'string' && !!candidate.value && typeof candidate.value === 'object';
}

export class BlobStorage extends TrackedStorage {
  private readonly blobs: BlobsStorage;
  private readonly container: ContainerClient;
  private ready?: Promise<unknown>;

  constructor(connectionString: string, containerName: string) {
    super();
    this.blobs = new BlobsStorage(connectionString, containerName);
    this.container = new ContainerClient(connectionString, containerName);
  }

  protected async readItems(keys: string[]): Promise<StoreItems> {
    checkKeys(keys, 'read');
    const names = keys.map(fileNameForKey);
    const found = await this.blobs.read(names);
    const items: StoreItems = {};
    keys.forEach((key, i) => {
      const blob = found[names[i]] as (KeyBlob & { eTag?: string }) | undefined;
      if (blob && isKeyBlob(blob) && blob.key === key) items[key] = { ...blob.value, eTag: blob.eTag };
    });
    return items;
  }

  protected async writeItems(changes: StoreItems): Promise<void> {
    checkItems(changes);
    this.ready ??= this.container.createIfNotExists().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    await this.ready;
    settled(await Promise.allSettled(Object.entries(changes).map(([key, item]) => this.save(key, item as StoreItem))));
  }

  protected async deleteItems(keys: string[]): Promise<void> {
    checkKeys(keys, 'delete');
    await this.blobs.delete(keys.map(fileNameForKey));
  }

  private async save(key: string, item: StoreItem): Promise<void> {
    const { eTag, ...value } = item;
    let body: string;
    try {
      body = JSON.stringify({ key, value } satisfies KeyBlob);
    } catch (error) {
      throw new TypeError(`Storage: the item for "${key}" cannot be stored as JSON: ${(error as Error).message}`);
    }
    try {
      const response = await this.container.getBlockBlobClient(fileNameForKey(key)).upload(body, Buffer.byteLength(body), {
        conditions: typeof eTag === 'string' && eTag !== '*' ? { ifMatch: eTag } : {},
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      item.eTag = response.etag;
    } catch (error) {
      // 412: the eTag no longer matches; 404: the blob is gone (deleted meanwhile).
      const status = error instanceof RestError ? error.statusCode : undefined;
      if (typeof eTag === 'string' && eTag !== '*' && (status === 412 || status === 404)) throw new ETagConflictError(key);
      throw error;
    }
  }

  protected async listItems(prefix: string): Promise<Array<{ key: string; value: StoreItem }>> {
    if (typeof prefix !== 'string') throw new TypeError('Storage: the prefix to list must be a string.');
    if (!(await this.container.exists())) return [];
    const names: string[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix: readable(prefix) })) names.push(blob.name);
    const found = names.length ? await this.blobs.read(names) : {};
    return Object.values(found)
      .filter((blob): blob is KeyBlob & { eTag: string } => isKeyBlob(blob) && blob.key.startsWith(prefix))
      .map((blob) => ({ key: blob.key, value: { ...blob.value, eTag: blob.eTag } }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

}
