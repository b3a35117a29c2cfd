/**
 * Durable JSON files for LowdbStorage: a lowdb adapter whose write survives a power cut, not only
 * a restart, and a directory fsync shared by every write that is waiting for one.
 */
import { open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * One JSON file, compact. A write goes to a temp file created 0o600 (state holds what residents
 * typed), is fsynced, then renamed over the file; the caller fsyncs the directory entry
 * (DirectorySync). Temp names start with '.', so they never look like data.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(private readonly file: string) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return JSON.parse(text) as T;
  }

  write(data: T): Promise<void> {
    return this.writeText(JSON.stringify(data));
  }

  /** Writes text that is already JSON (the caller serialised it once, to learn about bad input early). */
  async writeText(text: string): Promise<void> {
    const temp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.tmp`);
    const handle = await openNew(temp);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.datasync();
    } catch (error) {
      await handle.close();
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await handle.close();
    await rename(temp, this.file);
  }
}

/** Creates the temp file with mode 0o600; a temp file left by a crash is removed first. */
async function openNew(temp: string) {
  try {
    return await open(temp, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    await unlink(temp);
    return open(temp, 'wx', 0o600);
  }
}

/**
 * fsyncs a directory on request, batched: every caller waits for an fsync that started after it
 * asked, and all callers that ask while one runs share the next one. Under load a few fsyncs
 * cover hundreds of renames. Best effort where the platform does not allow it (Windows).
 */
export class DirectorySync {
  private running?: Promise<void>;
  private queued?: Promise<void>;

  /** `sync` is replaceable for tests; by default it fsyncs `dir`. */
  constructor(
    private readonly dir: string,
    private readonly sync: (dir: string) => Promise<void> = fsyncDirectory,
  ) {}

  request(): Promise<void> {
    this.queued ??= this.runAfter(this.running);
    return this.queued;
  }

  private async runAfter(previous: Promise<void> | undefined): Promise<void> {
    await previous?.catch(() => undefined);
    // Started: callers from now on need the next fsync, not this one.
    this.running = this.queued;
    this.queued = undefined;
    await this.sync(this.dir);
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}
