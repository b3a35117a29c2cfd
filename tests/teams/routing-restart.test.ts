import { expect } from 'chai';
import { ANNA, cardAction, channelMention, ESCALATION_CHANNEL, startTeamsFixture, type TeamsFixture } from './fixture.js';

const HUIZEN_CHANNEL = '19:huizen0003@thread.tacv2';
const resident = (id: string) => ({ channelId: 'directline', serviceUrl: 'http://127.0.0.1:9/v3/directline', conversation: { id, isGroup: false, conversationType: 'personal', name: '' } });

describe('Teams: which channel, and after a restart', () => {
  let f: TeamsFixture;
  before(async () => {
    f = await startTeamsFixture();
    for (const [text, channel] of [['escalaties hier', ESCALATION_CHANNEL], ['escalaties hier Huizen', HUIZEN_CHANNEL]] as const) {
      const message = channelMention(f.connector.url, text, ANNA, channel);
      await f.post(message);
      await f.connector.waitFor((r) => r.activityId === message.id);
    }
  });
  after(() => f.close());

  it('a municipality with its own channel gets its escalations there, the others go to the region\'s channel; a desk that only says "changed" is enough', async () => {
    f.desk.announceCreated = false;
    const from = f.connector.received.length;
    const huizen = await f.desk.create({ topic: 'mantelzorg', gemeente: 'GM0406', safety: false, summary: [], resident: resident('dl-1') });
    const blaricum = await f.desk.create({ topic: 'vervoer', gemeente: 'GM0376', safety: false, summary: [], resident: resident('dl-2') });
    const posts = [
      await f.connector.waitFor((r) => r.path === '/v3/conversations' && JSON.stringify(r.body).includes(huizen.id), from),
      await f.connector.waitFor((r) => r.path === '/v3/conversations' && JSON.stringify(r.body).includes(blaricum.id), from),
    ];
    expect(posts.map((p) => (p.body.channelData as { channel: { id: string } }).channel.id)).to.deep.equal([HUIZEN_CHANNEL, ESCALATION_CHANNEL]);
    expect(f.connector.received.slice(from).filter((r) => r.path === '/v3/conversations')).to.have.length(2);
  });

  it('after a restart, a click on a card posted before it still claims and updates that card', async () => {
    const from = f.connector.received.length;
    const before = f.connector.received.find((r) => r.path === '/v3/conversations')!;
    const root = String(before.response?.activityId);
    const escalationId = (before.body.activity as { attachments: Array<{ content: { actions: Array<{ data: { escalationId: string } }> } }> }).attachments[0].content.actions[0].data.escalationId;
    await f.restart();
    const response = await f.post(cardAction(f.connector.url, root, 'overnemen', { escalationId }, ANNA, HUIZEN_CHANNEL));
    expect(JSON.stringify(response.body)).to.contain(`Overgenomen door ${ANNA.name}`);
    const update = await f.connector.waitFor((r) => r.method === 'PUT', from);
    expect([update.conversationId, update.activityId]).to.deep.equal([before.response?.id, root]);
  });
});
