/**
 * The embedded channel on storage shared by instances (bot/directline/shared.ts), two channels in
 * one process on one store: numbering, catching up, and a turn cut off on a stopped instance.
 * The whole service on two processes and Azurite: tests/protocol/two-instances.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ActivityTypes, type Activity, type Storage, type TurnContext } from 'botbuilder';
import { DirectLineChannel } from '../../bot/directline/channel.js';
import { sequenceOf } from '../../bot/directline/conversations.js';
import { TokenIssuer } from '../../bot/directline/tokens.js';
import { TranscriptStore } from '../../bot/directline/transcripts.js';
import { createLogger } from '../../bot/logger.js';
import { LowdbStorage } from '../../bot/storage/index.js';

const logger = createLogger('silent');
/** Longer than a test instance waits between two reads of a record (pollMs / 4). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
const echo = async (context: TurnContext) => {
  if (context.activity.type === ActivityTypes.Message) await context.sendActivity(`u zei: ${context.activity.text}`);
};

describe('Direct Line on shared storage: two instances, one store', () => {
  let dir: string;
  let storage: LowdbStorage;
  const channels: DirectLineChannel[] = [];
  let recovered: string[];

  const instance = (store: Storage = storage, pollMs = 20): DirectLineChannel => {
    const channel = new DirectLineChannel({
      tokens: new TokenIssuer(randomBytes(32)),
      bot: { id: 'bot', name: 'bot' },
      logic: echo,
      logger,
      transcripts: new TranscriptStore(store, { retentionMs: 86_400_000, logger }),
      recover: async (conversationId) => {
        recovered.push(conversationId);
        return ['Uw melding is opgeslagen.'];
      },
      shared: { pollMs },
    });
    channels.push(channel);
    return channel;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmo-shared-'));
    storage = new LowdbStorage(dir);
    recovered = [];
  });
  afterEach(async () => {
    for (const channel of channels.splice(0)) await channel.close();
    await storage.flush();
    await rm(dir, { recursive: true, force: true });
  });

  const texts = (activities: Array<Partial<Activity>>) => activities.filter((a) => a.type === 'message').map((a) => a.text);

  it('numbers every activity once, in order, whichever instance adds it, also when both add at the same moment', async () => {
    const a = instance();
    const b = instance();
    const { conversation: onA } = await a.open(undefined, 'inwoner');
    const { conversation: onB, created } = await b.open(onA.id);
    expect(created).to.equal(false);
    await a.receive(onA, { type: 'message', text: 'een' });
    await b.receive(onB, { type: 'message', text: 'twee' });
    await Promise.all([a.receive(onA, { type: 'message', text: 'drie' }), b.receive(onB, { type: 'message', text: 'vier' }), a.receive(onA, { type: 'message', text: 'vijf' })]);
    await settle();
    await Promise.all([a.open(onA.id), b.open(onA.id)]);
    for (const conversation of [onA, onB]) {
      const all = conversation.since();
      expect(all.map((x) => sequenceOf(x)), conversation === onA ? 'on A' : 'on B').to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(texts(all).filter((t) => !t?.startsWith('u zei'))).to.have.members(['een', 'twee', 'drie', 'vier', 'vijf']);
      // Every message got its one answer, right after it or after another instance's.
      for (const said of ['een', 'twee', 'drie', 'vier', 'vijf']) expect(texts(all).filter((t) => t === `u zei: ${said}`)).to.have.length(1);
      expect(conversation.watermark).to.equal('10');
    }
  });

  it("pushes what the other instance wrote to a stream open here, within the poll interval", async () => {
    const a = instance();
    const b = instance();
    const { conversation: onA } = await a.open(undefined, 'inwoner');
    const { conversation: onB } = await b.open(onA.id);
    const streamed: Array<Partial<Activity>> = [];
    onA.listeners.add({ send: (activities) => streamed.push(...activities), close: () => undefined });
    await b.receive(onB, { type: 'message', text: 'hallo' });
    const deadline = Date.now() + 2000;
    while (streamed.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(texts(streamed)).to.deep.equal(['hallo', 'u zei: hallo']);
  });

  it('a turn cut off on a stopped instance is answered once, by the first instance the resident reaches after it', async () => {
    const a = instance();
    const { conversation } = await a.open(undefined, 'inwoner');
    await a.receive(conversation, { type: 'message', text: 'hallo' });
    // As the stopped instance left it: a message marked "turn running", three minutes ago.
    const key = TranscriptStore.key(conversation.id);
    const stored = (await storage.read([key]))[key];
    await storage.write({ [key]: { ...stored, pending: { id: `${conversation.id}|0000003`, at: Date.now() - 3 * 60_000 } } });

    const b = instance();
    const c = instance();
    const [{ conversation: onB }, { conversation: onC }] = await Promise.all([b.open(conversation.id), c.open(conversation.id)]);
    // The instance that did not answer catches up with a later request.
    await settle();
    await Promise.all([b.open(conversation.id), c.open(conversation.id)]);
    expect(recovered).to.deep.equal([conversation.id]);
    for (const copy of [onB, onC]) {
      expect(texts(copy.since()).filter((t) => t === 'Uw melding is opgeslagen.')).to.have.length(1);
      expect(copy.pending).to.equal(undefined);
    }
  });

  it('"verwijder mijn gegevens" on one instance: the other keeps and writes nothing more of it', async () => {
    const a = instance();
    const b = instance();
    const { conversation: onA } = await a.open(undefined, 'inwoner');
    const { conversation: onB } = await b.open(onA.id);
    await a.receive(onA, { type: 'message', text: 'mijn verhaal' });
    await a.forgetTranscript(onA.id);
    await settle();
    await b.open(onA.id);
    expect(onB.erased).to.equal(true);
    expect(onB.since()).to.deep.equal([]);
    await b.receive(onB, { type: 'message', text: 'nog iets' });
    const key = TranscriptStore.key(onA.id);
    const record = (await storage.read([key]))[key] as { activities: unknown[]; erased: boolean };
    expect(record.erased).to.equal(true);
    expect(record.activities).to.deep.equal([]);
  });
  it('a client asking again and again costs each instance at most one read of the record per quarter poll interval', async () => {
    const a = instance();
    const { conversation } = await a.open(undefined, 'inwoner');
    let reads = 0;
    const counting: Storage = {
      read: (keys) => {
        reads += 1;
        return storage.read(keys);
      },
      write: (changes) => storage.write(changes),
      delete: (keys) => storage.delete(keys),
    };
    const b = instance(counting, 2000);
    for (let i = 0; i < 50; i++) await b.open(conversation.id);
    expect(reads).to.equal(1);
    // A write that meets a newer record still catches up at once: nothing is numbered twice.
    await a.receive(conversation, { type: 'message', text: 'op A' });
    const { conversation: onB } = await b.open(conversation.id);
    await b.receive(onB, { type: 'message', text: 'op B' });
    expect(onB.since().map((x) => sequenceOf(x))).to.deep.equal([1, 2, 3, 4]);
  });
  it('the secret holder finds a conversation another instance started, and cannot make one up by naming it', async () => {
    const a = instance();
    const { conversation } = await a.open(undefined, 'inwoner');
    await a.receive(conversation, { type: 'message', text: 'hallo' });
    const b = instance();
    const found = await b.find(conversation.id);
    expect(texts(found?.since() ?? [])).to.deep.equal(['hallo', 'u zei: hallo']);
    expect(await b.find('bestaat-niet')).to.equal(undefined);
    expect(b.store.get('bestaat-niet')).to.equal(undefined);
  });
});
