/**
 * The handoff lookup on every message: with one instance (files in DATA_DIR) a conversation
 * found without a handoff is remembered so; on shared storage (several instances) every message
 * looks again, because another instance may have handed the conversation off meanwhile.
 */
import { expect } from 'chai';
import { MemoryStorage, TestAdapter, TurnContext, type StoreItems } from 'botbuilder';
import { loadContent } from '../../dialogs/content.js';
import { HandoffService } from '../../bot/handoff/service.js';
import { StaffStore } from '../../bot/staff/accounts.js';
import { knowledge } from '../dialogs/harness.js';

/** MemoryStorage that counts the reads of conversations' handoff links. */
class CountingStorage extends MemoryStorage {
  linkReads = 0;
  override read(keys: string[]): Promise<StoreItems> {
    this.linkReads += keys.filter((key) => key.startsWith('handoff/conversation/')).length;
    return super.read(keys);
  }
}

async function instance(storage: MemoryStorage, singleInstance: boolean): Promise<HandoffService> {
  const { kb, router } = await knowledge();
  const service = new HandoffService({
    storage,
    staff: new StaffStore(storage),
    kb,
    router,
    content: loadContent(),
    settings: { waitMinutes: 5, target: 'console', staffIdleMinutes: 30, sharedStorage: !singleInstance },
  });
  await service.start();
  return service;
}

/** A resident's turn in conversation `id`, as the adapter hands it to the bot. */
function turn(id: string): TurnContext {
  return new TurnContext(new TestAdapter(), {
    type: 'message',
    text: 'Ik wil een medewerker spreken',
    channelId: 'test',
    conversation: { id, isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'inwoner', name: 'Inwoner' },
    recipient: { id: 'bot', name: 'Bot' },
    serviceUrl: 'https://test.example',
  });
}

describe('handoff: the lookup on every message', () => {
  it('one instance: a conversation without a handoff is looked up once, and its own handoff is seen right away', async () => {
    const storage = new CountingStorage();
    const handoff = await instance(storage, true);
    try {
      for (let i = 0; i < 5; i++) expect(await handoff.state('gesprek-a')).to.equal(undefined);
      expect(storage.linkReads, 'storage read once').to.equal(1);
      await handoff.join(turn('gesprek-a'), { gemeente: 'GM0406' });
      expect(await handoff.state('gesprek-a')).to.include({ status: 'waiting' });
    } finally {
      await handoff.stop();
    }
  });

  it('shared storage: a handoff another instance made is seen on the next message', async () => {
    const storage = new CountingStorage();
    const [a, b] = [await instance(storage, false), await instance(storage, false)];
    try {
      expect(await a.state('gesprek-b')).to.equal(undefined);
      await b.join(turn('gesprek-b'), { gemeente: 'GM0406' });
      expect(await a.state('gesprek-b')).to.include({ status: 'waiting' });
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
