/**
 * Durable botbuilder Storage on lowdb: one small JSON file per key, written atomically.
 *
 * Why one file per key: a turn rewrites only its own conversation's file, never one giant file.
 * Each file holds `{ key, value }`; the value carries its `eTag` like every botbuilder store.
 * Values are never kept in memory: every read reads the file, so a restart, or a second
 * LowdbStorage on the same directory in this process, sees exactly what was written. Only each
 * key's current eTag is remembered, so a write checks it without reading the file again.
 * Run one server process per directory: the per-key locks and eTags below are in-process only
 * (for several instances use the shared blob storage, see index.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { StoreItem, StoreItems } from 'botbuilder';
import { Low } from 'lowdb';
import { DirectorySync, DurableJsonFile } from './durableFile.js';
import { ETagConflictError, TrackedStorage, checkItems, checkKeys, settled } from './contract.js';

/** What one file holds. The original key is kept because the file name is a one-way hash. */
interface KeyFile {
  key: string;
  value: StoreItem;
}

export interface StorageLogger {
  warn(o: object, msg?: string): void;
}

export interface LowdbStorageOptions {
  /** Told when a corrupt file is moved aside (pino-compatible). */
  logger?: StorageLogger;
  /** How many keys' eTags this process remembers per directory (least recently used are dropped and read again when needed). */
  cacheSize?: number;
}

const READABLE_LENGTH = 64;

/** The readable part of a file name: the key with anything outside [A-Za-z0-9_-] turned into '_'. */
export function readable(key: string): string {
  return key.replace(/[^A-Za-z0-9_-]/gu, '_').slice(0, READABLE_LENGTH);
}

/**
 * Key → file name: readable prefix + 128 bits of SHA-256. Any key (slashes, colons, '..',
 * unicode, 10 kB long) gives a short, valid name that stays inside the directory; the hash
 * keeps names distinct where the readable parts are equal. Names never start with '.', so
 * temp files (`.name.tmp`) and moved-aside files (`name.corrupt-…`) never look like data.
 */
export function fileNameForKey(key: string): string {
  const hash = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32);
  return `${readable(key)}-${hash}.json`;
}

/**
 * Operations on one file run one after another, across all LowdbStorage instances in this
 * process, so an eTag check and the write that follows it can never interleave with another turn.
 */
const fileLocks = new Map<string, Promise<unknown>>();

function withFileLock<T>(file: string, operation: () => Promise<T>): Promise<T> {
  const previous = fileLocks.get(file) ?? Promise.resolve();
  const result = previous.then(operation, operation);
  const tail = result.catch(() => undefined);
  fileLocks.set(file, tail);
  void tail.then(() => {
    if (fileLocks.get(file) === tail) fileLocks.delete(file);
  });
  return result;
}

/**
 * What this process knows about each file of one directory: its current eTag, or null when it
 * is known to be absent. Bounded, least recently used dropped first: a forgotten key is read
 * from its file on its next eTag check.
 */
class ETagMemory {
  private readonly eTags = new Map<string, string | null>();
  constructor(private readonly limit: number) {}

  get(file: string): string | null | undefined {
    return this.eTags.get(file);
  }

  set(file: string, eTag: string | null): void {
    this.eTags.delete(file);
    this.eTags.set(file, eTag);
    if (this.eTags.size > this.limit) this.eTags.delete(this.eTags.keys().next().value as string);
  }

  forget(file: string): void {
    this.eTags.delete(file);
  }
}

/** Per directory, shared by every LowdbStorage on it in this process: its eTags and its fsync batching. */
const directories = new Map<string, { eTags: ETagMemory; sync: DirectorySync }>();

function isKeyFile(data: unknown): data is KeyFile {
  if (!data || typeof data !== 'object') return false;
  const candidate = data as Partial<KeyFile>;
  return typeof candidate.key === 'string' && !!candidate.value && typeof candidate.value === 'object';
}

export class LowdbStorage extends TrackedStorage {
  readonly dir: string;
  private readonly logger?: StorageLogger;
  private readonly eTags: ETagMemory;
  private readonly dirSync: DirectorySync;
  private readonly ready: Promise<void>;

  constructor(dir: string, options: LowdbStorageOptions = {}) {
    super();
    this.dir = path.resolve(dir);
    this.logger = options.logger;
    let shared = directories.get(this.dir);
    if (!shared) {
      shared = { eTags: new ETagMemory(options.cacheSize ?? 100_000), sync: new DirectorySync(this.dir) };
      directories.set(this.dir, shared);
    }
    this.eTags = shared.eTags;
    this.dirSync = shared.sync;
    // 0o700: state holds what residents typed; only the server's user may look inside.
    this.ready = mkdir(this.dir, { recursive: true, mode: 0o700 }).then(() => undefined);
    // Keep an unhandled rejection from killing the process; every operation awaits `ready` and reports it.
    this.ready.catch(() => undefined);
  }

