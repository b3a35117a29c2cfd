import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationState, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { ETagConflictError, LowdbStorage, RedactingStorage } from '../../bot/storage/index.js';
import { ETagConversationState } from '../../bot/wmoBot.js';
import { Chat, last, texts } from './harness.js';

describe('dialogs: state that survives', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmo-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a resident in the middle of a flow continues where they were after a restart', async () => {
    const before = new LowdbStorage(dir);
    const first = await Chat.start({ storage: before, gemeente: 'GM0406' });
    await first.sayAll('Mantelzorg', 'Mijn partner');
    expect(last(first.transcript).text).to.match(/Hoeveel uur per week/);
    await before.flush();

    // A new process: a new storage over the same folder, a new bot.
    const after = new LowdbStorage(dir);
    const second = await Chat.start({ storage: after });
    const replies = await second.say('Meer dan 20 uur');
    expect(last(replies).text).to.match(/Hoe zwaar/);
    // The gemeente from before the restart is still known: not asked again.
    const next = await second.sayAll('Het gaat goed', 'Mantelzorgwaardering');
    expect(texts(next)).to.match(/Huizen bedankt mantelzorgers/);
    await after.flush();
  });

  it('a stale eTag is refused at the state level: two turns cannot overwrite each other', async () => {
    // Plain BotState writes eTag '*' (last writer wins); the bot's conversation state does not.
    const storage = new RedactingStorage(new LowdbStorage(dir));
    const adapter = new TestAdapter();
    const activity = { type: 'message', text: 'x', channelId: 'test', conversation: { id: 'c1' }, from: { id: 'u' }, recipient: { id: 'b' } } as Partial<Activity>;
    const stateA = new ETagConversationState(storage);
    const stateB = new ETagConversationState(storage);
    // The conversation exists already (an earlier turn saved it), so it has an eTag.
    const setup = new ConversationState(storage);
    const contextSetup = new TurnContext(adapter, { ...activity });
    await setup.load(contextSetup);
    await setup.createProperty<number>('n').set(contextSetup, 0);
    await setup.saveChanges(contextSetup);
    const contextA = new TurnContext(adapter, { ...activity });
    const contextB = new TurnContext(adapter, { ...activity });
    // Both turns read the same version …
    await stateA.load(contextA);
    await stateB.load(contextB);
    await stateA.createProperty<number>('n').set(contextA, 1);
    await stateB.createProperty<number>('n').set(contextB, 2);
    // … the first write wins, the second is refused instead of silently overwriting it.
    await stateA.saveChanges(contextA);
    let refused: unknown;
    try {
      await stateB.saveChanges(contextB);
    } catch (error) {
      refused = error;
    }
    expect(refused, 'the second save was refused').to.be.instanceOf(ETagConflictError);
    const check = new ConversationState(storage);
    const contextC = new TurnContext(adapter, { ...activity });
    await check.load(contextC);
    expect(await check.createProperty<number>('n').get(contextC)).to.equal(1);
  });
});
