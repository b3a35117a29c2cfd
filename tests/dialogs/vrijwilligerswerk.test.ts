import { expect } from 'chai';
import { Chat, buttons, contactLine, knowledge, last, texts } from './harness.js';

const START = 'Vrijwilligerswerk';

describe('dialogs: vrijwilligerswerk', () => {
  it('offers three ways in', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    const replies = await chat.say(START);
    expect(buttons(last(replies))).to.deep.equal([
      'Ik wil vrijwilliger worden',
      'Ik zoek een vrijwilliger voor mij',
      'Onze organisatie zoekt vrijwilligers',
    ]);
  });

  for (const interest of ['Iets met ouderen', 'Iets met kinderen of jongeren', 'Praktisch: klussen of rijden', 'Kantoorwerk of organiseren']) {
    it(`I want to volunteer (${interest}): the vrijwilligerscentrale of my gemeente, then more on request`, async () => {
      const { kb } = await knowledge();
      const chat = await Chat.start({ gemeente: 'GM0406' });
      const replies = await chat.sayAll(START, 'Ik wil vrijwilliger worden', interest, 'Een ochtend of middag');
      const centrale = kb.service(kb.municipality('GM0406')!.settings.vrijwilligerscentraleServiceId)!;
      expect(texts(replies)).to.contain(centrale.name);
      expect(texts(replies)).to.contain(centrale.phones[0].number);
      expect(buttons(last(replies))).to.deep.equal(['Vrijwilligersvergoeding', 'Gratis VOG', 'Verzekering', 'Nee, dank u']);
    });
  }

  it('vergoeding with its year, gratis VOG, insurance, then done', async () => {
    const chat = await Chat.start({ gemeente: 'GM1942' });
    await chat.sayAll(START, '1', '1', '1');
    const vergoeding = texts(await chat.say('vergoeding'));
    expect(vergoeding).to.match(/2025/);
    expect(vergoeding).to.match(/€5,60 per uur/);
    expect(vergoeding).to.match(/€3,30 per uur/);
    expect(vergoeding).to.match(/€210 per maand/);
    expect(vergoeding).to.match(/€2\.100 per jaar/);
    expect(texts(await chat.say('Gratis VOG'))).to.match(/DigiD/);
    expect(texts(await chat.say('verzekering'))).to.match(/VNG Vrijwilligersverzekering/);
    expect(texts(await chat.say('Nee, dank u'))).to.match(/Succes!/);
  });

  for (const need of ['Een maatje voor gezelschap', 'Vervoer', 'Boodschappen', 'Kleine klussen']) {
    it(`I need a volunteer (${need}): organisations with contact details`, async () => {
      const chat = await Chat.start({ gemeente: 'GM0402' });
      const replies = await chat.sayAll(START, 'Ik zoek een vrijwilliger voor mij', need);
      expect(texts(replies)).to.match(contactLine('phone'));
      expect(texts(replies)).to.match(/altijd terugkomen/);
    });
  }

  it('our organisation seeks volunteers: the vrijwilligerscentrale, VOG and insurance', async () => {
    const { kb } = await knowledge();
    const chat = await Chat.start({ gemeente: 'GM0317' });
    const replies = await chat.sayAll(START, 'Onze organisatie zoekt vrijwilligers');
    const centrale = kb.service(kb.municipality('GM0317')!.settings.vrijwilligerscentraleServiceId)!;
    expect(texts(replies)).to.match(/plaatst uw vacature/);
    expect(texts(replies)).to.contain(centrale.phones[0].number);
    expect(texts(await chat.say('VOG'))).to.match(/organisatie moet zich daarvoor aanmelden/);
  });
});
