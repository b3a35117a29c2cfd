import { expect } from 'chai';
import { Chat, buttons, contactLine, knowledge, last, texts, topicOf } from './harness.js';

const START = 'Mantelzorg';
/** For whom, hours; then the heaviness answer is given per test. */
const INTRO = [START, 'Mijn vader of moeder', 'Meer dan 20 uur'];

describe('dialogs: mantelzorg', () => {
  it('asks for whom, how many hours, how heavy it feels (a simple scale)', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    expect(last(await chat.say(START)).text).to.match(/Voor wie zorgt u/);
    expect(last(await chat.say('moeder')).text).to.match(/Hoeveel uur per week/);
    const scale = last(await chat.say('8 tot 20 uur'));
    expect(scale.text).to.match(/Hoe zwaar/);
    expect(buttons(scale)).to.deep.equal(['Het gaat goed', 'Soms zwaar', 'Vaak zwaar', 'Te zwaar']);
  });

  for (const heavy of ['Vaak zwaar', 'Te zwaar', 'het is vaak zwaar']) {
    it(`"${heavy}" leads to the offer to talk to a consultant today`, async () => {
      const { kb } = await knowledge();
      const chat = await Chat.start({ gemeente: 'GM0406' });
      const offer = await chat.sayAll(...INTRO, heavy);
      expect(texts(offer)).to.match(/niet alleen/);
      expect(last(offer).text).to.match(/vandaag of zo snel mogelijk met een mantelzorgconsulent/);
      const contact = await chat.say('Ja, graag');
      const steunpunt = kb.socialeKaart.services.find((s) => s.id.startsWith('steunpunt-mantelzorg') && s.service_areas.some((a) => a.gemeente === 'GM0406'));
      expect(steunpunt, 'demo data has a steunpunt for Huizen').to.not.equal(undefined);
      expect(texts(contact)).to.contain(steunpunt!.phones[0].number);
      expect(texts(contact)).to.match(/Bel vandaag nog/);
      expect(last(contact).text).to.match(/Waar wilt u meer over weten/);
    });
  }

  it('declining the consultant goes on to the needs', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    await chat.sayAll(...INTRO, 'Te zwaar');
    const replies = await chat.say('Nee, eerst verder kijken');
    expect(texts(replies)).not.to.match(/Bel vandaag nog/);
    expect(last(replies).text).to.match(/Waar wilt u meer over weten/);
  });

  for (const light of ['Het gaat goed', 'Soms zwaar']) {
    it(`"${light}" goes straight to the needs, without the consultant offer`, async () => {
      const chat = await Chat.start({ gemeente: 'GM0406' });
      const replies = await chat.sayAll(...INTRO, light);
      expect(texts(replies)).not.to.match(/mantelzorgconsulent praten/);
      expect(buttons(last(replies))).to.have.length(6);
    });
  }

  it('mantelzorgwaardering: the municipality\'s own form, year and how and until when to apply', async () => {
    const { kb } = await knowledge();
    for (const code of ['GM0406', 'GM0402']) {
      const m = kb.municipality(code)!;
      const w = m.settings.mantelzorgwaardering;
      const chat = await Chat.start({ gemeente: code });
      const all = texts(await chat.sayAll(...INTRO, 'Het gaat goed', 'Mantelzorgwaardering'));
      expect(all).to.contain(w.form);
      expect(all).to.contain(String(w.year));
      expect(all).to.contain(w.howToApply);
      if (w.applyUntil) expect(all).to.match(new RegExp(`tot en met \\d+ \\w+ ${w.applyUntil.slice(0, 4)}`));
      if (m.example) expect(all).to.match(/voorbeeldgegevens/);
    }
  });

  const needs: Array<{ need: string; expect: RegExp; services?: boolean }> = [
    { need: 'Praten met een consulent', expect: /mantelzorgconsulent of het steunpunt/, services: true },
    { need: 'Andere mantelzorgers ontmoeten', expect: /andere mantelzorgers/, services: true },
    { need: 'Ik ben 24 jaar of jonger', expect: /jonge mantelzorger/, services: true },
    { need: 'Werk en zorg', expect: /werkgever[\s\S]*controleer het nummer op mantelzorg\.nl/i },
  ];
  for (const n of needs) {
    it(`need: ${n.need}`, async () => {
      const chat = await Chat.start({ gemeente: 'GM0406' });
      const replies = await chat.sayAll(...INTRO, 'Soms zwaar', n.need);
      expect(texts(replies)).to.match(n.expect);
      if (n.services) expect(texts(replies)).to.match(contactLine('phone'));
      expect(last(replies).text).to.match(/nog iets anders weten/);
    });
  }

  for (const form of ['Logeeropvang', 'Dagbesteding', 'Iemand die thuis de zorg overneemt']) {
    it(`respijtzorg: ${form} with local organisations and who pays`, async () => {
      const chat = await Chat.start({ gemeente: 'GM0406' });
      const first = await chat.sayAll(...INTRO, 'Soms zwaar', 'Even vrij van de zorg');
      expect(texts(first)).to.match(/neemt de zorg even van u over/);
      expect(buttons(last(first))).to.deep.equal(['Logeeropvang', 'Dagbesteding', 'Iemand die thuis de zorg overneemt']);
      const replies = await chat.say(form);
      expect(texts(replies)).to.match(new RegExp(`${contactLine('phone').source}|Wmo-loket`));
      expect(texts(replies)).to.match(/Wlz/);
    });
  }

  it('loops for another need, hands over to the melding, or closes', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    await chat.sayAll(...INTRO, 'Soms zwaar', 'Werk en zorg');
    expect(last(await chat.say('Ja, iets anders kiezen')).text).to.match(/Waar wilt u meer over weten/);
    await chat.say('Mantelzorgwaardering');
    const melding = await chat.say('Een melding doen');
    expect(texts(melding)).to.match(/melding te maken/);
    expect(topicOf(last(melding))).to.equal('wmo-melding');

    const other = await Chat.start({ gemeente: 'GM0406' });
    await other.sayAll(...INTRO, 'Soms zwaar', 'Werk en zorg');
    expect(texts(await other.say('Nee, dank u'))).to.match(/Zorg ook goed voor uzelf/);
  });
});
