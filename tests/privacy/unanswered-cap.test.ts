import { expect } from 'chai';
import { MemoryStorage } from 'botbuilder';
import { UnansweredStore } from '../../dialogs/unanswered.js';
import { Chat } from '../dialogs/harness.js';

describe('privacy: unanswered questions are capped per conversation', () => {
  const unclear = (i: number) => `xqzt blorp vrmbl ${'k'.repeat(i % 7)}${i}`;
  // MemoryStorage.delete leaves the key with an undefined value.
  const storedKeys = (memory: Record<string, string>) => Object.keys(memory).filter((k) => k.startsWith(UnansweredStore.PREFIX) && memory[k] !== undefined);

  it('fifty unclear messages from one conversation keep at most ten entries; another conversation still gets its own', async () => {
    const memory: Record<string, string> = {};
    const storage = new MemoryStorage(memory);
    const flood = await Chat.start({ storage, conversationId: 'flood' });
    for (let i = 0; i < 50; i++) await flood.say(unclear(i));
    expect(storedKeys(memory)).to.have.length(UnansweredStore.PER_CONVERSATION);
    expect(flood.transcript.filter((r) => /begrijp ik helaas niet/.test(r.text ?? '')).length, 'the resident is still answered').to.be.at.least(25);

    const other = await Chat.start({ storage, conversationId: 'other' });
    await other.say(unclear(1));
    expect(storedKeys(memory)).to.have.length(UnansweredStore.PER_CONVERSATION + 1);
  });

  it('forget deletes one conversation\'s questions and no others', async () => {
    const memory: Record<string, string> = {};
    const store = new UnansweredStore(new MemoryStorage(memory));
    for (let i = 0; i < 3; i++) await store.add({ conversationId: 'a', text: `vraag ${i}`, reason: 'laag', candidates: [] });
    await store.add({ conversationId: 'b', text: 'vraag', reason: 'laag', candidates: [] });
    expect(await store.forget('a')).to.equal(3);
    expect(storedKeys(memory)).to.deep.equal([`${UnansweredStore.PREFIX}b/0`]);
    expect(await store.forget('a')).to.equal(0);
  });
});
