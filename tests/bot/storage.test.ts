import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConversationState, MemoryStorage, TestAdapter, type Storage, type StoreItem } from 'botbuilder';
import { DirectorySync } from '../../bot/storage/durableFile.js';
import { ConfigError, readConfig } from '../../bot/config.js';
import { BlobStorage, ETagConflictError, ETagConversationState, LowdbStorage, RedactingStorage, createStorage, fileNameForKey, type ServiceStorage } from '../../bot/storage/index.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';

/** Every byte under dir, file by file (including temp and moved-aside files). */
async function allBytes(dir: string): Promise<string> {
  const names = await readdir(dir);
  const parts = await Promise.all(names.map((name) => readFile(path.join(dir, name), 'utf8')));
  return parts.join('\n');
}

/** A fresh temp folder for each test of the suite (call inside describe); removed afterwards. */
function tempDirPerTest(prefix: string): () => string {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

/** The keys no store may mix up or choke on. */
const ODD_KEYS = [
  'msteams/conversations/19:abc@thread.v2|livechat/',
  '../../../etc/passwd',
  '..',
  '',
  'C:\\Windows\\win.ini',
  'gesprek/ëéï/🙂/naïef',
  'x'.repeat(5000),
  'conv/a:b',
  'conv/a/b', // same readable part as 'conv/a:b'
  'Conv/A/B',
];

/**
 * What every storage of the service promises, run on each: files (lowdb) and Azure Blob Storage
 * (Azurite, started by the tests). `open()` gives a new instance on the same store: a restart, or
 * another service instance.
 */
interface Backend {
  name: string;
  before?(): Promise<void>;
  after?(): Promise<void>;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  open(): ServiceStorage;
}

function lowdbBackend(): Backend {
  let dir = '';
  return {
    name: 'lowdb (files)',
    setUp: async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'wmo-contract-'));
    },
    tearDown: () => rm(dir, { recursive: true, force: true }),
    open: () => new LowdbStorage(dir),
  };
}

function blobsBackend(): Backend {
  let azurite: Azurite | undefined;
  let container = '';
  let count = 0;
  return {
    name: 'blobs (Azurite)',
    before: async () => {
      azurite = await startAzurite();
    },
    after: async () => {
      await azurite?.stop();
    },
    setUp: async () => {
      container = `contract-${process.pid}-${count++}`; // a fresh, empty container per test
    },
    tearDown: async () => undefined,
    open: () => new BlobStorage(azurite!.connectionString, container),
  };
}

