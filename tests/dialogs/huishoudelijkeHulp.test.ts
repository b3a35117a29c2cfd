import { expect } from 'chai';
import { Chat, buttons, knowledge, last, paragraphs, texts, topicOf } from './harness.js';

const START = 'Hulp in het huishouden';

describe('dialogs: huishoudelijke hulp', () => {
  it('asks what, since when, how long, who lives there, what is arranged; then the gemeente, once', async () => {
    const chat = await Chat.start();
    expect(last(await chat.say(START)).text).to.match(/Wat lukt niet meer/);
    expect(last(await chat.say('Schoonmaken')).text).to.match(/Sinds wanneer/);
    expect(last(await chat.say('Een paar maanden')).text).to.match(/tijdelijk/i);
    expect(last(await chat.say('Het blijft zo')).text).to.match(/Wie wonen er/);
    expect(last(await chat.say('Ik woon alleen')).text).to.match(/Wat is er al geregeld/);
    const gemeente = last(await chat.say('Nog niets'));
    expect(gemeente.text).to.match(/In welke gemeente/);
    expect(buttons(gemeente)).to.include.members(['Huizen', 'Hilversum', 'Gooise Meren', 'Blaricum', 'Laren', 'Eemnes', 'Wijdemeren']);
    const answer = await chat.say('Huizen');
    expect(texts(answer)).to.match(/Ik onthoud dat u in Huizen woont/);
    expect(last(answer).text).to.match(/Wat wilt u nu doen/);

    // The gemeente is remembered for the conversation: a second flow does not ask again.
    await chat.say('stop');
    const again = await chat.sayAll(START, '1', '1', '1', '1', '1');
    expect(texts(again)).not.to.match(/In welke gemeente/);
    expect(last(again).text).to.match(/Wat wilt u nu doen/);
  });

  it('ends in concrete next steps: general provisions first, procedure, costs with the year, cliëntondersteuning', async () => {
    const { kb } = await knowledge();
    const chat = await Chat.start({ gemeente: 'GM0406' });
    const replies = await chat.sayAll(START, 'Schoonmaken', 'Een paar weken', 'Het blijft zo', 'Ik woon alleen', 'Nog niets');
    const all = texts(replies);
    const huizen = kb.municipality('GM0406')!;

    const general = kb.provisions.filter(
      (p) => p.kind === 'algemene voorziening' && p.topics.includes('huishoudelijke-hulp') && p.availability.some((a) => a.gemeente === 'GM0406' && a.available),
    );
    expect(general.length, 'demo data has general provisions for Huizen').to.be.greaterThan(0);
    const provisionMessage = replies.find((r) => r.text?.includes(general[0].name))!;
    expect(provisionMessage, 'names a general provision').to.not.equal(undefined);
    // General provisions come before the procedure.
    expect(all.indexOf(general[0].name)).to.be.lessThan(all.indexOf('6 weken'));
    // The provision message cites its sources the Web Chat / Teams way.
    const citation = provisionMessage.entities?.find((e) => e.type === 'https://schema.org/Message') as unknown as { citation: Array<{ position: number; appearance: { url?: string } }> };
    expect(citation.citation[0].position).to.equal(1);
    expect(provisionMessage.text).to.contain('[1]');

    expect(all).to.match(/€21,80 per maand/);
    expect(all).to.match(/2026/);
    expect(all).to.match(/CAK/);
    const support = kb.service(huizen.settings.clientondersteuningServiceId!)!;
    expect(all).to.contain(support.phones[0].number);
    expect(all).not.to.match(/gebruikelijke hulp/i); // lives alone
    expect(buttons(last(replies))).to.deep.equal(['Een melding doen', 'Een medewerker spreken', 'Nee, dank u']);
    for (const reply of replies) {
      expect(paragraphs(reply.text), reply.text).to.be.at.most(3);
      expect(topicOf(reply)).to.equal('huishoudelijke-hulp');
    }
  });

  const branches: Array<{ name: string; answers: string[]; expect: RegExp; not?: RegExp }> = [
    { name: 'temporary (after a hospital stay)', answers: ['1', '1', 'Tijdelijk', '1', '1'], expect: /tijdelijke hulp geven/, not: /gebruikelijke hulp/ },
    { name: 'lasting', answers: ['1', '1', 'Het blijft zo', '1', '1'], expect: /6 weken/, not: /tijdelijke hulp geven/ },
    { name: 'not known whether temporary', answers: ['1', '1', 'Weet ik niet', '1', '1'], expect: /6 weken/, not: /tijdelijke hulp geven/ },
    { name: 'lives with a partner: gebruikelijke hulp', answers: ['1', '1', '2', 'Mijn partner', '1'], expect: /gebruikelijke hulp/ },
    { name: 'lives with children: gebruikelijke hulp', answers: ['1', '1', '2', 'kinderen', '1'], expect: /gebruikelijke hulp/ },
    { name: 'someone else in the house', answers: ['1', '1', '2', 'Iemand anders', '1'], expect: /gebruikelijke hulp/ },
    { name: 'already has Wmo help', answers: ['1', '1', '2', '1', 'Ik heb al hulp van de gemeente'], expect: /kijkt de gemeente opnieuw/ },
    { name: 'family helps', answers: ['Van alles een beetje', '3', '2', '1', 'Familie of buren helpen'], expect: /6 weken/, not: /kijkt de gemeente opnieuw/ },
    { name: 'pays own help', answers: ['De was en het bed', '2', '2', '1', 'Ik betaal zelf een hulp'], expect: /€21,80/ },
  ];
  for (const branch of branches) {
    it(`branch: ${branch.name}`, async () => {
      const chat = await Chat.start({ gemeente: 'GM0402' });
      await chat.sayAll(START, ...branch.answers);
      const all = texts(chat.transcript);
      expect(all).to.match(branch.expect);
      if (branch.not) expect(all).not.to.match(branch.not);
    });
  }

  it('"Een melding doen" starts the melding with the topic filled in', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    await chat.sayAll(START, '1', '1', '1', '1', '1');
    const replies = await chat.say('Een melding doen');
    expect(texts(replies)).to.match(/melding te maken/);
    expect(last(replies).text).to.match(/eigen woorden/); // topic and gemeente are not asked again
    expect(topicOf(last(replies))).to.equal('wmo-melding');
  });

  it('"Een medewerker spreken" gives the loket contact and says honestly whether it is open', async () => {
    const { kb } = await knowledge();
    const chat = await Chat.start({ gemeente: 'GM0406' });
    await chat.sayAll(START, '1', '1', '1', '1', '1');
    const replies = await chat.say('Een medewerker spreken');
    expect(texts(replies)).to.contain(kb.municipality('GM0406')!.loket.phone!);
    expect(texts(replies)).to.match(/nu open/);
    expect(texts(replies)).to.match(/nog niet doorverbinden/);
  });

  it('"Nee, dank u" closes kindly', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    await chat.sayAll(START, '1', '1', '1', '1', '1');
    expect(texts(await chat.say('nee'))).to.match(/altijd terugkomen/);
  });

  it('a resident from outside the region is told where to go', async () => {
    const chat = await Chat.start();
    const replies = await chat.sayAll(START, '1', '1', '1', '1', '1', 'Andere gemeente');
    expect(texts(replies)).to.match(/eigen gemeente/);
  });

  it('starts from a question in the resident\'s own words, without asking again what they said', async () => {
    const chat = await Chat.start();
    const replies = await chat.say('Ik kan mijn huis niet meer zelf schoonmaken');
    expect(texts(replies)).to.not.match(/Wat lukt niet meer/);
    expect(last(replies).text).to.match(/Sinds wanneer/);
    expect(topicOf(last(replies))).to.equal('huishoudelijke-hulp');
  });

  it('a statement that names no task still gets the first question', async () => {
    const chat = await Chat.start();
    expect(last(await chat.say('mijn vader redt het huishouden niet meer')).text).to.match(/Wat lukt niet meer/);
  });
});
