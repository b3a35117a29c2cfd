import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReviewStore } from '../../bot/review/store.js';
import { LowdbStorage } from '../../bot/storage/index.js';
import { serviceContact } from '../../dialogs/socialeKaart.js';
import { loadKnowledgeBase } from '../../knowledge/index.js';
import { ANNA, channelMention, personalMessage, threadReply, startTeamsFixture, type TeamsFixture } from './fixture.js';

type Block = { type: string; text?: string; items?: Block[] };
const cardOf = (body: Record<string, unknown>) =>
  (body.attachments as Array<{ contentType: string; content: { version: string; body: Block[] } }>).find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')!.content;

describe('Teams: lookup and "opslaan als antwoord"', () => {
  let f: TeamsFixture;
  before(async () => {
    f = await startTeamsFixture();
  });
  after(() => f.close());

  it('"zoek respijtzorg Huizen" in a personal chat answers with knowledge and sociale-kaart hits, their sources and open-now status', async () => {
    const message = personalMessage(f.connector.url, 'zoek respijtzorg Huizen');
    expect((await f.post(message)).status).to.equal(200);
    const reply = await f.connector.waitFor((r) => r.method === 'POST' && r.activityId === message.id);
    expect(reply.conversationId).to.equal(message.conversation.id);
    const card = cardOf(reply.body);
    expect(card.version).to.equal('1.5');
    expect(card.body[0].text).to.equal('Zoekresultaten voor "respijtzorg Huizen" in Huizen');
    const hits = card.body.filter((b) => b.type === 'Container').map((c) => (c.items ?? []).map((i) => i.text).join('\n'));
    expect(hits).to.have.length(6);
    expect(hits[0]).to.match(/^(Uitleg|Voorziening): Respijtzorg/u);
    expect(hits.some((h) => h.startsWith('Voorziening: Vervangende zorg thuis \\(respijtzorg\\)'))).to.equal(true);
    const steunpunt = hits.find((h) => h.startsWith('Sociale kaart: Steunpunt Mantelzorg Huizen'))!;
    expect(steunpunt).to.contain('Bron: [Steunpunt Mantelzorg Huizen');
    expect(steunpunt).to.contain('](https://huizer-kompas.example/steunpunt-mantelzorg-huizen)');
    // The open-now status the sociale kaart gives for this moment.
    const kb = await loadKnowledgeBase();
    const service = kb.socialeKaart.services.find((s) => s.name === 'Steunpunt Mantelzorg Huizen')!;
    const open = serviceContact(kb, service, new Date()).openNow;
    expect(steunpunt).to.contain(open === undefined ? 'Openingstijden onbekend' : open ? 'Nu open' : 'Nu gesloten');
  });

  it('"@bot zoek mantelzorg Bussum" in a channel answers in the thread, for the municipality of that town', async () => {
    const message = channelMention(f.connector.url, 'zoek mantelzorg Bussum');
    await f.post(message);
    const reply = await f.connector.waitFor((r) => r.method === 'POST' && r.activityId === message.id);
    expect(reply.conversationId).to.equal(message.conversation.id);
    expect(cardOf(reply.body).body[0].text).to.equal('Zoekresultaten voor "mantelzorg Bussum" in Gooise Meren');
  });

  it('"zoek" without a question asks what to look for', async () => {
    const message = personalMessage(f.connector.url, 'zoek');
    await f.post(message);
    expect(String((await f.connector.waitFor((r) => r.activityId === message.id)).body.text)).to.contain('Wat zoekt u?');
  });

  it('"opslaan als antwoord <tekst>" puts a redacted proposal on the review list with author and source; nothing goes live', async () => {
    const message = personalMessage(f.connector.url, 'opslaan als antwoord: Respijtzorg vraagt u aan bij het Wmo-loket, mail j.jansen@ziggo.nl of bel 035-5281911.');
    await f.post(message);
    const reply = await f.connector.waitFor((r) => r.activityId === message.id);
    expect(String(reply.body.text)).to.contain('pas na goedkeuring');
    const list = await new ReviewStore(new LowdbStorage(join(f.dataDir, 'state'))).list('pending');
    expect(list).to.have.length(1);
    expect(list[0]).to.deep.include({
      status: 'pending',
      author: { id: `teams:${ANNA.aadObjectId}`, name: ANNA.name },
      source: { kind: 'teams', conversationId: message.conversation.id },
    });
    expect(list[0].text).to.equal('Respijtzorg vraagt u aan bij het Wmo-loket, mail [e-mail verwijderd] of bel [telefoon verwijderd].');
    // Not in the knowledge the bot answers from.
    const help = personalMessage(f.connector.url, 'zoek respijtzorg aanvragen wmo-loket mail bel');
    await f.post(help);
    const found = await f.connector.waitFor((r) => r.activityId === help.id);
    expect(JSON.stringify(found.body)).to.not.contain('Respijtzorg vraagt u aan bij het Wmo-loket');
  });

  it('the message action "Opslaan als antwoord" on a channel message proposes that message, with the question typed in its form', async () => {
    const invoke = {
      ...threadReply(f.connector.url, '1700000000123', ''),
      type: 'invoke',
      name: 'composeExtension/submitAction',
      text: undefined,
      textFormat: undefined,
      value: {
        commandId: 'opslaanAlsAntwoord',
        commandContext: 'message',
        context: { theme: 'default' },
        data: { vraag: 'Hoe vraag ik respijtzorg aan?' },
        messagePayload: {
          id: '1700000000124',
          messageType: 'message',
          body: { contentType: 'html', content: '<p>U vraagt het aan bij het <b>Wmo-loket</b>.&nbsp;Bel 035-5281911 &amp; noem &#x201C;respijtzorg&#x201D;&#99999999;.</p><p>Tweede regel</p>' },
          from: { user: { id: ANNA.aadObjectId, displayName: ANNA.name, userIdentityType: 'aadUser' } },
        },
      },
    };
    const response = await f.post(invoke);
    expect(response.status).to.equal(200);
    expect((response.body as { task: { type: string; value: string } }).task.type).to.equal('message');
    expect((response.body as { task: { value: string } }).task.value).to.contain('Opgeslagen als voorstel');
    const list = await new ReviewStore(new LowdbStorage(join(f.dataDir, 'state'))).list('pending');
    const proposal = list.find((p) => p.question === 'Hoe vraag ik respijtzorg aan?')!;
    expect(proposal.text).to.equal('U vraagt het aan bij het Wmo-loket. Bel [telefoon verwijderd] & noem \u201Crespijtzorg\u201D.\nTweede regel');
    expect(proposal.source.conversationId).to.equal(invoke.conversation.id);
  });

  it('anything else in a personal chat gets the help text; an unaddressed channel message gets nothing', async () => {
    const unaddressed = threadReply(f.connector.url, '1699999999999', 'Wie heeft vanmiddag dienst?');
    await f.post(unaddressed);
    const message = personalMessage(f.connector.url, 'hallo');
    await f.post(message);
    expect(String((await f.connector.waitFor((r) => r.activityId === message.id)).body.text)).to.contain('escalaties hier');
    expect(f.connector.received.filter((r) => r.activityId === unaddressed.id || r.conversationId === unaddressed.conversation.id)).to.have.length(0);
  });
});