for (const backend of [lowdbBackend(), blobsBackend()]) {
  describe(`storage contract: ${backend.name}`, function () {
    this.timeout(30_000); // Azurite's start on a busy machine
    const open = () => backend.open();
    before(async () => backend.before?.());
    after(async () => backend.after?.());
    beforeEach(() => backend.setUp());
    afterEach(() => backend.tearDown());

    it('writes, reads and deletes items; missing keys are absent', async () => {
      const storage = open();
      await storage.write({ a: { count: 1, nested: { list: ['x'] } }, b: { count: 2 } });
      const items = await storage.read(['a', 'b', 'nope']);
      expect(Object.keys(items).sort()).to.deep.equal(['a', 'b']);
      expect(items.a).to.include({ count: 1 });
      expect(items.a.nested).to.deep.equal({ list: ['x'] });
      expect(items.a.eTag).to.be.a('string').and.not.equal('*');

      await storage.delete(['a', 'nope']);
      expect(await storage.read(['a', 'b'])).to.have.keys('b');
    });

    it('keeps what was written across a restart (a new instance on the same store)', async () => {
      const first = open();
      await first.write({ 'webchat/conversations/c1': { step: 'vraag-2', answers: { woonplaats: 'Hilversum' } } });
      await first.flush();

      const second = open();
      const items = await second.read(['webchat/conversations/c1']);
      expect(items['webchat/conversations/c1']).to.deep.include({ step: 'vraag-2', answers: { woonplaats: 'Hilversum' } });
    });

    it('refuses a write with a stale eTag and keeps the stored value', async () => {
      const storage = open();
      await storage.write({ k: { v: 1 } });
      const { k: first } = await storage.read(['k']);
      await storage.write({ k: { ...first, v: 2 } }); // another turn updated it meanwhile

      const error = await rejection(storage.write({ k: { ...first, v: 3 } }));
      expect(error).to.be.instanceOf(ETagConflictError);
      expect(error.message).to.match(/eTag conflict/).and.match(/changed meanwhile/).and.include('"k"');
      expect((await storage.read(['k'])).k.v).to.equal(2);
    });

    it('updates with the current eTag and gives every write a new eTag', async () => {
      const storage = open();
      await storage.write({ k: { v: 1 } });
      const { k: first } = await storage.read(['k']);
      await storage.write({ k: { ...first, v: 2 } });
      const { k: second } = await storage.read(['k']);
      expect(second.v).to.equal(2);
      expect(second.eTag).to.be.a('string').and.not.equal(first.eTag);
    });

    it("overwrites with eTag '*' or without an eTag", async () => {
      const storage = open();
      await storage.write({ k: { v: 1 } });
      await storage.write({ k: { v: 2, eTag: '*' } });
      expect((await storage.read(['k'])).k.v).to.equal(2);
      await storage.write({ k: { v: 3 } });
      expect((await storage.read(['k'])).k.v).to.equal(3);
    });

    it('lets exactly one of several overlapping writes with the same eTag succeed', async () => {
      const storage = open();
      const other = open(); // a second instance: another turn, or another service instance
      await storage.write({ k: { v: 0 } });
      const { k: current } = await storage.read(['k']);

      const attempts = [1, 2, 3, 4, 5, 6].map((v) => (v % 2 ? storage : other).write({ k: { ...current, v } }));
      const results = await Promise.allSettled(attempts);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).to.have.length(1);
      expect(lost).to.have.length(5);
      for (const r of lost) expect(r.reason).to.be.instanceOf(ETagConflictError);

      const winner = results.findIndex((r) => r.status === 'fulfilled') + 1;
      expect((await storage.read(['k'])).k.v).to.equal(winner);
    });

    it('lists the items whose key starts with a prefix, sorted by key', async () => {
      const storage = open();
      await storage.write({
        'meldingen/GM0402/2': { n: 2 },
        'meldingen/GM0402/1': { n: 1 },
        'meldingen/GM0406/1': { n: 3 },
        'meldingen:GM0402:9': { n: 9 }, // same readable file-name part, other key
        'webchat/conversations/x': { n: 0 },
      });
      const listed = await storage.list('meldingen/GM0402/');
      expect(listed.map((e) => e.key)).to.deep.equal(['meldingen/GM0402/1', 'meldingen/GM0402/2']);
      expect(listed[0].value).to.include({ n: 1 });
      expect(listed[0].value.eTag).to.be.a('string');
      expect(await storage.list('meldingen/')).to.have.length(3);
      expect(await storage.list('nothing/')).to.deep.equal([]);
    });

    it('rejects bad input with a clear error and writes nothing for it', async () => {
      const storage = open();
      const circular: StoreItem = { v: 1 };
      circular.self = circular;
      expect((await rejection(storage.write({ loop: circular }))).message).to.include('"loop"').and.include('JSON');
      expect((await rejection(storage.write({ nope: 'text' }))).message).to.include('"nope"');
      expect((await rejection(storage.read('k' as unknown as string[]))).message).to.include('array');
      expect(await storage.read(['loop', 'nope'])).to.deep.equal({});
    });

    it('keeps keys with slashes, colons, dots, unicode and great length apart', async () => {
      const storage = open();
      await storage.write(Object.fromEntries(ODD_KEYS.map((key, i) => [key, { i }])));
      const items = await storage.read(ODD_KEYS);
      for (const [i, key] of ODD_KEYS.entries()) expect(items[key]?.i, JSON.stringify(key.slice(0, 40))).to.equal(i);
    });

    it('gives each written item its new eTag, so nobody has to read it back', async () => {
      const storage = new RedactingStorage(open());
      const item: StoreItem = { note: 'bel 06-12345678' };
      await storage.write({ k: item });
      const { k: stored } = await storage.read(['k']);
      expect(item.eTag).to.be.a('string').and.equal(stored.eTag);
      expect(item.note).to.equal('bel 06-12345678'); // the caller's own data is not redacted under its feet
      await storage.write({ k: { ...item, note: 'twee' } }); // the learned eTag is the current one
      expect((await rejection(storage.write({ k: { ...item, note: 'drie' } })))).to.be.instanceOf(ETagConflictError);
    });

    it('refuses a write whose item was deleted meanwhile, so a late turn cannot bring deleted data back', async () => {
      const storage = open();
      await storage.write({ k: { v: 1 } });
      const { k: first } = await storage.read(['k']);
      await open().delete(['k']); // e.g. "verwijder mijn gegevens", on another instance
      expect(await rejection(storage.write({ k: { ...first, v: 2 } }))).to.be.instanceOf(ETagConflictError);
      expect(await storage.read(['k'])).to.deep.equal({});
    });

    it('through RedactingStorage: eTags pass through, so a stale write is still refused', async () => {
      const storage = new RedactingStorage(open());
      await storage.write({ k: { note: 'a' } });
      const { k: first } = await storage.read(['k']);
      await storage.write({ k: { ...first, note: 'b' } });
      const error = await rejection(storage.write({ k: { ...first, note: 'c' } }));
      expect(error).to.be.instanceOf(ETagConflictError);
      expect((await storage.read(['k'])).k.note).to.equal('b');
      await storage.delete(['k']);
      expect(await storage.read(['k'])).to.deep.equal({});
    });

  });
}

