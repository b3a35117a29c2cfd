import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { InsightStore } from '../../bot/insight/events.js';
import { createInsight, LiveKnowledge } from '../../bot/insight/index.js';
import { computeStats } from '../../bot/insight/stats.js';
import { LowdbStorage } from '../../bot/storage/index.js';
import { knowledgeDataDir } from '../../knowledge/paths.js';
import { Chat } from '../dialogs/harness.js';

describe('insight events: one small record per conversation, recorded by the bot', () => {
  it('counts the messages, their topics, answers with cited articles and unanswered questions', async () => {
    const storage = new MemoryStorage();
    const chat = await Chat.start({ storage, gemeente: 'GM0406', conversationId: 'gesprek-1' });
    // Words the training data has never seen (a word it knows, such as "blaffende", may reach "Bedoelt u…?";
    // so may a word sharing a rarer 4-gram with one it knows, as "giraffen" does with "graffiti").
    await chat.say('zwiebelende gruxen kworpen vlotjes');
    await chat.say('wat is een keukentafelgesprek?');
    const record = await new InsightStore(storage).get('gesprek-1');
    expect(record).to.include({ gemeente: 'GM0406', day: '2026-11-24', messages: 2, answered: 1 });
    expect(record!.unanswered).to.deep.equal({ laag: 1, 'geen-van-deze': 0 });
    // Cited entries are knowledge ids (the article's id), not urls or text.
    expect(record!.cited).to.deep.equal({ keukentafelgesprek: 1 });
    expect(Object.values(record!.topics).reduce((a, b) => a + b, 0)).to.equal(2);
    expect(record!.bands).to.deep.equal({ high: 1, middle: 0, low: 1 });
    // Counters, not a transcript: nothing the resident typed is in the record.
    expect(JSON.stringify(record)).not.to.match(/gruxen|kworpen|wat is/);
  });

  it('does not count the welcome or events as messages', async () => {
    const storage = new MemoryStorage();
    const chat = await Chat.start({ storage, gemeente: 'GM0406', conversationId: 'gesprek-2' });
    await chat.join();
    expect(await new InsightStore(storage).get('gesprek-2')).to.equal(undefined);
  });
});

describe('insight events: handoffs from the handoff service', () => {
  it('a case\'s request, claim and close end up as the conversation\'s wait in the figures', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wmo-insight-handoff-'));
    const storage = new LowdbStorage(join(dir, 'state'));
    try {
      const live = await LiveKnowledge.load(knowledgeDataDir);
      const insight = createInsight({ storage, live, upkeepDays: 365, now: () => new Date('2026-11-24T09:00:00Z') });
      const reference = { conversation: { id: 'met-medewerker' } };
      await insight.recordHandoff({ gemeente: 'GM0406', createdAt: '2026-11-24T09:00:00.000Z', reference });
      await insight.recordHandoff({ gemeente: 'GM0406', createdAt: '2026-11-24T09:00:00.000Z', claimedAt: '2026-11-24T09:03:30.000Z', reference });
      await insight.recordHandoff({ gemeente: 'GM0406', createdAt: '2026-11-24T09:00:00.000Z', claimedAt: '2026-11-24T09:03:30.000Z', endedAt: '2026-11-24T09:20:00.000Z', outcome: 'geholpen', reference });
      const record = await new InsightStore(storage).get('met-medewerker');
      expect(record!.handoff).to.deep.equal({ requestedAt: '2026-11-24T09:00:00.000Z', claimedAt: '2026-11-24T09:03:30.000Z', closedAt: '2026-11-24T09:20:00.000Z', outcome: 'geholpen' });
      const stats = computeStats([record!], { from: '2026-11-24', to: '2026-11-24', gemeente: 'GM0406' });
      expect(stats.handoffs).to.include({ requested: 1, claimed: 1, medianWaitSeconds: 210 });
    } finally {
      await storage.flush();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('insight events: counters in batches, as the service writes them', () => {
  const outcome = { topic: 'mantelzorg', confidence: 0.8, cited: ['respijtzorg'] };
  let clock: Date;
  const now = () => clock;
  beforeEach(() => {
    clock = new Date('2026-11-24T09:00:00.000Z');
  });

  it('writes nothing per message; a flush stores the sum, dated from the first message to the last', async () => {
    const storage = new MemoryStorage();
    const store = new InsightStore(storage, now, { flushEveryMs: 60_000 });
    try {
      await store.message('batch-1', outcome, 'GM0406');
      clock = new Date('2026-11-24T09:02:00.000Z');
      await store.message('batch-1', { topic: 'vervoer', confidence: 0.1, cited: [] });
      await store.unanswered('batch-1', 'laag');
      expect(await store.get('batch-1'), 'not written per message').to.equal(undefined);
      await store.flush();
      const record = await store.get('batch-1');
      expect(record).to.include({ gemeente: 'GM0406', messages: 2, answered: 1, startedAt: '2026-11-24T09:00:00.000Z', lastAt: '2026-11-24T09:02:00.000Z' });
      expect(record!.bands).to.deep.equal({ high: 1, middle: 0, low: 1 });
      expect(record!.unanswered).to.deep.equal({ laag: 1, 'geen-van-deze': 0 });
    } finally {
      await store.close();
    }
  });

  it('a batch adds to what another writer stored meanwhile, and close writes what is left', async () => {
    const storage = new MemoryStorage();
    const direct = new InsightStore(storage, now);
    const batched = new InsightStore(storage, now, { flushEveryMs: 60_000 });
    await batched.message('batch-2', outcome);
    await direct.message('batch-2', outcome);
    await direct.feedback('batch-2', true);
    await batched.close();
    const record = await direct.get('batch-2');
    expect(record).to.include({ messages: 2, answered: 2 });
    expect(record!.cited).to.deep.equal({ respijtzorg: 2 });
    expect(record!.feedback).to.deep.equal({ up: 1, down: 0 });
  });

  it('after an erasure no batched counter of the conversation reaches storage, also not one being written while the eraser ran', async () => {
    const storage = new MemoryStorage();
    const store = new InsightStore(storage, now, { flushEveryMs: 60_000 });
    try {
      await store.message('gewist', outcome);
      const writing = store.flush(); // under way while the eraser deletes the record
      await storage.delete([InsightStore.key('gewist')]);
      await store.message('gewist', outcome);
      await store.forget('gewist');
      await writing;
      await store.flush();
      expect(await store.get('gewist')).to.equal(undefined);
    } finally {
      await store.close();
    }
  });
});