describe('ReviewStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmo-review-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps proposals across a restart, oldest first, and lets a beheerder decide once', async () => {
    const times = ['2026-11-30T10:00:00.000Z', '2026-11-30T10:05:00.000Z'];
    const store = new ReviewStore(new LowdbStorage(dir), () => new Date(times.shift() ?? '2026-11-30T11:00:00.000Z'));
    const first = await store.propose({ text: 'Eerste', source: { kind: 'teams', conversationId: 'c1' }, author: { id: 'teams:a', name: 'Anna' } });
    await store.propose({ text: 'Tweede', question: 'Mijn BSN is 111222333, wat nu?', source: { kind: 'teams', conversationId: 'c2', escalationId: 'e2' }, author: { id: 'teams:b', name: 'Bram' } });
    const again = new ReviewStore(new LowdbStorage(dir));
    const all = await again.list();
    expect(all.map((p) => p.text)).to.deep.equal(['Eerste', 'Tweede']);
    expect(all[1].question).to.not.contain('111222333');
    const results = await Promise.allSettled([again.decide(first.id, 'approved', 'beheer1'), again.decide(first.id, 'rejected', 'beheer2')]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    expect((await again.get(first.id))?.status).to.be.oneOf(['approved', 'rejected']);
    expect(await again.list('pending')).to.have.length(1);
    const missing = await again.decide('nope', 'approved', 'x').then(() => 'decided', (error: Error) => error.message);
    expect(missing).to.equal('Review: no proposal "nope".');
  });
});