describe('LowdbStorage', () => {
  let root: string;
  let dir: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'wmo-storage-'));
    dir = path.join(root, 'data', 'state'); // not there yet: the storage creates it
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stays correct when its cache of open files is smaller than the number of keys', async () => {
    const storage = new LowdbStorage(dir, { cacheSize: 2 });
    const keys = Array.from({ length: 12 }, (_, i) => `conv/${i}`);
    await Promise.all(keys.map((key, i) => storage.write({ [key]: { v: i } })));
    const first = await storage.read(keys);
    await Promise.all(keys.map((key) => storage.write({ [key]: { ...first[key], v: first[key].v + 100 } })));
    const stale = await Promise.allSettled(keys.map((key) => storage.write({ [key]: { ...first[key], v: -1 } })));
    expect(stale.every((r) => r.status === 'rejected')).to.equal(true);
    const after = await storage.read(keys);
    expect(keys.map((key) => after[key].v)).to.deep.equal(keys.map((_, i) => i + 100));
  });

  it('stores one file per key and a write touches only that key’s file', async () => {
    const storage = new LowdbStorage(dir);
    await storage.write({ 'conv/a': { v: 'a' }, 'conv/b': { v: 'b' } });
    const fileB = path.join(dir, fileNameForKey('conv/b'));
    const before = await stat(fileB);
    const bytesBefore = await readFile(fileB, 'utf8');
    expect((await readdir(dir)).filter((n) => n.endsWith('.json'))).to.have.length(2);

    await new Promise((resolve) => setTimeout(resolve, 20));
    await storage.write({ 'conv/a': { v: 'a2' } });

    const after = await stat(fileB);
    expect(after.mtimeMs).to.equal(before.mtimeMs);
    expect(after.ino).to.equal(before.ino);
    expect(await readFile(fileB, 'utf8')).to.equal(bytesBefore);
    const fileA = JSON.parse(await readFile(path.join(dir, fileNameForKey('conv/a')), 'utf8'));
    expect(fileA).to.deep.include({ key: 'conv/a' }); // the original key is kept inside the file
    expect(fileA.value.v).to.equal('a2');
  });

  it('gives keys with slashes, colons, dots, unicode and great length file names inside the directory', async () => {
    const storage = new LowdbStorage(dir);
    await storage.write(Object.fromEntries(ODD_KEYS.map((key, i) => [key, { i }])));
    const names = await readdir(dir);
    expect(names.filter((n) => n.endsWith('.json'))).to.have.length(ODD_KEYS.length);
    for (const name of names) {
      expect(Buffer.byteLength(name)).to.be.below(200);
      expect(name).to.match(/^[A-Za-z0-9_-]+\.json$/);
    }
    expect(await readdir(path.join(root, 'data'))).to.deep.equal(['state']); // nothing escaped
  });

  it('flush() resolves only after the writes in flight are on disk', async () => {
    const storage = new LowdbStorage(dir);
    const writes = Array.from({ length: 40 }, (_, i) => storage.write({ [`conv/${i}`]: { i } }));
    await storage.flush();
    expect(readdirSync(dir).filter((n) => n.endsWith('.json'))).to.have.length(40);
    await Promise.all(writes);
  });

  it('moves a corrupt file aside, treats the item as absent and keeps working', async () => {
    const warnings: object[] = [];
    const storage = new LowdbStorage(dir, { logger: { warn: (o) => warnings.push(o) } });
    await storage.write({ broken: { v: 1 }, empty: { v: 1 }, shape: { v: 1 }, fine: { v: 1 } });
    await writeFile(path.join(dir, fileNameForKey('broken')), '{"key": "broken", "value": {');
    await writeFile(path.join(dir, fileNameForKey('empty')), ''); // e.g. after a power cut
    await writeFile(path.join(dir, fileNameForKey('shape')), '[1, 2, 3]');

    const items = await storage.read(['broken', 'empty', 'shape', 'fine']);
    expect(Object.keys(items)).to.deep.equal(['fine']);
    expect(warnings).to.have.length(3);

    const names = await readdir(dir);
    const movedAside = names.filter((n) => n.includes('.corrupt-'));
    expect(movedAside).to.have.length(3);
    const kept = await readFile(path.join(dir, movedAside.find((n) => n.startsWith(fileNameForKey('broken')))!), 'utf8');
    expect(kept).to.equal('{"key": "broken", "value": {'); // the bytes are kept for inspection
    expect((await storage.list('')).map((e) => e.key)).to.deep.equal(['fine']);

    await storage.write({ broken: { v: 2 } });
    expect((await storage.read(['broken'])).broken.v).to.equal(2);
  });

  if (process.platform !== 'win32') {
    it('keeps files readable by the server user only', async () => {
      const storage = new LowdbStorage(dir);
      await storage.write({ k: { v: 1 } });
      expect((await stat(dir)).mode & 0o777).to.equal(0o700);
      expect((await stat(path.join(dir, fileNameForKey('k')))).mode & 0o777).to.equal(0o600);
    });
  }
});

