/**
 * The storage layer: every write of the service goes through here. createStorage picks the store
 * from the configuration, in this one place.
 */
import { join } from 'node:path';
import type { Config } from '../config.js';
import { BlobStorage } from './blobStorage.js';
import type { ServiceStorage } from './contract.js';
import { LowdbStorage, type StorageLogger } from './lowdbStorage.js';

export { ETagConflictError } from './contract.js';
export type { ServiceStorage } from './contract.js';
export { BlobStorage } from './blobStorage.js';
export { LowdbStorage, fileNameForKey } from './lowdbStorage.js';
export type { LowdbStorageOptions, StorageLogger } from './lowdbStorage.js';
export { RedactingStorage } from './redactingStorage.js';
export { ETagConversationState } from './eTagConversationState.js';

/** STORAGE=lowdb (default): files in DATA_DIR/state, one process per folder. STORAGE=blobs: Azure Blob Storage, shared by instances. */
export function createStorage(config: Pick<Config, 'storage' | 'dataDir' | 'blobConnectionString' | 'blobContainer'>, logger?: StorageLogger): ServiceStorage {
  if (config.storage === 'blobs') return new BlobStorage(config.blobConnectionString ?? '', config.blobContainer ?? '');
  return new LowdbStorage(join(config.dataDir, 'state'), { logger });
}
