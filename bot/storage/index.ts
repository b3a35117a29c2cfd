export { ETagConflictError } from './contract.js';
export { LowdbStorage, fileNameForKey } from './lowdbStorage.js';
export type { LowdbStorageOptions, StorageLogger } from './lowdbStorage.js';
export { RedactingStorage } from './redactingStorage.js';
export { ETagConversationState } from './eTagConversationState.js';
