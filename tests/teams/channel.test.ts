import { expect } from 'chai';
import { LowdbStorage } from '../../bot/storage/index.js';
import { TeamsStore } from '../../bot/teams/index.js';
import { join } from 'node:path';
import { ANNA, APP_ID, botAddedToTeam, channelMention, ESCALATION_CHANNEL, installationUpdate, TEAM, startTeamsFixture, type TeamsFixture } from './fixture.js';

describe('Teams: install and the escalation channel', () => {
  let f: TeamsFixture;
  beforeEach(async () => {
    f = await startTeamsFixture();
  });
  afterEach(() => f.close());

  const stored = () => new TeamsStore(new LowdbStorage(join(f.dataDir, 'state')));

  it('keeps the team\'s conversation reference on disk when the bot is installed, and says how to go on', async () => {
    const response = await f.post(installationUpdate(f.connector.url));
    expect(response.status).to.equal(200);
    const team = await stored().team(TEAM.id);
    expect(team?.teamName).to.equal(TEAM.name);
    expect(team?.reference.serviceUrl).to.equal(f.connector.url);
    expect(team?.reference.conversation?.id).to.equal(TEAM.id);
    expect(team?.reference.bot?.id).to.equal(`28:${APP_ID}`);
    const hello = await f.connector.waitFor((r) => r.method === 'POST' && r.conversationId === TEAM.id);
    expect(String(hello.body.text)).to.contain('escalaties hier');
  });

  it('also keeps it from conversationUpdate with the bot in membersAdded', async () => {
    expect((await f.post(botAddedToTeam(f.connector.url))).status).to.equal(200);
    expect((await stored().team(TEAM.id))?.reference.serviceUrl).to.equal(f.connector.url);
  });

  it('"@bot escalaties hier" makes the channel the region\'s escalation channel, and confirms in the channel', async () => {
    const message = channelMention(f.connector.url, 'escalaties hier');
    expect((await f.post(message)).status).to.equal(200);
    const reply = await f.connector.waitFor((r) => r.method === 'POST' && r.activityId === message.id);
    expect(reply.conversationId).to.equal(message.conversation.id);
    expect(String(reply.body.text)).to.match(/escalaties van de regio Gooi en Vechtstreek/u);
    const routes = await stored().routes();
    expect(routes.region?.channelId).to.equal(ESCALATION_CHANNEL);
    expect(routes.region?.reference.conversation?.id).to.equal(ESCALATION_CHANNEL);
    expect(routes.region?.setBy).to.equal(ANNA.name);
  });

  it('"escalaties hier Bussum" takes the town to its municipality (Gooise Meren)', async () => {
    const message = channelMention(f.connector.url, 'escalaties hier Bussum');
    await f.post(message);
    const reply = await f.connector.waitFor((r) => r.activityId === message.id);
    expect(String(reply.body.text)).to.contain('Gooise Meren');
    const routes = await stored().routes();
    expect(Object.keys(routes.gemeenten)).to.deep.equal(['GM1942']);
    expect(routes.region).to.equal(undefined);
  });

  it('an unknown place is refused with the list of municipalities, and nothing is set', async () => {
    const message = channelMention(f.connector.url, 'escalaties hier Zwolle');
    await f.post(message);
    const reply = await f.connector.waitFor((r) => r.activityId === message.id);
    expect(String(reply.body.text)).to.contain('Zwolle').and.to.contain('Huizen');
    expect((await stored().routes()).region).to.equal(undefined);
  });

  it('refuses a request without a valid channel token (401), and one signed for another service URL', async () => {
    const activity = channelMention(f.connector.url, 'escalaties hier');
    const unsigned = await fetch(`${f.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    expect(unsigned.status).to.equal(401);
    const otherUrl = await fetch(`${f.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${f.connector.token(APP_ID, 'https://smba.trafficmanager.net/emea/')}` },
      body: JSON.stringify(activity),
    });
    expect(otherUrl.status).to.equal(401);
    expect((await stored().routes()).region).to.equal(undefined);
  });

  it('ignores Teams users of another tenant: they cannot route escalations to their own channel', async () => {
    const foreign = channelMention(f.connector.url, 'escalaties hier');
    foreign.channelData.tenant = { id: '99999999-9999-4999-8999-999999999999' };
    foreign.conversation.tenantId = '99999999-9999-4999-8999-999999999999';
    expect((await f.post(foreign)).status).to.equal(200);
    const own = channelMention(f.connector.url, 'zoek mantelzorg');
    await f.post(own);
    await f.connector.waitFor((r) => r.activityId === own.id);
    expect(f.connector.received.filter((r) => r.activityId === foreign.id)).to.have.length(0);
    expect((await stored().routes()).region).to.equal(undefined);
  });
});

describe('Teams without MicrosoftAppId (channel not authenticated)', () => {
  it('ignores msteams turns altogether', async () => {
    const f = await startTeamsFixture({ microsoftAppId: '', microsoftAppPassword: '', microsoftAppType: '', botOpenIdMetadata: undefined });
    try {
      const message = channelMention(f.connector.url, 'escalaties hier');
      const response = await fetch(`${f.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(message) });
      // 200 today (local use); 401 once /api/messages refuses unsigned traffic by default (issue 11).
      expect(response.status).to.be.oneOf([200, 401]);
      expect(await new TeamsStore(new LowdbStorage(join(f.dataDir, 'state'))).routes()).to.deep.equal({ gemeenten: {} });
      expect(f.connector.received).to.have.length(0);
    } finally {
      await f.close();
    }
  });
});