  /**
   * Deletes files moved aside as corrupt (`<name>.corrupt-<ms>`) before `before`, for the
   * retention purge: they may hold a resident's text. Resolves with how many were deleted.
   */
  async removeCorruptFiles(before: Date): Promise<number> {
    await this.ready;
    const old = (await readdir(this.dir)).filter((name) => {
      const movedAt = /\.corrupt-(\d+)$/.exec(name);
      return movedAt !== null && Number(movedAt[1]) < before.getTime();
    });
    await Promise.all(
      old.map((name) =>
        unlink(path.join(this.dir, name)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        }),
      ),
    );
    return old.length;
  }

  protected async readItems(keys: string[]): Promise<StoreItems> {
    checkKeys(keys, 'read');
    await this.ready;
    const items: StoreItems = {};
    const found = settled(await Promise.allSettled(keys.map((key) => this.locked(key, () => this.load(key)))));
    keys.forEach((key, i) => {
      const value = found[i];
      if (value) items[key] = value;
    });
    return items;
  }

  protected async writeItems(changes: StoreItems): Promise<void> {
    checkItems(changes);
    await this.ready;
    settled(
      await Promise.allSettled(
        Object.entries(changes).map(([key, item]) => this.locked(key, () => this.save(key, item as StoreItem))),
      ),
    );
  }

  protected async deleteItems(keys: string[]): Promise<void> {
    checkKeys(keys, 'delete');
    await this.ready;
    const deletions = keys.map((key) =>
      this.locked(key, async () => {
        const file = this.fileFor(key);
        await unlink(file).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
        this.eTags.set(file, null);
      }),
    );
    settled(await Promise.allSettled(deletions));
  }

  protected async listItems(prefix: string): Promise<Array<{ key: string; value: StoreItem }>> {
    if (typeof prefix !== 'string') throw new TypeError('Storage: the prefix to list must be a string.');
    await this.ready;
    // A key that starts with prefix has a file name that starts with readable(prefix): skip the rest unread.
    const start = readable(prefix);
    const names = (await readdir(this.dir)).filter((name) => name.endsWith('.json') && name.startsWith(start));
    const files = await Promise.all(
      names.map((name) => {
        const file = path.join(this.dir, name);
        return withFileLock(file, () => this.loadFile(file));
      }),
    );
    return files
      .filter((data): data is KeyFile => data !== null && data.key.startsWith(prefix))
      .map((data) => ({ key: data.key, value: data.value }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private fileFor(key: string): string {
    return path.join(this.dir, fileNameForKey(key));
  }

  private locked<T>(key: string, operation: () => Promise<T>): Promise<T> {
    return withFileLock(this.fileFor(key), operation);
  }

  /** Reads the stored value for key (call under the key's lock); undefined when absent. */
  private async load(key: string): Promise<StoreItem | undefined> {
    const file = this.fileFor(key);
    const data = await this.loadFile(file);
    if (!data) return undefined;
    if (data.key !== key) {
      throw new Error(`Storage: file ${path.basename(file)} holds key "${data.key}", not "${key}".`);
    }
    return data.value;
  }

  /**
   * Reads one file (call under its lock) and remembers its eTag. A file that is not valid JSON of
   * our shape is moved aside to `<name>.corrupt-<time>` and treated as absent: the resident's
   * conversation starts afresh instead of failing on every turn, and the bytes are kept for
   * someone to inspect.
   */
  private async loadFile(file: string): Promise<KeyFile | null> {
    const db = new Low<KeyFile | null>(new DurableJsonFile<KeyFile | null>(file), null);
    try {
      await db.read();
      if (db.data === null || isKeyFile(db.data)) {
        const eTag = db.data?.value.eTag;
        this.eTags.set(file, typeof eTag === 'string' ? eTag : null);
        return db.data;
      }
    } catch (error) {
      if (!(error instanceof SyntaxError)) {
        throw new Error(`Storage: cannot read ${file}: ${(error as Error).message}`, { cause: error });
      }
    }
    await this.quarantine(file);
    return null;
  }

  private async quarantine(file: string): Promise<void> {
    this.eTags.forget(file);
    const movedTo = `${file}.corrupt-${Date.now()}`;
    try {
      await rename(file, movedTo);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // already gone
      throw new Error(`Storage: ${file} is corrupt and could not be moved aside: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.logger?.warn({ file, movedTo }, 'storage: corrupt file moved aside; the item is treated as absent');
  }

  private async save(key: string, item: StoreItem): Promise<void> {
    const file = this.fileFor(key);
    if (item.eTag && item.eTag !== '*') {
      let current = this.eTags.get(file);
      if (current === undefined) {
        await this.load(key);
        current = this.eTags.get(file);
      }
      if (current !== item.eTag) throw new ETagConflictError(key);
    }
    const eTag = randomUUID();
    // Serialised once, now: later changes by the caller don't reach the file, and bad input is refused before anything is written.
    let text: string;
    try {
      text = JSON.stringify({ key, value: { ...item, eTag } } satisfies KeyFile);
    } catch (error) {
      throw new TypeError(`Storage: the item for "${key}" cannot be stored as JSON: ${(error as Error).message}`);
    }
    this.eTags.forget(file); // unknown until the rename has happened (or not)
    await new DurableJsonFile<KeyFile>(file).writeText(text);
    this.eTags.set(file, eTag);
    // Acknowledged only once it survives a power cut: the rename is durable after the directory fsync.
    await this.dirSync.request();
    item.eTag = eTag;
  }
}
