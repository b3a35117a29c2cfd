/**
 * Contract test: what the assistant records for a closed handoff, a callback request and a
 * melding, sent to a stub of the Klantinteracties API 0.9.0 that validates every request against
 * the published OpenAPI description and answers as the API does.
 */
import { expect } from 'chai';
import { Fixture, LOKET_ACTOR, callback, handoff, melding, useFixture, waitUntilSent } from './helpers.js';

type Json = Record<string, unknown>;
const uuidOf = (value: unknown) => (value as { uuid: string }).uuid;

describe('klantinteracties: the stub checks requests as the API does', () => {
  const f = new Fixture();
  before(() => f.start());
  after(() => f.close());

  async function post(path: string, body: unknown, token: string | null = f.stub.token) {
    const response = await fetch(`${f.stub.apiRoot}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Token ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json };
  }
  const valid = { kanaal: 'chat', onderwerp: 'Vraag', taal: 'nld', vertrouwelijk: true };

  it('401 without the token or with another one', async () => {
    expect((await post('/klantcontacten', valid, null)).status).to.equal(401);
    const wrong = await post('/klantcontacten', valid, 'nope');
    expect(wrong.status).to.equal(401);
    expect(wrong.body.code).to.equal('authentication_failed');
  });

  it('201 with uuid and url for a valid klantcontact; 400 with invalidParams for a broken one', async () => {
    const created = await post('/klantcontacten', valid);
    expect(created.status).to.equal(201);
    expect(created.body.uuid).to.match(/^[0-9a-f-]{36}$/);
    expect(created.body.url).to.equal(`${f.stub.apiRoot}/klantcontacten/${created.body.uuid}`);

    const broken = await post('/klantcontacten', { onderwerp: 'x'.repeat(201), taal: 'nld', vertrouwelijk: 'ja', uuid: created.body.uuid, kanal: 'chat' });
    expect(broken.status).to.equal(400);
    const names = (broken.body.invalidParams as Array<{ name: string }>).map((p) => p.name);
    expect(names).to.include.members(['kanaal', 'onderwerp', 'vertrouwelijk', 'uuid', 'kanal']);
  });

  it('checks enums, references and the actor discriminator', async () => {
    const actor = await post('/actoren', { naam: 'Robot', soortActor: 'robot' });
    expect(actor.status).to.equal(400);
    const medewerker = await post('/actoren', { naam: 'Anna', soortActor: 'medewerker', actorIdentificatie: { functie: 'loket' } });
    expect((medewerker.body.invalidParams as Array<{ name: string }>).map((p) => p.name)).to.include('actorIdentificatie.telefoonnummer');
    const taak = await post('/internetaken', { gevraagdeHandeling: 'Bellen', status: 'open', aanleidinggevendKlantcontact: { uuid: 'geen-uuid' } });
    expect((taak.body.invalidParams as Array<{ name: string }>).map((p) => p.name)).to.include.members(['status', 'aanleidinggevendKlantcontact.uuid']);
  });
});

describe('klantinteracties: what is recorded', () => {
  const fixture = useFixture();
  let f: Fixture;
  beforeEach(() => {
    f = fixture();
  });

  function noRefusals() {
    const refused = f.stub.requests.filter((r) => r.status >= 400);
    expect(refused, JSON.stringify(refused)).to.deep.equal([]);
    for (const request of f.stub.requests) {
      expect(request.authorization).to.equal(`Token ${f.stub.token}`);
    }
  }

  it('a closed handoff: klantcontact, both actors linked, cited articles, the transcript, the resident', async () => {
    expect(await f.registry.recordClosedHandoff(handoff())).to.equal('queued');
    const status = await waitUntilSent(f.registry, ['OVD-2026-7KQ4PM']);
    noRefusals();

    const [kc, ...moreContacts] = f.stub.objects('klantcontacten');
    expect(moreContacts).to.deep.equal([]);
    expect(status.sent[0].klantcontact).to.equal(kc.url);
    expect(kc).to.include({
      kanaal: 'chat',
      onderwerp: 'Hulp in het huishouden',
      inhoud: handoff().summary,
      taal: 'nld',
      vertrouwelijk: true,
      plaatsgevondenOp: '2026-11-30T09:01:30.000Z',
      indicatieContactGelukt: true,
    });
    expect(kc.reactie).to.match(/Uitkomst: geholpen/).and.to.match(/Wat is huishoudelijke hulp\?/);
    expect(kc.metadata).to.deep.include({ referentie: 'OVD-2026-7KQ4PM', uitkomst: 'geholpen', gemeente: 'GM0406' });

    const actoren = f.stub.objects('actoren');
    const bot = actoren.find((a) => a.soortActor === 'geautomatiseerde_actor')!;
    const anna = actoren.find((a) => a.soortActor === 'medewerker')!;
    expect(actoren).to.have.length(2);
    expect(bot.naam).to.equal('Wmo-loket assistent');
    expect(anna).to.deep.include({ naam: 'Anna de Boer', indicatieActief: true });
    expect((anna.actoridentificator as Json).objectId).to.equal('anna');
    const links = f.stub.objects('actorklantcontacten').map((l) => [uuidOf(l.actor), uuidOf(l.klantcontact)]);
    expect(links).to.have.deep.members([
      [bot.uuid, kc.uuid],
      [anna.uuid, kc.uuid],
    ]);

    const onderwerpen = f.stub.objects('onderwerpobjecten');
    expect(onderwerpen.map((o) => (o.onderwerpobjectidentificator as Json).objectId)).to.have.members(['huishoudelijke-hulp-wat', 'wmo-procedure']);
    for (const o of onderwerpen) expect(uuidOf(o.klantcontact)).to.equal(kc.uuid);

    const [bijlage] = f.stub.objects('bijlagen');
    expect(uuidOf(bijlage.wasBijlageVanKlantcontact)).to.equal(kc.uuid);
    expect(bijlage.bijlageidentificator).to.deep.include({ objectId: 'OVD-2026-7KQ4PM', codeObjecttype: 'chattranscript' });

    const [betrokkene] = f.stub.objects('betrokkenen');
    expect(betrokkene).to.deep.include({ rol: 'klant', initiator: true });
    expect(uuidOf(betrokkene.hadKlantcontact)).to.equal(kc.uuid);
    expect(betrokkene.contactnaam).to.deep.equal({ voornaam: 'Jan', voorvoegselAchternaam: 'van der', achternaam: 'Berg' });
    const [telefoon] = f.stub.objects('digitaleadressen');
    expect(telefoon).to.deep.include({ soortDigitaalAdres: 'telefoonnummer', adres: '0612345678' });
    expect(uuidOf(telefoon.verstrektDoorBetrokkene)).to.equal(betrokkene.uuid);
    expect(f.stub.objects('internetaken')).to.deep.equal([]);
    expect(f.stub.objects('partijen'), 'no customer record is made for an unidentified resident').to.deep.equal([]);
  });

  it('a callback request: an interne taak for the loket, linked to its klantcontact, with the number', async () => {
    expect(await f.registry.recordCallback(callback())).to.equal('queued');
    await waitUntilSent(f.registry, ['TBV-2026-3HX9RT']);
    noRefusals();
    const [kc] = f.stub.objects('klantcontacten');
    expect(kc).to.include({ kanaal: 'chat', onderwerp: 'Mantelzorg', inhoud: callback().summary, plaatsgevondenOp: '2026-11-30T10:20:00.000Z' });
    const [taak, ...more] = f.stub.objects('internetaken');
    expect(more).to.deep.equal([]);
    expect(taak).to.deep.include({ status: 'te_verwerken', toegewezenAanActoren: [{ uuid: LOKET_ACTOR }] });
    expect(uuidOf(taak.aanleidinggevendKlantcontact)).to.equal(kc.uuid);
    expect(taak.gevraagdeHandeling).to.match(/Bel de inwoner terug/).and.to.match(/TBV-2026-3HX9RT/);
    expect(taak.toelichting).to.match(/In de ochtend/);
    expect(taak.toelichting, 'the number is at the betrokkene, not in free text').not.to.match(/\d{3}/);
    const [adres] = f.stub.objects('digitaleadressen');
    expect(adres).to.deep.include({ soortDigitaalAdres: 'telefoonnummer', adres: '0351234567' });
    expect(f.stub.objects('actoren').map((a) => a.soortActor)).to.deep.equal(['geautomatiseerde_actor']);
  });

  it('a melding: klantcontact, interne taak (urgent first), and the e-mail address the resident gave', async () => {
    await f.registry.recordMelding(melding({ urgent: true, urgency: 'Nu, het is niet veilig', contact: { email: 'inwoner@example.nl' }, preferredTime: undefined }));
    await waitUntilSent(f.registry, ['WMO-2026-ABCDEF']);
    noRefusals();
    const [kc] = f.stub.objects('klantcontacten');
    expect(kc.onderwerp).to.equal('Wmo-melding: Hulp in het huishouden');
    expect(kc.inhoud).to.match(/^Situatie: Ik kan de was niet meer doen\./);
    const [taak] = f.stub.objects('internetaken');
    expect(taak.gevraagdeHandeling).to.match(/^SPOED: .*WMO-2026-ABCDEF/);
    expect(f.stub.objects('digitaleadressen')).to.have.length(1);
    expect(f.stub.objects('digitaleadressen')[0]).to.deep.include({ soortDigitaalAdres: 'email', adres: 'inwoner@example.nl' });
  });

  it('a melding without a usable contact still reaches the loket, and the task says so', async () => {
    await f.registry.recordMelding(melding({ contact: { phone: 'weet ik niet' } }));
    await waitUntilSent(f.registry, ['WMO-2026-ABCDEF']);
    noRefusals();
    expect(f.stub.objects('betrokkenen')).to.deep.equal([]);
    expect(f.stub.objects('internetaken')[0].toelichting).to.match(/geen bruikbaar telefoonnummer of e-mailadres/);
  });

  it('the bot actor is made once and reused; the same reference twice is recorded once', async () => {
    await f.registry.recordCallback(callback());
    expect(await f.registry.recordCallback(callback())).to.equal('already-queued');
    await f.registry.recordMelding(melding());
    await waitUntilSent(f.registry, ['TBV-2026-3HX9RT', 'WMO-2026-ABCDEF']);
    expect(await f.registry.recordCallback(callback()), 'also after it was sent').to.equal('already-queued');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(f.stub.objects('klantcontacten')).to.have.length(2);
    expect(f.stub.objects('actoren')).to.have.length(1);
    expect(f.stub.objects('internetaken')).to.have.length(2);
  });

  it('keeps no copy of what was sent: the phone number and the summary leave the outbox', async () => {
    await f.registry.recordCallback(callback());
    await waitUntilSent(f.registry, ['TBV-2026-3HX9RT']);
    const stored = JSON.stringify(await f.storage.list('klantinteracties/'));
    expect(stored).to.contain('TBV-2026-3HX9RT');
    expect(stored).not.to.contain('123 45 67');
    expect(stored).not.to.contain('respijtzorg');
    expect(await f.storage.list('klantinteracties/outbox/'), 'a pass reads only what is still to send').to.deep.equal([]);
  });

  it('refuses bad input with a clear error and queues nothing', async () => {
    const error = await f.registry.recordCallback(callback({ contact: {} })).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.match(/phone number or e-mail/);
    const late = await f.registry.recordClosedHandoff(handoff({ closedAt: 'gisteren' })).catch((e: Error) => e.message);
    expect(late).to.match(/closedAt must be an ISO date-time/);
    expect((await f.registry.outboxStatus()).pending).to.deep.equal([]);
  });
});
