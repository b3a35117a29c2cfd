import { expect } from 'chai';
import { join } from 'node:path';
import { ReviewStore } from '../../bot/review/store.js';
import { LowdbStorage } from '../../bot/storage/index.js';
import { TeamsStore } from '../../bot/teams/index.js';
import { DirectLineTestClient } from '../helpers/directline.js';
import type { Recorded } from './connectorStub.js';
import { ANNA, BRAM, TEAM, cardAction, cardSubmit, channelMention, ESCALATION_CHANNEL, startTeamsFixture, threadReply, type TeamsFixture } from './fixture.js';

type Card = { type: string; version: string; body: Array<Record<string, unknown>>; actions: Array<Record<string, unknown>> };

const cardOf = (activity: unknown): Card =>
  ((activity as { attachments?: Array<{ contentType: string; content: Card }> })?.attachments ?? []).find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')!.content;
const bodyText = (card: Card): string => JSON.stringify(card.body);

describe('Teams: escalation cards, the claim race and the live thread', () => {
  let f: TeamsFixture;
  let resident: DirectLineTestClient;
  let created: Recorded;
  let rootId: string;
  let thread: string;
  let escalationId: string;
  let holder = ANNA;
  let other = BRAM;

  before(async () => {
    f = await startTeamsFixture();
    f.desk.attachResidentChannel(f.app.channel, {
      topic: 'huishoudelijke-hulp',
      gemeente: 'GM0406',
      safety: false,
      summary: ['Hulp bij: schoonmaken', 'Zie [mijn site](https://evil.example/x) ![img](https://evil.example/i.png) **vet**'],
    });
    const setUp = channelMention(f.connector.url, 'escalaties hier');
    await f.post(setUp);
    await f.connector.waitFor((r) => r.activityId === setUp.id);
    resident = await DirectLineTestClient.connect(f.url);
    expect((await resident.ask('medewerker')).text).to.contain('medewerker');
    created = await f.connector.waitFor((r) => r.method === 'POST' && r.path === '/v3/conversations');
    rootId = String(created.response?.activityId);
    thread = String(created.response?.id);
    escalationId = (await f.desk.list())[0].id;
  });
  after(async () => {
    resident?.end();
    await f?.close();
  });

  it('posts a new escalation as a new thread in the channel: an Adaptive Card 1.5 with topic, municipality, waiting time, safety flag and summary', async () => {
    expect(created.body.isGroup).to.equal(true);
    expect((created.body.channelData as { channel: { id: string } }).channel.id).to.equal(ESCALATION_CHANNEL);
    const card = cardOf(created.body.activity);
    expect(card.type).to.equal('AdaptiveCard');
    expect(card.version).to.equal('1.5');
    const text = bodyText(card);
    for (const part of ['Huishoudelijke hulp', 'Huizen', 'Wacht op een medewerker', 'net binnen (sinds ', 'geen signaal', 'Hulp bij: schoonmaken']) expect(text).to.contain(part);
    expect(text).to.not.contain('Let op: veiligheidssignaal');
    // The thread's reference and root id are kept for updates and replies.
    const post = await new TeamsStore(new LowdbStorage(join(f.dataDir, 'state'))).post(escalationId);
    expect(post?.activityId).to.equal(rootId);
    expect(post?.reference.conversation?.id).to.equal(thread);
  });

  it('shows what the resident typed as text: markdown links, images and bold are escaped', () => {
    const line = cardOf(created.body.activity).body.find((b) => String(b.text).includes('evil'))!;
    expect(line.text).to.equal('Zie \\[mijn site\\]\\(https://evil\\.example/x\\) \\!\\[img\\]\\(https://evil\\.example/i\\.png\\) \\*\\*vet\\*\\*');
  });

  it('offers Overnemen, Transcript and Toewijzen as Action.Execute with an Action.Submit fallback', () => {
    const card = cardOf(created.body.activity);
    const titles = card.actions.map((a) => a.title);
    expect(titles).to.deep.equal(['Overnemen', 'Transcript', 'Toewijzen']);
    const take = card.actions[0] as { type: string; verb: string; data: { escalationId: string }; fallback: { type: string; data: Record<string, unknown> } };
    expect(take.type).to.equal('Action.Execute');
    expect(take.verb).to.equal('overnemen');
    expect(take.data.escalationId).to.equal(escalationId);
    expect(take.fallback.type).to.equal('Action.Submit');
    expect(take.fallback.data).to.deep.equal({ escalationId, wmoAction: 'overnemen' });
  });

  it('two consultants press Overnemen at once: exactly one wins, the other gets a card that says who has it, and the card is updated for everyone', async () => {
    const from = f.connector.received.length;
    const [anna, bram] = await Promise.all([
      f.post(cardAction(f.connector.url, rootId, 'overnemen', { escalationId }, ANNA)),
      f.post(cardAction(f.connector.url, rootId, 'overnemen', { escalationId }, BRAM)),
    ]);
    for (const r of [anna, bram]) {
      expect(r.status).to.equal(200);
      expect((r.body as { statusCode: number }).statusCode).to.equal(200);
      expect((r.body as { type: string }).type).to.equal('application/vnd.microsoft.card.adaptive');
    }
    const cards = [anna, bram].map((r) => bodyText((r.body as { value: Card }).value));
    const winner = (await f.desk.get(escalationId))!.claimedBy!.name;
    holder = winner === ANNA.name ? ANNA : BRAM;
    other = winner === ANNA.name ? BRAM : ANNA;
    const loser = winner === ANNA.name ? 1 : 0;
    expect(cards[loser]).to.contain(`U was te laat: ${winner} heeft dit gesprek al overgenomen`);
    expect(cards[1 - loser]).to.not.contain('te laat');
    expect(cards[1 - loser]).to.contain(`Overgenomen door ${winner}`);
    const update = await f.connector.waitFor((r) => r.method === 'PUT', from);
    expect(update.conversationId).to.equal(thread);
    expect(update.activityId).to.equal(rootId);
    expect(bodyText(cardOf(update.body))).to.contain(`Overgenomen door ${winner}`);
    expect(cardOf(update.body).actions.map((a) => a.title)).to.not.include('Overnemen');
    expect(f.connector.received.slice(from).filter((r) => r.method === 'PUT')).to.have.length(1);
    // The thread says who has it.
    const note = await f.connector.waitFor((r) => r.method === 'POST' && r.conversationId === thread && String(r.body.text).includes('heeft het gesprek'), from);
    expect(String(note.body.text)).to.contain(winner);
  });

  it('relays both ways: the resident\'s message appears in the thread, attributed; the holder\'s reply reaches the resident\'s Direct Line', async () => {
    let from = f.connector.received.length;
    await resident.send('Hoe lang duurt het voordat iemand komt? Mijn nummer is 0612345678');
    const shown = await f.connector.waitFor((r) => r.method === 'POST' && r.conversationId === thread && String(r.body.text).startsWith('Inwoner:'), from);
    expect(shown.body.text).to.equal('Inwoner: Hoe lang duurt het voordat iemand komt? Mijn nummer is [telefoon verwijderd]');
    expect(shown.activityId, 'a reply to the card, in its thread').to.equal(rootId);
    expect(shown.body.textFormat).to.equal('plain');

    from = f.connector.received.length;
    const seen = resident.received.length;
    const reply = threadReply(f.connector.url, rootId, 'Binnen twee weken belt de gemeente u voor een gesprek.', holder);
    expect((await f.post(reply)).status).to.equal(200);
    await resident.waitFor((a) => a.type === 'message' && a.text === 'Binnen twee weken belt de gemeente u voor een gesprek.', seen);
    // Nothing from the bot in the thread in answer to the consultant's message.
    expect(f.connector.received.slice(from).filter((r) => r.method === 'POST' && r.conversationId === thread)).to.have.length(0);
  });

  it('"opslaan als antwoord" in the thread proposes the holder\'s last reply, with the resident\'s question, for review', async () => {
    const from = f.connector.received.length;
    const save = threadReply(f.connector.url, rootId, 'opslaan als antwoord', holder);
    await f.post(save);
    expect(String((await f.connector.waitFor((r) => r.activityId === save.id, from)).body.text)).to.contain('Opgeslagen als voorstel');
    const [proposal] = await new ReviewStore(new LowdbStorage(join(f.dataDir, 'state'))).list('pending');
    expect(proposal).to.deep.include({
      text: 'Binnen twee weken belt de gemeente u voor een gesprek.',
      question: 'Hoe lang duurt het voordat iemand komt? Mijn nummer is [telefoon verwijderd]',
      source: { kind: 'teams', conversationId: thread, escalationId },
      author: { id: `teams:${holder.aadObjectId}`, name: holder.name },
    });
  });

  it('a safety signal from the resident is marked important in the thread, and the card shows the flag from then on', async () => {
    const from = f.connector.received.length;
    await resident.send('ik wil niet meer leven');
    const shown = await f.connector.waitFor((r) => r.method === 'POST' && r.conversationId === thread && String(r.body.text).includes('Inwoner:'), from);
    expect(shown.body.text).to.equal('LET OP, VEILIGHEIDSSIGNAAL. Inwoner: ik wil niet meer leven');
    expect(shown.body.importance).to.equal('high');
    const update = await f.connector.waitFor((r) => r.method === 'PUT' && r.activityId === rootId, from);
    expect(bodyText(cardOf(update.body))).to.contain('Let op: veiligheidssignaal');
  });

  it('a colleague who does not have the conversation can talk in the thread without it reaching the resident', async () => {
    const seen = resident.received.length;
    await f.post(threadReply(f.connector.url, rootId, 'Zal ik het overnemen?', other));
    await f.post(threadReply(f.connector.url, rootId, 'Ik blijf erbij.', holder));
    await resident.waitFor((a) => a.text === 'Ik blijf erbij.', seen);
    expect(resident.received.slice(seen).map((a) => a.text)).to.not.include('Zal ik het overnemen?');
  });

  it('a message from the holder that @mentions a colleague stays in the thread', async () => {
    const seen = resident.received.length;
    const aside = threadReply(f.connector.url, rootId, `<at>${other.name}</at> kun jij de folder opzoeken?`, holder);
    (aside as Record<string, unknown>).entities = [{ type: 'mention', text: `<at>${other.name}</at>`, mentioned: { id: other.id, name: other.name } }];
    await f.post(aside);
    await f.post(threadReply(f.connector.url, rootId, 'Ik zoek het voor u uit.', holder));
    await resident.waitFor((a) => a.text === 'Ik zoek het voor u uit.', seen);
    expect(resident.received.slice(seen).map((a) => a.text ?? '').join('\n')).to.not.contain('folder');
  });

  it('a hand-made action from another thread cannot claim this escalation', async () => {
    const response = await f.post(cardAction(f.connector.url, '1699999999999', 'overnemen', { escalationId }, other));
    expect(bodyText((response.body as { value: Card }).value)).to.contain('hoort bij een kaart in een ander kanaal');
    expect((await f.desk.get(escalationId))?.claimedBy?.name).to.equal(holder.name);
  });

  it('shows the resident typing in the thread', async () => {
    const from = f.connector.received.length;
    await resident.send({ type: 'typing' });
    await f.connector.waitFor((r) => r.method === 'POST' && r.conversationId === thread && r.body.type === 'typing', from);
  });

  it('shows the holder typing to the resident', async () => {
    const seen = resident.received.length;
    const typing = threadReply(f.connector.url, rootId, '', holder);
    await f.post({ ...typing, type: 'typing', text: undefined, textFormat: undefined });
    await resident.waitFor((a) => a.type === 'typing', seen);
  });

  it('Transcript (Action.Submit fallback) posts the redacted transcript in the thread as plain text', async () => {
    const from = f.connector.received.length;
    const response = await f.post(cardSubmit(f.connector.url, rootId, { escalationId, wmoAction: 'transcript' }, other));
    expect(response.status).to.equal(200);
    const transcript = await f.connector.waitFor((r) => r.method === 'POST' && r.conversationId === thread && String(r.body.text).startsWith('Transcript'), from);
    expect(transcript.body.textFormat).to.equal('plain');
    expect(String(transcript.body.text)).to.contain('Inwoner: Hoe lang duurt het').and.to.contain('[telefoon verwijderd]').and.not.to.contain('0612345678');
    expect(String(transcript.body.text)).to.contain(`${holder.name}: Binnen twee weken`);
  });

  it('Overnemen by Action.Submit when someone has it already: a card in the thread says who', async () => {
    const from = f.connector.received.length;
    await f.post(cardSubmit(f.connector.url, rootId, { escalationId, wmoAction: 'overnemen' }, other));
    const notice = await f.connector.waitFor((r) => r.method === 'POST' && r.conversationId === thread && !!r.body.attachments, from);
    expect(bodyText(cardOf(notice.body))).to.contain(`U was te laat: ${holder.name} heeft dit gesprek al overgenomen`);
    expect((await f.desk.get(escalationId))?.claimedBy?.name).to.equal(holder.name);
  });

  it('"terug" from someone else is refused; from the holder it hands back to the bot: card updated, thread told, the bot answers the resident again', async () => {
    let from = f.connector.received.length;
    const refused = threadReply(f.connector.url, rootId, 'terug', other);
    await f.post(refused);
    const no = await f.connector.waitFor((r) => r.method === 'POST' && r.activityId === refused.id, from);
    expect(String(no.body.text)).to.contain(`Dit gesprek heeft ${holder.name}`);
    expect((await f.desk.get(escalationId))?.state).to.equal('claimed');

    from = f.connector.received.length;
    await f.post(threadReply(f.connector.url, rootId, 'terug', holder));
    const update = await f.connector.waitFor((r) => r.method === 'PUT', from);
    expect(bodyText(cardOf(update.body))).to.contain('Terug bij de assistent');
    expect(cardOf(update.body).actions.map((a) => a.title)).to.deep.equal(['Transcript']);
    await f.connector.waitFor((r) => r.method === 'POST' && r.conversationId === thread && String(r.body.text).includes('terug bij de assistent'), from);
    const answer = await resident.ask('wat is mantelzorg?');
    expect(answer.from?.role).to.equal('bot');
    expect(answer.text).to.match(/mantelzorg/iu);
  });

  it('"sluit <uitkomst>" closes a conversation with that outcome; without a known outcome it asks', async () => {
    let from = f.connector.received.length;
    await resident.ask('medewerker');
    const second = await f.connector.waitFor((r) => r.method === 'POST' && r.path === '/v3/conversations', from);
    const root = String(second.response?.activityId);
    const id = (await f.desk.list()).find((e) => e.id !== escalationId)!.id;
    await f.post(cardSubmit(f.connector.url, root, { escalationId: id, wmoAction: 'overnemen' }, ANNA));
    await f.connector.waitFor((r) => r.method === 'PUT' && r.activityId === root, from);

    from = f.connector.received.length;
    const unclear = threadReply(f.connector.url, root, 'sluit klaar', ANNA);
    await f.post(unclear);
    expect(String((await f.connector.waitFor((r) => r.activityId === unclear.id, from)).body.text)).to.contain('Met welke uitkomst');
    await f.post(threadReply(f.connector.url, root, 'sluit geholpen', ANNA));
    const update = await f.connector.waitFor((r) => r.method === 'PUT' && r.activityId === root && bodyText(cardOf(r.body)).includes('Gesloten'), from);
    expect(bodyText(cardOf(update.body))).to.contain('Gesloten: geholpen');
    expect((await f.desk.get(id))?.outcome).to.equal('geholpen');
  });

  it('Toewijzen gives the conversation to the colleague picked in the people picker (name from the team roster)', async () => {
    f.connector.members.push({ ...BRAM });
    let from = f.connector.received.length;
    await resident.ask('medewerker');
    const third = await f.connector.waitFor((r) => r.method === 'POST' && r.path === '/v3/conversations', from);
    const root = String(third.response?.activityId);
    const id = (await f.desk.list()).find((e) => e.state === 'waiting')!.id;
    const toewijzen = cardOf(third.body.activity).actions.find((a) => a.title === 'Toewijzen') as { type: string; card: { body: Array<Record<string, unknown>>; actions: Array<{ verb: string }> } };
    expect(toewijzen.type).to.equal('Action.ShowCard');
    expect(toewijzen.card.body[0]['choices.data']).to.deep.equal({ type: 'Data.Query', dataset: 'graph.microsoft.com/users?scope=currentContext' });
    expect(toewijzen.card.actions[0].verb).to.equal('toewijzen');

    from = f.connector.received.length;
    const response = await f.post(cardAction(f.connector.url, root, 'toewijzen', { escalationId: id, toewijzenAan: BRAM.aadObjectId }, ANNA));
    expect(bodyText((response.body as { value: Card }).value)).to.contain(`Overgenomen door ${BRAM.name}`);
    const lookup = await f.connector.waitFor((r) => r.method === 'GET', from);
    expect(lookup.path).to.equal(`/v3/conversations/${TEAM.id}/members/${BRAM.aadObjectId}`);
    expect((await f.desk.get(id))?.claimedBy).to.deep.equal({ id: `teams:${BRAM.aadObjectId}`, name: BRAM.name });
    await f.connector.waitFor((r) => r.method === 'PUT' && r.activityId === root, from);
  });

  it('Toewijzen to someone who is not in the team says so and changes nothing', async () => {
    const id = (await f.desk.list()).find((e) => e.claimedBy?.name === BRAM.name)!.id;
    const post = await new TeamsStore(new LowdbStorage(join(f.dataDir, 'state'))).post(id);
    const response = await f.post(cardAction(f.connector.url, post!.activityId, 'toewijzen', { escalationId: id, toewijzenAan: 'c0000000-0000-4000-8000-00000000000c' }, ANNA));
    expect(bodyText((response.body as { value: Card }).value)).to.contain('Die collega staat niet in dit team');
    expect((await f.desk.get(id))?.claimedBy?.name).to.equal(BRAM.name);
  });

  it('answers an unknown verb with a 400 error invoke response', async () => {
    const response = await f.post(cardAction(f.connector.url, rootId, 'verwijderen', { escalationId }, ANNA));
    expect(response.status).to.equal(400);
    expect(response.body).to.deep.include({ statusCode: 400, type: 'application/vnd.microsoft.error' });
  });
});