describe('RedactingStorage', () => {
  const temp = tempDirPerTest('wmo-redacting-');

  const personal = ['111222333', '06-12345678', 'j.de.vries@example.nl', 'NL91ABNA0417164300'];

  it('never lets a BSN, phone number, e-mail address or IBAN reach the disk', async () => {
    const raw = new LowdbStorage(temp());
    const storage = new RedactingStorage(raw);
    await storage.write({
      'webchat/conversations/c1': {
        dialogState: {
          dialogStack: [
            {
              id: 'melding',
              state: {
                values: { omschrijving: 'mijn bsn is 111222333 en bel 06-12345678', extra: ['mail j.de.vries@example.nl'] },
                rekening: 'NL91ABNA0417164300',
                when: new Date('2026-11-23T10:00:00Z'),
              },
            },
          ],
        },
      },
    });
    await raw.flush();

    const bytes = await allBytes(temp());
    for (const value of personal) expect(bytes).not.to.include(value);
    expect(bytes).to.include('[BSN verwijderd]').and.include('[IBAN verwijderd]');

    const { 'webchat/conversations/c1': item } = await storage.read(['webchat/conversations/c1']);
    const state = item.dialogState.dialogStack[0].state;
    expect(state.values.omschrijving).to.equal('mijn bsn is [BSN verwijderd] en bel [telefoon verwijderd]');
    expect(state.values.extra).to.deep.equal(['mail [e-mail verwijderd]']);
    expect(state.when).to.equal('2026-11-23T10:00:00.000Z');
  });

  it('redacts every write alike: what was clean before stays as it was, personal data next to it goes, also written again', async () => {
    const raw = new LowdbStorage(temp());
    const storage = new RedactingStorage(raw);
    const prompt = 'Sinds wanneer is dat zo?';
    for (let turn = 0; turn < 3; turn++) {
      await storage.write({ c2: { prompt, said: `mijn nummer is 06-12345678 (${turn})`, ids: ['539745103', prompt] } });
      const { c2 } = await raw.read(['c2']);
      expect(c2).to.deep.include({ prompt, said: `mijn nummer is [telefoon verwijderd] (${turn})`, ids: ['539745103', prompt] });
    }
    await storage.delete(['c2']);
    await storage.write({ c2: { said: 'mijn bsn is 111222333', prompt } });
    expect((await raw.read(['c2'])).c2).to.deep.include({ said: 'mijn bsn is [BSN verwijderd]', prompt });
  });

  it('redacts under any key, also one named __proto__ that came in as JSON', async () => {
    const raw = new LowdbStorage(temp());
    const storage = new RedactingStorage(raw);
    const value = JSON.parse('{"__proto__": {"bel": "06-12345678"}, "lijst": [["mail j.de.vries@example.nl"]]}') as object;
    await storage.write({ c3: { value } });
    await raw.flush();
    const bytes = await allBytes(temp());
    for (const text of personal) expect(bytes).not.to.include(text);
    expect(bytes).to.include('{"__proto__":{"bel":"[telefoon verwijderd]"}').and.include('[["mail [e-mail verwijderd]"]]');
  });

  it('redacts strings inside class instances too', async () => {
    class Contact {
      constructor(readonly email: string) {}
    }
    const storage = new RedactingStorage(new LowdbStorage(temp()));
    await storage.write({ u: { contact: new Contact('j.de.vries@example.nl') } });
    expect(await allBytes(temp())).not.to.include('j.de.vries@example.nl');
  });

  it('carries ConversationState across a restart, with personal data removed', async () => {
    const replies: string[] = [];
    // Each turn builds fresh storage and state, as a restarted server would.
    const adapter = new TestAdapter(async (context) => {
      const state = new ConversationState(new RedactingStorage(new LowdbStorage(temp())));
      const notes = state.createProperty<string[]>('notes');
      const list = await notes.get(context, []);
      replies.push(`before: ${list.join(' | ')}`);
      list.push(context.activity.text ?? '');
      await notes.set(context, list);
      await state.saveChanges(context);
      await context.sendActivity('ok');
    });
    await adapter.send('eerste, bsn 111222333').assertReply('ok').send('tweede').assertReply('ok');

    expect(replies).to.deep.equal(['before: ', 'before: eerste, bsn [BSN verwijderd]']);
    expect(await allBytes(temp())).not.to.include('111222333');
  });
});

