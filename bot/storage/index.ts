export { LowdbStorage, ETagConflictError, fileNameForKey } from './lowdbStorage.js';
export type { LowdbStorageOptions, StorageLogger } from './lowdbStorage.js';
export { RedactingStorage } from './redactingStorage.js';
