import { expect } from 'chai';
import { MemoryStorage } from 'botbuilder';
import { InsightStore } from '../../bot/insight/events.js';
import { Chat } from '../dialogs/harness.js';

describe('insight events: one small record per conversation, recorded by the bot', () => {
  it('counts the messages, their topics, answers with cited articles and unanswered questions', async () => {
    const storage = new MemoryStorage();
    const chat = await Chat.start({ storage, gemeente: 'GM0406', conversationId: 'gesprek-1' });
    await chat.say('blaffende giraffen op de maan');
    await chat.say('wat is een keukentafelgesprek?');
    const record = await new InsightStore(storage).get('gesprek-1');
    expect(record).to.include({ gemeente: 'GM0406', day: '2026-11-24', messages: 2, answered: 1 });
    expect(record!.unanswered).to.deep.equal({ laag: 1, 'geen-van-deze': 0 });
    // Cited entries are knowledge ids (the article's id), not urls or text.
    expect(record!.cited).to.deep.equal({ keukentafelgesprek: 1 });
    expect(Object.values(record!.topics).reduce((a, b) => a + b, 0)).to.equal(2);
    expect(record!.bands).to.deep.equal({ high: 1, middle: 0, low: 1 });
    // Counters, not a transcript: nothing the resident typed is in the record.
    expect(JSON.stringify(record)).not.to.match(/giraffen|maan|wat is/);
  });

  it('does not count the welcome or events as messages', async () => {
    const storage = new MemoryStorage();
    const chat = await Chat.start({ storage, gemeente: 'GM0406', conversationId: 'gesprek-2' });
    await chat.join();
    expect(await new InsightStore(storage).get('gesprek-2')).to.equal(undefined);
  });
});