describe('storage: one read and one write per turn', () => {
  const temp = tempDirPerTest('wmo-turn-io-');

  /** A storage that counts what reaches it. */
  function counting(inner: Storage) {
    const calls = { read: 0, write: 0 };
    const storage: Storage = {
      read: (keys) => (calls.read++, inner.read(keys)),
      write: (changes) => (calls.write++, inner.write(changes)),
      delete: (keys) => inner.delete(keys),
    };
    return { storage, calls };
  }

  it('a turn of ETagConversationState reads its state once and writes it once, also when it saves twice', async () => {
    const { storage, calls } = counting(new RedactingStorage(new LowdbStorage(temp())));
    const state = new ETagConversationState(storage);
    const count = state.createProperty<number>('count');
    const adapter = new TestAdapter(async (context) => {
      await count.set(context, (await count.get(context, 0)) + 1);
      await state.saveChanges(context);
      await state.saveChanges(context); // nothing changed: no second write, and no refusal by our own write
      await count.set(context, (await count.get(context, 0)) + 1);
      await state.saveChanges(context); // changed again within the turn: written with the eTag of the first write
      await context.sendActivity(`count ${await count.get(context, 0)}`);
    });
    await adapter.send('een').assertReply('count 2');
    expect(calls).to.deep.equal({ read: 1, write: 2 });
    await adapter.send('twee').assertReply('count 4');
    expect(calls).to.deep.equal({ read: 2, write: 4 });
  });

  it('a storage that does not report eTags is read once after the write instead', async () => {
    const { storage, calls } = counting(new MemoryStorage());
    const state = new ETagConversationState(storage);
    const count = state.createProperty<number>('count');
    const adapter = new TestAdapter(async (context) => {
      await count.set(context, (await count.get(context, 0)) + 1);
      await state.saveChanges(context);
      await count.set(context, (await count.get(context, 0)) + 1);
      await state.saveChanges(context);
      await context.sendActivity(`count ${await count.get(context, 0)}`);
    });
    await adapter.send('een').assertReply('count 2');
    expect(calls).to.deep.equal({ read: 3, write: 2 });
  });

  it('leaves no temp files behind and writes compact JSON', async () => {
    const storage = new LowdbStorage(temp());
    await Promise.all(Array.from({ length: 20 }, (_, i) => storage.write({ [`c/${i % 5}`]: { i, nested: { a: [1, 2] } } })));
    await storage.flush();
    const names = await readdir(temp());
    expect(names).to.have.length(5);
    expect(names.every((name) => !name.startsWith('.'))).to.equal(true);
    const text = await readFile(path.join(temp(), names[0]), 'utf8');
    expect(text).not.to.include('\n');
  });

  it('batches directory fsyncs: every write waits for one that started after its rename', async () => {
    const started: number[] = [];
    let finishSync: () => void = () => undefined;
    const sync = new DirectorySync(temp(), () => {
      started.push(Date.now());
      return new Promise<void>((resolve) => (finishSync = resolve));
    });
    const first = sync.request();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).to.have.length(1); // the first request started an fsync at once
    const later = Array.from({ length: 50 }, () => sync.request()); // asked while it runs: they need the next one
    let laterDone = false;
    void Promise.all(later).then(() => (laterDone = true));
    finishSync();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(laterDone).to.equal(false);
    expect(started).to.have.length(2); // one fsync for all fifty
    finishSync();
    await Promise.all(later);
    expect(started).to.have.length(2);
  });
});

