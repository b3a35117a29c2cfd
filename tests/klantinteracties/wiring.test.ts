/**
 * The service as `npm start` builds it, configured for a (stub) Klantinteracties API: a resident
 * makes a melding over the embedded Direct Line and the loket finds it in its own system, with
 * the reference the resident was given; a melding for a municipality without an API stays local.
 */
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import type { RunningApp } from '../../bot/app.js';
import { readKlantinteractiesConfig } from '../../bot/klantinteracties/index.js';
import { DirectLineTestClient } from '../helpers/directline.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { LOKET_ACTOR, waitFor } from './helpers.js';
import { KlantinteractiesStub } from './stub.js';

const isBotMessage = (a: Activity) => a.from?.role === 'bot' && a.type === 'message';

async function turn(client: DirectLineTestClient, text: string, until: RegExp): Promise<string> {
  const id = await client.send(text);
  await client.waitFor((a) => isBotMessage(a) && a.replyToId === id && until.test(a.text ?? ''));
  return client
    .repliesTo(id)
    .filter(isBotMessage)
    .map((a) => a.text ?? '')
    .join('\n');
}

async function makeMelding(server: TestServer, gemeente: string): Promise<string> {
  const client = await DirectLineTestClient.connect(server.url);
  try {
    await client.send({ type: 'event', name: 'webchat/join', value: { gemeente } });
    await turn(client, 'Ik wil een melding doen', /Waar gaat uw melding over/);
    await turn(client, 'Hulp in het huishouden', /eigen woorden/);
    await turn(client, 'Ik kan niet meer stofzuigen. Mijn BSN is 111 222 333.', /geprobeerd/);
    await turn(client, 'niets', /Met wie woont u/);
    await turn(client, 'alleen', /Hoe snel/);
    await turn(client, '2', /Mag ik deze melding/);
    await turn(client, 'ja', /Hoe wilt u/);
    await turn(client, 'Telefoon', /Wanneer/);
    await turn(client, 'In de ochtend', /nummer/);
    const done = await turn(client, '06 12345678', /WMO-2026-/);
    return /WMO-\d{4}-[A-Z0-9]{6}/.exec(done)![0];
  } finally {
    client.end();
  }
}

describe('klantinteracties: wired into the service', function () {
  this.timeout(60_000);
  const stub = new KlantinteractiesStub();
  let server: TestServer;
  // tests/helpers types the app as the server part only; startApp also returns the registry.
  const contacts = () => (server.app as RunningApp).contacts;
  before(async () => {
    await stub.start();
    server = await startTestServer({
      klantinteracties: readKlantinteractiesConfig({
        KLANTINTERACTIES_URL_GM0406: stub.apiRoot,
        KLANTINTERACTIES_TOKEN_GM0406: stub.token,
        KLANTINTERACTIES_ORGANISATORISCHE_EENHEID_GM0406: LOKET_ACTOR,
      }),
    });
  });
  after(async () => {
    await server?.close();
    await stub.stop();
  });

  it('a melding made in the chat arrives as klantcontact and interne taak, with the reference and the call-back number', async () => {
    const reference = await makeMelding(server, 'GM0406');
    const status = await waitFor(async () => {
      const s = await contacts().outboxStatus();
      return s.sent.some((item) => item.reference === reference) ? s : undefined;
    }, 'the melding to be recorded');
    expect(status.failing).to.deep.equal([]);

    const [kc] = stub.objects('klantcontacten');
    expect(kc.onderwerp).to.equal('Wmo-melding: Hulp in het huishouden');
    expect(kc.inhoud).to.match(/^Situatie: Ik kan niet meer stofzuigen\. Mijn BSN is \[BSN verwijderd\]\./);
    expect(kc.metadata).to.deep.include({ referentie: reference, soort: 'melding', gemeente: 'GM0406', spoed: 'Snel, binnen een paar dagen' });
    const [taak] = stub.objects('internetaken');
    expect(taak.gevraagdeHandeling).to.contain(reference);
    expect(taak.toelichting).to.match(/Bereikbaar: In de ochtend/);
    expect(stub.objects('digitaleadressen').map((a) => a.adres)).to.deep.equal(['0612345678']);
    expect(stub.requests.filter((r) => r.status >= 400)).to.deep.equal([]);
  });

  it('a municipality without an API: the melding is stored as before and nothing is sent', async () => {
    const before = stub.requests.length;
    const reference = await makeMelding(server, 'GM0402');
    expect(reference).to.match(/^WMO-/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stub.requests.length).to.equal(before);
    expect((await contacts().outboxStatus()).pending).to.deep.equal([]);
  });
});
