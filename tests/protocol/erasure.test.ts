/**
 * "Verwijder mijn gegevens" over the embedded Direct Line, on the real service with its own
 * DATA_DIR: after "Ja" nothing of the conversation is left on disk but the melding the loket has,
 * also after the service has shut down (nothing is written back at the end of the turn or on close).
 */
import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Activity } from 'botbuilder';
import { loadContent } from '../../dialogs/content.js';
import { DirectLineTestClient } from '../helpers/directline.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const ERASURE = loadContent().general.erasure;

/** Every file under the folder, with its text. */
async function filesIn(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.tmp')) continue; // a write under way
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), await readFile(path, 'utf8'));
  }
  return files;
}

describe('protocol: verwijder mijn gegevens over Direct Line', () => {
  let dataDir: string;
  let server: TestServer | undefined;
  let client: DirectLineTestClient | undefined;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wmo-erasure-'));
    server = await startTestServer({ dataDir });
  });
  afterEach(async () => {
    client?.end();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('after "Ja" only the kept melding is left of the conversation in DATA_DIR', async () => {
    const before = await filesIn(dataDir);
    client = await DirectLineTestClient.connect(server!.url);
    await client.send({ type: 'event', name: 'webchat/join', value: { gemeente: 'GM0406' } });
    await client.ask('xqzt blorp vrmbl');
    for (const text of ['Een melding doen', '1', 'Ik kan niet meer stofzuigen.', 'niets', '1', '1', 'ja', 'E-mail']) await client.ask(text);
    const email = await client.send('a@b.nl');
    const saved = await client.waitFor((a: Activity) => a.replyToId === email && /WMO-2026-/.test(a.text ?? ''));
    const reference = /WMO-2026-[A-Z0-9]{6}/.exec(saved.text ?? '')?.[0];
    expect(reference, 'the melding was stored').to.be.a('string');

    const isNew = (name: string) => !before.has(name);
    const stored = [...(await filesIn(dataDir)).keys()].filter(isNew);
    expect(stored.length, 'state, the unanswered question and the melding are on disk').to.be.greaterThan(2);

    expect((await client.ask('verwijder mijn gegevens')).text).to.equal(ERASURE.question);
    const yes = await client.send('Ja');
    const done = await client.waitFor((a: Activity) => a.replyToId === yes && a.text === ERASURE.done);
    expect(done.text).to.equal(ERASURE.done);
    const kept = await client.waitFor((a: Activity) => a.replyToId === yes && (a.text ?? '').includes(reference!));
    expect(kept.text).to.contain(reference);

    client.end();
    client = undefined;
    await server!.close();
    server = undefined;
    const left = [...(await filesIn(dataDir)).entries()].filter(([name]) => isNew(name));
    expect(left, 'one file: the melding').to.have.length(1);
    const [[, melding]] = left;
    expect((JSON.parse(melding) as { value: { reference: string } }).value.reference).to.equal(reference);
  });
});