describe('storage: chosen from the configuration', () => {
  it('uses files by default and Azure Blob Storage with STORAGE=blobs; a missing setting stops the start with a clear error', () => {
    expect(createStorage(readConfig({}))).to.be.instanceOf(LowdbStorage);
    const key = randomBytes(32).toString('base64');
    const blobs = { STORAGE: 'blobs', BLOB_CONNECTION_STRING: 'UseDevelopmentStorage=true', BLOB_CONTAINER: 'wmo-state', DIRECTLINE_TOKEN_KEY: key };
    expect(createStorage(readConfig(blobs))).to.be.instanceOf(BlobStorage);
    // Instances on shared storage must sign tokens with one key, or a resident's token works on one only.
    expect(() => readConfig({ ...blobs, DIRECTLINE_TOKEN_KEY: '' })).to.throw(ConfigError, /DIRECTLINE_TOKEN_KEY, the same on every instance/);
    expect(() => readConfig({ ...blobs, DIRECTLINE_TOKEN_KEY: 'c2hvcnQ=' })).to.throw(ConfigError, /at least 32 random bytes/);
    expect(() => readConfig({ STORAGE: 'blobs', BLOB_CONTAINER: 'wmo-state' })).to.throw(ConfigError, /BLOB_CONNECTION_STRING/);
    expect(() => readConfig({ STORAGE: 'cosmos' })).to.throw(ConfigError, /lowdb or blobs/);
  });
});
