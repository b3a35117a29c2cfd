/**
 * Two real clients at once: a resident on the official Direct Line client (botframework-directlinejs)
 * and an employee on the console API with its push stream, through the whole handoff.
 */
import { expect } from 'chai';
import type { DirectLineTestClient } from '../helpers/directline.js';
import { cardText } from '../helpers/cards.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStaff, ConsoleClient } from './console-client.js';
import { botSays, isBotMessage, joinQueue, resident, say, wmoTopic } from './resident.js';

describe('handoff: a live chat between a resident and an employee', function () {
  this.timeout(60_000);
  let server: TestServer;
  const clients: DirectLineTestClient[] = [];
  const consoles: ConsoleClient[] = [];

  before(async () => {
    server = await startTestServer();
    await addStaff(server, 'anna', 'medewerker', ['GM0406'], 'Anna');
  });
  after(async () => {
    for (const c of clients) c.end();
    for (const c of consoles) c.closeStream();
    await server.close();
  });

  it('available → asks → consent → queue place → claim → both ways → hand back → the bot answers again', async () => {
    const anna = await ConsoleClient.login(server.url, 'anna');
    consoles.push(anna);
    await anna.openStream();
    await anna.ok('POST', '/loket/api/availability', { available: true });

    const client = await resident(server);
    clients.push(client);
    await say(client, 'Mantelzorg', /Voor wie/);
    await say(client, 'Mijn partner', /Hoeveel uur/);
    const queued = await joinQueue(client);
    expect(queued.text).to.match(/nummer 1/).and.match(/ongeveer \d+ minuten/);
    expect(wmoTopic(queued)).to.equal('medewerker');

    // The employee hears of it on the push stream and sees it in the list, with topic and summary.
    const pushed = await anna.waitForEvent((e) => e.type === 'queue');
    const { handoffs } = (await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: Array<Record<string, unknown>> };
    expect(handoffs).to.have.length(1);
    const id = handoffs[0].id as string;
    expect(pushed.data.handoffId).to.equal(id);
    expect(handoffs[0]).to.include({ status: 'waiting', gemeente: 'GM0406', gemeenteNaam: 'Huizen', topic: 'mantelzorg', position: 1 });
    expect(handoffs[0].summary).to.match(/Keuzes: Mijn partner\./).and.not.match(/veiligheid/);
    expect(handoffs[0].safety).to.equal(false);

    // A message while waiting gets the place again, and reaches the transcript.
    const waiting = await say(client, 'Hoe lang nog?', /nog in de wachtrij/);
    expect(waiting.text).to.match(/nummer 1/);

    const from = client.received.length;
    const claimed = await anna.request('POST', `/loket/api/handoffs/${id}/claim`);
    expect(claimed.status).to.equal(200);
    const intro = await botSays(client, /Anna van het Wmo-loket Huizen neemt het gesprek over/, from);
    expect(wmoTopic(intro)).to.equal('medewerker');

    const detail = (await anna.ok('GET', `/loket/api/handoffs/${id}`)).handoff as { transcript: Array<{ from: string; text: string }>; summary: string };
    const texts = detail.transcript.map((e) => e.text);
    expect(texts).to.include('Mijn partner');
    expect(texts).to.include('Hoe lang nog?');

    // Resident → employee, on the push stream; the bot stays silent.
    const mark = anna.events.length;
    const beforeResident = client.received.length;
    await client.send('Goedemorgen, mijn partner heeft veel zorg nodig');
    const relayed = await anna.waitForEvent((e) => e.type === 'message' && (e.data.entry as { from: string }).from === 'inwoner', mark);
    expect((relayed.data.entry as { text: string }).text).to.equal('Goedemorgen, mijn partner heeft veel zorg nodig');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.received.slice(beforeResident).filter(isBotMessage)).to.deep.equal([]);

    // Typing both ways.
    const typingMark = anna.events.length;
    await client.send({ type: 'typing' });
    await anna.waitForEvent((e) => e.type === 'typing' && e.data.from === 'inwoner', typingMark);
    const typingFrom = client.received.length;
    await anna.ok('POST', `/loket/api/handoffs/${id}/typing`);
    await client.waitFor((a) => a.type === 'typing' && a.from?.role === 'bot', typingFrom);

    // Employee → resident.
    const answer = client.received.length;
    await anna.ok('POST', `/loket/api/handoffs/${id}/messages`, { text: 'Dag! Ik help u graag. Hoeveel uur per week zorgt u?' });
    const reply = await botSays(client, /Hoeveel uur per week zorgt u/, answer);
    expect(wmoTopic(reply)).to.equal('medewerker');

    // Hand back: the bot says so, and answers the next question itself.
    const back = client.received.length;
    await anna.ok('POST', `/loket/api/handoffs/${id}/release`);
    const returned = await botSays(client, /weer met de digitale assistent/, back);
    expect((returned.suggestedActions?.actions ?? []).length).to.be.greaterThan(2);
    const again = await say(client, 'Wat is respijtzorg?', /respijt/i);
    expect(wmoTopic(again)).to.not.equal('medewerker');
    const list = (await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: unknown[] };
    expect(list.handoffs).to.deep.equal([]);
  });

  it('the resident leaves the queue with "Terug naar de assistent"; the employee no longer sees it', async () => {
    const client = await resident(server);
    clients.push(client);
    await joinQueue(client);
    const anna = await ConsoleClient.login(server.url, 'anna');
    expect(((await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: unknown[] }).handoffs).to.have.length(1);
    await say(client, 'Terug naar de assistent', /niet meer in de wachtrij/);
    expect(((await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: unknown[] }).handoffs).to.deep.equal([]);
    const next = await say(client, 'Wat kost huishoudelijke hulp?', /./);
    expect(wmoTopic(next)).to.not.equal('medewerker');
  });

  it('"stop" leaves the queue too', async () => {
    const client = await resident(server);
    clients.push(client);
    await joinQueue(client);
    await say(client, 'stop', /./);
    const anna = await ConsoleClient.login(server.url, 'anna');
    expect(((await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: unknown[] }).handoffs).to.deep.equal([]);
  });

  /** A resident in a live chat with Anna (who has the push stream open); returns both and the handoff id. */
  async function liveChat(): Promise<{ anna: ConsoleClient; client: DirectLineTestClient; id: string }> {
    const anna = await ConsoleClient.login(server.url, 'anna');
    await anna.openStream();
    consoles.push(anna);
    const client = await resident(server);
    clients.push(client);
    await joinQueue(client);
    const { handoffs } = (await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: Array<{ id: string }> };
    await anna.ok('POST', `/loket/api/handoffs/${handoffs[0].id}/claim`);
    await botSays(client, /neemt het gesprek over/);
    return { anna, client, id: handoffs[0].id };
  }

  it('a safety signal while with a person: the numbers at once, and the employee sees it flagged', async () => {
    const { anna, client, id } = await liveChat();
    const mark = anna.events.length;
    const numbers = await say(client, 'Ik wil niet meer leven', /113/);
    expect(wmoTopic(numbers)).to.equal('veiligheid');
    const flagged = await anna.waitForEvent((e) => e.type === 'message' && (e.data.entry as { safety?: boolean }).safety === true, mark);
    expect((flagged.data.entry as { text: string }).text).to.equal('Ik wil niet meer leven');
    const detail = (await anna.ok('GET', `/loket/api/handoffs/${id}`)).handoff as { safety: boolean };
    expect(detail.safety).to.equal(true);
    await anna.ok('POST', `/loket/api/handoffs/${id}/close`, { outcome: 'doorverwezen' });
    await botSays(client, /afgesloten/);
  });

  it('the transcript is redacted: a phone number typed to the employee is not stored', async () => {
    const { anna, client, id } = await liveChat();
    await client.send('Bel me op 0612345678');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const detail = (await anna.ok('GET', `/loket/api/handoffs/${id}`)).handoff as { transcript: Array<{ text: string }> };
    const all = detail.transcript.map((e) => e.text).join('\n');
    expect(all).to.contain('[telefoon verwijderd]').and.not.contain('0612345678');
    await anna.ok('POST', `/loket/api/handoffs/${id}/close`, { outcome: 'geholpen' });
  });

  it('the employee\'s transcript shows which organisations the bot gave (the contact card\'s plain version)', async () => {
    const anna = await ConsoleClient.login(server.url, 'anna');
    consoles.push(anna);
    await anna.ok('POST', '/loket/api/availability', { available: true });
    const client = await resident(server);
    clients.push(client);
    await say(client, 'waar kan ik een rolstoel lenen', /in de buurt/i);
    await joinQueue(client);
    const { handoffs } = (await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: Array<{ id: string }> };
    const id = handoffs[handoffs.length - 1].id;
    const detail = (await anna.ok('GET', `/loket/api/handoffs/${id}`)).handoff as { transcript: Array<{ from: string; text: string }> };
    const bot = detail.transcript.filter((e) => e.from === 'assistent').map((e) => e.text).join('\n');
    expect(bot).to.contain('Uitleen hulpmiddelen Huizen').and.match(/Telefoon: 035 000 12 15/);
    await anna.ok('POST', `/loket/api/handoffs/${id}/claim`);
    await anna.ok('POST', `/loket/api/handoffs/${id}/close`, { outcome: 'geholpen' });
  });

  it('no consent: the loket\'s phone and whether it is open now, and nothing reaches the console', async () => {
    const anna = await ConsoleClient.login(server.url, 'anna');
    const client = await resident(server);
    clients.push(client);
    const consent = await say(client, 'Ik wil een medewerker spreken', /Wilt u dat\?/);
    expect(consent.text).to.match(/BSN, telefoonnummer of e-mailadres/);
    expect(consent.suggestedActions?.actions.map((a) => a.title)).to.deep.equal(['Ja, verbind mij door', 'Nee, liever niet']);
    const from = client.received.length;
    await say(client, 'Nee, liever niet', /nu (open|gesloten)/);
    const replies = client.received.slice(from);
    const all = replies.map((a) => a.text ?? '').join('\n');
    expect(all).to.match(/dan verbind ik u niet door/);
    expect(replies.map(cardText).join('\n')).to.match(/Telefoon: /);
    expect(((await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: unknown[] }).handoffs).to.deep.equal([]);
  });

  it('asking the loket\'s number gives the number and the hours at once; talking to a person is a button, nothing queued', async () => {
    const anna = await ConsoleClient.login(server.url, 'anna');
    const client = await resident(server);
    clients.push(client);
    const from = client.received.length;
    const last = await say(client, 'wat is het telefoonnummer van het wmo loket?', /nu (open|gesloten)/);
    const replies = client.received.slice(from).filter(isBotMessage);
    expect(replies.map(cardText).join('\n')).to.match(/Telefoon: 035 000 04 06/);
    expect(replies.map((a) => a.text ?? '').join('\n')).not.to.match(/Wilt u dat\?/);
    expect(last.suggestedActions?.actions.map((a) => a.title)).to.deep.equal(['Een medewerker spreken']);
    expect(((await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: unknown[] }).handoffs).to.deep.equal([]);
    await say(client, 'Een medewerker spreken', /Wilt u dat\?/);
  });

  it('a safety signal while waiting: the bot gives the numbers, and the employee sees the conversation flagged', async () => {
    const anna = await ConsoleClient.login(server.url, 'anna');
    const client = await resident(server);
    clients.push(client);
    await joinQueue(client);
    const numbers = await say(client, 'Mijn man slaat me', /Veilig Thuis/);
    expect(wmoTopic(numbers)).to.equal('veiligheid');
    const { handoffs } = (await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: Array<{ id: string; safety: boolean; status: string }> };
    expect(handoffs).to.have.length(1);
    expect(handoffs[0]).to.include({ safety: true, status: 'waiting' });
    await anna.ok('POST', `/loket/api/handoffs/${handoffs[0].id}/close`, { outcome: 'doorverwezen' });
  });

  it('a resident further back is told their new place when the one ahead is taken', async () => {
    const anna = await ConsoleClient.login(server.url, 'anna');
    const first = await resident(server);
    const second = await resident(server);
    clients.push(first, second);
    await joinQueue(first);
    const queued = await joinQueue(second);
    expect(queued.text).to.match(/nummer 2/);
    const { handoffs } = (await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: Array<{ id: string; position: number }> };
    const ahead = handoffs.find((h) => h.position === 1)!;
    const from = second.received.length;
    await anna.ok('POST', `/loket/api/handoffs/${ahead.id}/claim`);
    const update = await botSays(second, /U bent nu nummer 1 in de wachtrij/, from);
    expect(wmoTopic(update)).to.equal('medewerker');
    for (const h of (await anna.ok('GET', '/loket/api/handoffs') as { handoffs: Array<{ id: string }> }).handoffs) {
      await anna.ok('POST', `/loket/api/handoffs/${h.id}/close`, { outcome: 'geholpen' });
    }
  });
});

