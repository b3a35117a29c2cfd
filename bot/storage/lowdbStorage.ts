/**
 * Durable botbuilder Storage on lowdb: one small JSON file per key, written atomically.
 *
 * Why one file per key: a turn rewrites only its own conversation's file, never one giant file.
 * Each file holds `{ key, value }`; the value carries its `eTag` like every botbuilder store.
 * The file on disk is the truth: every operation reads it again, so a restart, or a second
 * LowdbStorage on the same directory in this process, sees exactly what was written.
 * Run one server process per directory: the per-key locks below are in-process only.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';

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
  /** How many lowdb instances to keep (least recently used are dropped). */
  cacheSize?: number;
}

/** Thrown when a write carries an eTag that no longer matches the stored item. */
export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict: the item changed meanwhile.`);
    this.name = 'ETagConflictError';
  }
}

const READABLE_LENGTH = 64;

/** The readable part of a file name: the key with anything outside [A-Za-z0-9_-] turned into '_'. */
function readable(key: string): string {
  return key.replace(/[^A-Za-z0-9_-]/gu, '_').slice(0, READABLE_LENGTH);
}

/**
 * Key → file name: readable prefix + 128 bits of SHA-256. Any key (slashes, colons, '..',
 * unicode, 10 kB long) gives a short, valid name that stays inside the directory; the hash
 * keeps names distinct where the readable parts are equal. Names never start with '.', so
 * steno's temp files (`.name.tmp`) and moved-aside files (`name.corrupt-…`) never look like data.
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

/** The values of settled operations; throws the first failure, but only once all have finished. */
function settled<T>(results: Array<PromiseSettledResult<T>>): T[] {
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}

function isKeyFile(data: unknown): data is KeyFile {
  if (!data || typeof data !== 'object') return false;
  const candidate = data as Partial<KeyFile>;
  return typeof candidate.key === 'string' && !!candidate.value && typeof candidate.value === 'object';
}

function checkKeys(keys: unknown, action: string): asserts keys is string[] {
  if (!Array.isArray(keys) || keys.some((key) => typeof key !== 'string')) {
    throw new TypeError(`Storage: keys to ${action} must be an array of strings.`);
  }
}

export class LowdbStorage implements Storage {
  readonly dir: string;
  private readonly logger?: StorageLogger;
  private readonly cacheSize: number;
  /** lowdb instances by file, least recently used first (a Map keeps insertion order). */
  private readonly dbs = new Map<string, Low<KeyFile | null>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly ready: Promise<void>;

  constructor(dir: string, options: LowdbStorageOptions = {}) {
    this.dir = path.resolve(dir);
    this.logger = options.logger;
    this.cacheSize = options.cacheSize ?? 2000;
    // 0o700: state holds what residents typed; only the server's user may look inside.
    this.ready = mkdir(this.dir, { recursive: true, mode: 0o700 }).then(() => undefined);
    // Keep an unhandled rejection from killing the process; every operation awaits `ready` and reports it.
    this.ready.catch(() => undefined);
  }

  read(keys: string[]): Promise<StoreItems> {
    return this.track(this.readItems(keys));
  }

  /**
   * Writes every change; eTag '*' or none overwrites, a matching eTag updates, a stale one
   * is refused for that key (the others are still written) and the call rejects afterwards.
   */
  write(changes: StoreItems): Promise<void> {
    return this.track(this.writeItems(changes));
  }

  delete(keys: string[]): Promise<void> {
    return this.track(this.deleteItems(keys));
  }

  /** Every stored item whose key starts with `prefix`, sorted by key (for meldingen and staff tools). */
  list(prefix: string): Promise<Array<{ key: string; value: StoreItem }>> {
    return this.track(this.listItems(prefix));
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

  /** Resolves when every operation called so far (and any called meanwhile) has finished. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async readItems(keys: string[]): Promise<StoreItems> {
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

  private async writeItems(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new TypeError('Storage: changes to write must be an object.');
    for (const [key, item] of Object.entries(changes)) {
      if (!item || typeof item !== 'object' || Array.isArray(item)) {
        throw new TypeError(`Storage: the item for "${key}" must be an object.`);
      }
    }
    await this.ready;
    settled(
      await Promise.allSettled(
        Object.entries(changes).map(([key, item]) => this.locked(key, () => this.save(key, item as StoreItem))),
      ),
    );
  }

  private async deleteItems(keys: string[]): Promise<void> {
    checkKeys(keys, 'delete');
    await this.ready;
    const deletions = keys.map((key) =>
      this.locked(key, async () => {
        const file = this.fileFor(key);
        this.dbs.delete(file);
        await unlink(file).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
      }),
    );
    settled(await Promise.allSettled(deletions));
  }

  private async listItems(prefix: string): Promise<Array<{ key: string; value: StoreItem }>> {
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

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const done = () => this.inFlight.delete(promise);
    promise.then(done, done);
    return promise;
  }

  /**
   * The cached lowdb instance for a file, bounded LRU. It keeps one steno writer per file; the
   * data itself is not kept between operations (every operation reads the file again).
   */
  private dbFor(file: string): Low<KeyFile | null> {
    let db = this.dbs.get(file);
    if (db) {
      this.dbs.delete(file);
    } else {
      db = new Low<KeyFile | null>(new JSONFile<KeyFile | null>(file), null);
    }
    this.dbs.set(file, db);
    if (this.dbs.size > this.cacheSize) {
      const oldest = this.dbs.keys().next().value;
      if (oldest !== undefined) this.dbs.delete(oldest);
    }
    return db;
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
   * Reads one file (call under its lock). A file that is not valid JSON of our shape is moved
   * aside to `<name>.corrupt-<time>` and treated as absent: the resident's conversation starts
   * afresh instead of failing on every turn, and the bytes are kept for someone to inspect.
   */
  private async loadFile(file: string): Promise<KeyFile | null> {
    const db = this.dbFor(file);
    db.data = null; // Low.read keeps old data when the file is missing
    try {
      await db.read();
      const data = db.data;
      db.data = null; // the file is the truth; don't keep residents' state in memory
      if (data === null || isKeyFile(data)) return data;
    } catch (error) {
      if (!(error instanceof SyntaxError)) {
        throw new Error(`Storage: cannot read ${file}: ${(error as Error).message}`, { cause: error });
      }
    }
    db.data = null;
    await this.quarantine(file);
    return null;
  }

  private async quarantine(file: string): Promise<void> {
    this.dbs.delete(file);
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
      const stored = await this.load(key);
      if (stored && stored.eTag !== item.eTag) throw new ETagConflictError(key);
    }
    // A JSON copy: later changes by the caller don't reach the file, and what we keep is what a read returns.
    let value: StoreItem;
    try {
      value = JSON.parse(JSON.stringify({ ...item, eTag: randomUUID() })) as StoreItem;
    } catch (error) {
      throw new TypeError(`Storage: the item for "${key}" cannot be stored as JSON: ${(error as Error).message}`);
    }
    const db = this.dbFor(file);
    db.data = { key, value };
    try {
      await db.write();
    } finally {
      db.data = null;
    }
    await this.secure(file);
  }

  /**
   * Once a write is acknowledged it survives a power cut, not only a restart (meldingen are
   * stored here): fsync the file and the directory entry steno renamed it into. Also sets mode
   * 0o600, as steno creates each file with the default mode (the 0o700 directory guards it meanwhile).
   * Best effort where the platform does not allow it (Windows cannot fsync a directory).
   */
  private async secure(file: string): Promise<void> {
    const handle = await open(file, 'r');
    try {
      await handle.chmod(0o600).catch(() => undefined);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const dirHandle = await open(this.dir, 'r').catch(() => undefined);
    if (dirHandle) await dirHandle.sync().catch(() => undefined).finally(() => dirHandle.close());
  }
}
