/**
 * A municipality whose escalations go to a Teams channel staffs the chat there: the handoff counts
 * as available although nobody is signed in to the console. (The composition root asks the Teams
 * store; posting the card itself is tested in tests/teams against a loopback connector.)
 */
import { expect } from 'chai';
import { MemoryStorage } from 'botbuilder';
import { loadContent } from '../../dialogs/content.js';
import { HandoffService } from '../../bot/handoff/service.js';
import { StaffStore } from '../../bot/staff/accounts.js';
import { knowledge } from '../dialogs/harness.js';

async function service(staffedElsewhere?: (gemeente: string) => Promise<boolean>): Promise<HandoffService> {
  const { kb, router } = await knowledge();
  const storage = new MemoryStorage();
  return new HandoffService({
    storage,
    staff: new StaffStore(storage),
    kb,
    router,
    content: loadContent(),
    settings: { waitMinutes: 5, target: 'console', staffIdleMinutes: 30 },
    staffedElsewhere,
  });
}

describe('handoff: a Teams escalation channel staffs the chat', () => {
  it('is available for a municipality whose escalations go to Teams, with nobody in the console', async () => {
    const handoff = await service(async (gemeente) => gemeente === 'GM0406');
    expect(await handoff.available('GM0406')).to.equal(true);
    expect(await handoff.available('GM0402')).to.equal(false);
  });

  it('without such a channel and nobody in the console, nobody is available (the callback is offered)', async () => {
    expect(await (await service()).available('GM0406')).to.equal(false);
  });
});
