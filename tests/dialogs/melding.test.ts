import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LowdbStorage } from '../../bot/storage/index.js';
import { isValidBsn } from '../../knowledge/privacy/redact.js';
import { MeldingStore, type Melding } from '../../dialogs/meldingen.js';
import { Chat, buttons, knowledge, last, texts, topicOf } from './harness.js';

/** A BSN that passes the 11-proef, written the way people type it. */
const BSN = '111222333';
const PHONE = '06 12345678';

async function filesIn(dir: string): Promise<Array<{ name: string; bytes: string }>> {
  const names = await readdir(dir);
  return Promise.all(names.map(async (name) => ({ name, bytes: await readFile(join(dir, name), 'utf8') })));
}

async function storedMeldingen(storage: LowdbStorage): Promise<Melding[]> {
  return (await storage.list(MeldingStore.PREFIX)).map((item) => item.value as unknown as Melding);
}

describe('dialogs: Wmo-melding intake', () => {
  let dir: string;
  let storage: LowdbStorage;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmo-melding-'));
    storage = new LowdbStorage(dir);
  });
  afterEach(async () => {
    await storage.flush();
    await rm(dir, { recursive: true, force: true });
  });

  it('test data: the BSN passes the 11-proef', () => {
    expect(isValidBsn(BSN)).to.equal(true);
  });

  it('collects topic, story, what was tried, household, urgency; asks consent; stores with a reference and the contact', async () => {
    const { kb } = await knowledge();
    const chat = await Chat.start({ storage, gemeente: 'GM0406' });
    expect(last(await chat.say('Een melding doen')).text).to.match(/Waar gaat uw melding over/);
    expect(last(await chat.say('Hulp in het huishouden')).text).to.match(/eigen woorden/);
    expect(last(await chat.say('Ik kan de was en het stofzuigen niet meer doen.')).text).to.match(/geprobeerd/);
    expect(last(await chat.say('De thuiszorg komt al twee keer per week.')).text).to.match(/Met wie woont u/);
    expect(last(await chat.say('alleen')).text).to.match(/Hoe snel/);
    const summary = await chat.say('Snel, binnen een paar dagen');
    expect(texts(summary)).to.match(/Situatie: Ik kan de was en het stofzuigen niet meer doen\./);
    expect(last(summary).text).to.match(/Mag ik deze melding naar het Wmo-loket van Huizen sturen/);
    expect(buttons(last(summary))).to.deep.equal(['Ja, stuur de melding', 'Nee, niet versturen']);
    expect(await storedMeldingen(storage)).to.have.length(0);

    expect(last(await chat.say('Ja, stuur de melding')).text).to.match(/Hoe wilt u/);
    expect(last(await chat.say('Bellen')).text).to.match(/Wanneer/);
    expect(last(await chat.say('In de ochtend')).text).to.match(/Op welk telefoonnummer/);
    const done = await chat.say(PHONE);

    const [melding] = await storedMeldingen(storage);
    expect(melding.reference).to.match(/^WMO-2026-[2-9A-HJKMNP-Z]{6}$/);
    expect(texts(done)).to.contain(melding.reference);
    expect(melding).to.include({ gemeente: 'GM0406', topic: 'huishoudelijke-hulp', spoed: 'snel', huishouden: 'Ik woon alleen' });
    expect(melding.situatie).to.equal('Ik kan de was en het stofzuigen niet meer doen.');
    expect(melding.consent.given).to.equal(true);
    expect(melding.consent.wording).to.match(/Huizen/);
    expect(melding.contact).to.deep.equal({ method: 'telefoon', value: PHONE, when: 'In de ochtend' });

    // What happens next, with the checked terms, and the free cliëntondersteuning of Huizen.
    const next = texts(done);
    expect(next).to.match(/6 weken/);
    expect(next).to.match(/7 dagen/);
    expect(next).to.match(/persoonlijk plan/);
    expect(next).to.match(/cliëntondersteuner/);
    const support = kb.service(kb.municipality('GM0406')!.settings.clientondersteuningServiceId!)!;
    expect(next).to.contain(support.phones[0].number);
    for (const reply of done) expect(topicOf(reply)).to.equal('wmo-melding');

    // The phone number sits in the melding only: never in conversation state.
    await storage.flush();
    for (const file of await filesIn(dir)) {
      if (file.bytes.includes('"meldingen/')) continue;
      expect(file.bytes, file.name).not.to.contain('12345678');
    }
  });

  it('e-mail as the contact: no call time is asked', async () => {
    const chat = await Chat.start({ storage, gemeente: 'GM0402' });
    await chat.sayAll('Een melding doen', 'Vervoer', 'De bus naar de markt lukt niet meer.', 'niets', '2', '1', 'ja');
    expect(last(await chat.say('E-mail')).text).to.match(/e-mailadres/);
    await chat.say('inwoner@example.nl');
    const [melding] = await storedMeldingen(storage);
    expect(melding.contact).to.deep.equal({ method: 'email', value: 'inwoner@example.nl' });
    expect(melding.topic).to.equal('vervoer');
  });

  it('no e-mail address after all: the bot asks for a phone number and stores that', async () => {
    const chat = await Chat.start({ storage, gemeente: 'GM0402' });
    await chat.sayAll('Een melding doen', 'Vervoer', 'De bus naar de markt lukt niet meer.', 'niets', '2', '1', 'ja', 'E-mail');
    expect(texts(await chat.say('ik heb geen email'))).to.match(/belt het loket u/).and.match(/telefoonnummer/i);
    await chat.say(PHONE);
    const [melding] = await storedMeldingen(storage);
    expect(melding.contact).to.include({ method: 'telefoon', value: PHONE });
  });

  it('"Iets anders" as the topic is kept as such', async () => {
    const chat = await Chat.start({ storage, gemeente: 'GM0376' });
    await chat.sayAll('Een melding doen', 'Iets anders', 'Ik weet niet waar ik moet beginnen.', 'niets', '1', '1', 'ja', 'E-mail', 'x@y.nl');
    const [melding] = await storedMeldingen(storage);
    expect(melding).to.include({ topic: 'anders', gemeente: 'GM0376' });
  });

  it('a phone number that is not one is asked again, kindly', async () => {
    const chat = await Chat.start({ storage, gemeente: 'GM0402' });
    await chat.sayAll('Een melding doen', '1', 'De trap lukt niet meer.', 'niets', '1', '1', 'ja', 'Bellen', 'Maakt niet uit');
    const retry = await chat.say('weet ik niet');
    expect(last(retry).text).to.match(/geen telefoonnummer dat ik herken/);
    expect(await storedMeldingen(storage)).to.have.length(0);
    await chat.say('035 123 45 67');
    expect((await storedMeldingen(storage))[0].contact.value).to.equal('035 123 45 67');
  });

  it('no consent: nothing is sent, nothing is kept', async () => {
    const chat = await Chat.start({ storage, gemeente: 'GM0406' });
    const replies = await chat.sayAll('Een melding doen', '1', 'Het huishouden lukt niet.', 'niets', '1', '1', 'Nee, niet versturen');
    expect(texts(replies)).to.match(/ik stuur niets/i);
    expect(await storedMeldingen(storage)).to.have.length(0);
  });

  it('acute urgency: 112 and the loket\'s phone come first', async () => {
    const { kb } = await knowledge();
    const chat = await Chat.start({ storage, gemeente: 'GM0406' });
    const replies = await chat.sayAll('Een melding doen', '1', 'Ik val steeds in huis.', 'niets', '1', 'Nu, het is niet veilig');
    expect(replies[0].text).to.match(/112/);
    expect(replies[0].text).to.contain(kb.municipality('GM0406')!.loket.phone);
  });

  it('a typed BSN and medical details are removed before storage, and the resident is told why', async () => {
    const chat = await Chat.start({ storage, gemeente: 'GM0406' });
    await chat.sayAll('Een melding doen', '1');
    const told = await chat.say(`Mijn moeder heeft dementie. Haar BSN is ${BSN}. Bel me op 0612345678.`);
    expect(texts(told)).to.match(/Ik heb uw BSN weggehaald\. Dat hoeft hier niet\./);
    expect(texts(told)).to.match(/medische gegevens weggehaald/);
    expect(texts(told)).to.match(/telefoonnummer weggehaald/);
    const done = await chat.sayAll(`Ik heb ${BSN.slice(0, 3)}.${BSN.slice(3, 6)}.${BSN.slice(6)} al eens gebeld`, '1', '1', 'ja', 'E-mail', 'a@b.nl');
    expect(texts(done)).to.match(/WMO-2026-/);
    const [melding] = await storedMeldingen(storage);
    expect(melding.situatie).to.equal('Mijn moeder heeft [medisch gegeven verwijderd]. Haar BSN is [BSN verwijderd]. Bel me op [telefoon verwijderd].');
    expect(melding.geprobeerd).to.contain('[BSN verwijderd]');

    await storage.flush();
    for (const file of await filesIn(dir)) {
      expect(file.bytes, file.name).not.to.contain(BSN);
      expect(file.bytes, file.name).not.to.contain('111.222.333');
      expect(file.bytes, file.name).not.to.match(/dementie/i);
    }
  });

  it('a BSN typed anywhere else is named, and never reaches a file or the log', async () => {
    const logged: string[] = [];
    const log = (o: object, msg?: string) => void logged.push(JSON.stringify(o) + (msg ?? ''));
    const chat = await Chat.start({ storage, logger: { info: log, warn: log, error: log } });
    const replies = await chat.say(`mijn bsn is ${BSN}`);
    expect(texts(replies)).to.match(/Ik heb uw BSN weggehaald/);
    await chat.sayAll('Hulp in het huishouden', BSN, `1 ${BSN}`);
    await storage.flush();
    const files = await filesIn(dir);
    expect(files.length).to.be.greaterThan(0);
    for (const file of files) expect(file.bytes, file.name).not.to.contain(BSN);
    await chat.sayAll('stop', 'Een melding doen', '1', 'Huizen', `BSN ${BSN}`, 'niets', '1', '1', 'ja', 'E-mail', 'a@b.nl');
    expect(logged.some((line) => /melding stored/.test(line)), 'the melding was logged').to.equal(true);
    for (const line of logged) expect(line).not.to.contain(BSN);
  });

  it('never asks for a BSN', async () => {
    const chat = await Chat.start({ storage, gemeente: 'GM0406' });
    const replies = await chat.sayAll('Een melding doen', '1', 'Het huishouden lukt niet.', 'niets', '1', '1', 'ja', 'Bellen', '1', PHONE);
    for (const reply of chat.transcript) {
      if (/BSN/.test(reply.text ?? '')) expect(reply.text).to.match(/geen BSN|BSN weggehaald/);
    }
    expect(texts(replies)).to.match(/WMO-2026-/);
  });
});
