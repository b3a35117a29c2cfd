/**
 * When nobody is available, or nobody claims in time (HANDOFF_WAIT_MINUTES), the resident gets a
 * callback request with a reference; the phone number lives only in the callback record.
 */
import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DirectLineTestClient } from '../helpers/directline.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStaff, ConsoleClient } from './console-client.js';
import { botSays, joinQueue, resident, say, wmoTopic } from './resident.js';

async function stateFiles(dataDir: string): Promise<Array<{ name: string; text: string }>> {
  const dir = join(dataDir, 'state');
  return Promise.all((await readdir(dir)).filter((n) => n.endsWith('.json')).map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8') })));
}

describe('handoff: callback requests', function () {
  this.timeout(60_000);
  let server: TestServer;
  const clients: DirectLineTestClient[] = [];

  before(async () => {
    // 0.03 minutes: the wait runs out after about two seconds.
    server = await startTestServer({ handoffWaitMinutes: 0.03 });
    await addStaff(server, 'anna', 'medewerker', ['GM0406'], 'Anna');
    await addStaff(server, 'henk', 'medewerker', ['GM0402'], 'Henk');
  });
  after(async () => {
    for (const c of clients) c.end();
    await server.close();
  });

  it('nobody available: a callback with part of the day and phone, and a reference; the number only in the callback record', async () => {
    const client = await resident(server);
    clients.push(client);
    await say(client, 'Ik wil een medewerker spreken', /Wilt u dat\?/);
    const offer = await say(client, 'Ja, verbind mij door', /terugbelt/);
    const all = client.received.map((a) => a.text ?? '').join('\n');
    expect(all).to.match(/geen medewerker van het Wmo-loket Huizen/);
    expect(offer.suggestedActions?.actions.map((a) => a.title)).to.deep.equal(['Ja, bel mij terug', 'Nee, dank u']);
    await say(client, 'Ja, bel mij terug', /Wanneer belt u het liefst/);
    await say(client, 'In de ochtend', /telefoonnummer/);
    await say(client, 'geen idee', /Nederlands telefoonnummer/);
    const saved = await say(client, '06 12345678', /terugbelverzoek is opgeslagen/);
    expect(wmoTopic(saved)).to.equal('medewerker');
    const reference = /TB-2026-[2-9A-HJ-NP-Z]{6}/.exec(saved.text ?? '')?.[0];
    expect(reference, saved.text).to.be.a('string');
    expect(saved.text).to.match(/in de ochtend/);

    const anna = await ConsoleClient.login(server.url, 'anna');
    const { callbacks } = (await anna.ok('GET', '/loket/api/callbacks')) as { callbacks: Array<Record<string, unknown>> };
    expect(callbacks).to.have.length(1);
    expect(callbacks[0]).to.include({ reference, phone: '06 12345678', dagdeel: 'ochtend', gemeente: 'GM0406', status: 'open' });

    // Someone of another municipality neither sees it nor can mark it done.
    const henk = await ConsoleClient.login(server.url, 'henk');
    expect(((await henk.ok('GET', '/loket/api/callbacks')) as { callbacks: unknown[] }).callbacks).to.deep.equal([]);
    expect((await henk.request('POST', `/loket/api/callbacks/${reference}/done`)).status).to.equal(404);

    const done = (await anna.ok('POST', `/loket/api/callbacks/${reference}/done`)).callback as Record<string, unknown>;
    expect(done).to.include({ status: 'done', doneBy: 'Anna' });

    const files = await stateFiles(server.dataDir);
    const withNumber = files.filter((f) => f.text.includes('12345678'));
    expect(withNumber.map((f) => f.name)).to.have.length(1);
    expect(withNumber[0].name).to.match(/^handoff_callback_TB-2026/);
  });

  /** Someone is available but nobody claims: the resident waits until the callback is offered. */
  async function waitTooLong(): Promise<{ anna: ConsoleClient; client: DirectLineTestClient; from: number }> {
    const anna = await ConsoleClient.login(server.url, 'anna');
    await anna.ok('POST', '/loket/api/availability', { available: true });
    const client = await resident(server);
    clients.push(client);
    const from = client.received.length;
    await joinQueue(client);
    await botSays(client, /terugbelt/, from);
    return { anna, client, from };
  }

  it('nobody claims in time: the bot offers a callback instead, and "Nee, dank u" gives the loket', async () => {
    const { anna, client, from } = await waitTooLong();
    const timeout = await botSays(client, /Het duurt langer dan/, from);
    expect(wmoTopic(timeout)).to.equal('medewerker');
    const offer = await botSays(client, /terugbelt/, from);
    expect(offer.suggestedActions?.actions.map((a) => a.title)).to.deep.equal(['Ja, bel mij terug', 'Nee, dank u']);
    // It left the waiting list.
    expect(((await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: unknown[] }).handoffs).to.deep.equal([]);
    await say(client, 'Nee, dank u', /Wmo-loket gemeente Huizen/);
    const next = await say(client, 'Wat is een keukentafelgesprek?', /./);
    expect(wmoTopic(next)).to.not.equal('medewerker');
  });

  it('after the timeout, a new question instead of an answer to the offer is answered by the bot', async () => {
    const { client } = await waitTooLong();
    const answer = await say(client, 'Wat is respijtzorg?', /respijt/i);
    expect(wmoTopic(answer)).to.not.equal('medewerker');
  });

  it('after the timeout, "Ja, bel mij terug" leads to a callback linked to the handoff', async () => {
    const { anna, client } = await waitTooLong();
    await say(client, 'Ja, bel mij terug', /Wanneer/);
    await say(client, 'Maakt niet uit', /telefoonnummer/);
    const saved = await say(client, '035-5281234', /TB-2026-/);
    expect(saved.text).to.match(/zo snel als het kan/);
    const { callbacks } = (await anna.ok('GET', '/loket/api/callbacks')) as { callbacks: Array<{ handoffId?: string; phone: string }> };
    const linked = callbacks.find((c) => c.phone === '035-5281234');
    expect(linked?.handoffId).to.be.a('string');
    const handoff = (await anna.ok('GET', `/loket/api/handoffs/${linked!.handoffId}`)).handoff as { status: string; outcome: string };
    expect(handoff).to.include({ status: 'closed', outcome: 'terugbelverzoek' });
  });
});
