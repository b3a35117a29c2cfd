import { expect } from 'chai';
import { buttons, Chat, CONTENT, contactLine, contentText, knowledge, texts } from './harness.js';

const FIRST_QUESTION = /Wat lukt niet meer zo goed in huis\?/;

describe('dialogs: something else typed in the middle of a flow', () => {
  const inFlow = async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    const start = await chat.say('mn moeder redt het huishouden niet meer');
    expect(texts(start)).to.match(FIRST_QUESTION);
    return chat;
  };

  it('an English question about applying gets the English line first, then the procedure in passing, and the flow asks on', async () => {
    const chat = await inFlow();
    const replies = await chat.say('How do I apply for a wheelchair?');
    expect(replies[0].text).to.match(/English/);
    expect(texts(replies)).to.match(/aanvraag/);
    expect(buttons(replies.at(-1))).to.include('Schoonmaken');
  });

  it('English that is no question gets the English line and the question again, with its buttons', async () => {
    const chat = await inFlow();
    const replies = await chat.say('Hello');
    expect(replies[0].text).to.match(/English/);
    expect(buttons(replies.at(-1))).to.include('Schoonmaken');
  });

  it('a BSN typed as an answer is removed, the resident is told, and the question comes again', async () => {
    const chat = await inFlow();
    const replies = await chat.say('mijn bsn is 111222333');
    expect(replies[0].text).to.match(/BSN weggehaald/);
    expect(buttons(replies.at(-1))).to.include('Schoonmaken');
  });

  it('"wat kost dat?" is answered at once about this flow\'s subject, then the flow asks its question again', async () => {
    const chat = await inFlow();
    const answer = await chat.say('wat kost dat?');
    expect(texts(answer)).to.match(/abonnementstarief/i).and.match(/2026/).and.match(/€21,80/);
    expect(answer.at(-1)?.text).to.match(FIRST_QUESTION);
    expect(buttons(answer.at(-1))).to.include('Schoonmaken');
  });
});

describe('dialogs: safety answers fit what was recognised', () => {
  it('a clear phrase gets its own number first', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    const replies = await chat.say('mijn man slaat me');
    expect(replies[0].text).to.match(/^Bel Veilig Thuis: 0800-2000/);
  });

  it('a worry the classifier flags without a danger phrase gets every number, not just 112', async () => {
    const worry = 'ik voel me niet veilig';
    const { router } = await knowledge();
    // Precondition: only the classifier's net fires on this text (if that changes, pick another example).
    expect(router.understand(worry).safety).to.deep.include({ matched: '' });
    const chat = await Chat.start({ gemeente: 'GM0406' });
    const first = (await chat.say(worry))[0].text ?? '';
    expect(first).to.match(/112/).and.match(/113/).and.match(/0800-2000/);
  });
});

describe('dialogs: after a safety message', () => {
  it('an unclear reply gets a warm answer with the number again, never "I do not understand"', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    await chat.say('ik wil niet meer leven');
    for (const reply of ['ik weet het niet', 'nee']) {
      const replies = await chat.say(reply);
      expect(texts(replies)).to.match(/113/).and.match(/Luisterlijn/).and.not.match(/begrijp/i);
      expect(buttons(replies.at(-1))).to.include('Een medewerker spreken');
    }
  });

  it('"ja" to the offer of a person gives the loket, after the numbers that are there day and night', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    await chat.say('mijn man slaat me');
    const replies = await chat.say('ja');
    expect(replies[0].text).to.match(/dag en nacht/).and.match(/0800-2000/);
    expect(texts(replies)).to.match(/Wmo-loket gemeente Huizen/);
  });

  it('"stop" gets a kind goodbye with the numbers, not "there is no conversation"', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    await chat.say('ik wil dood');
    const replies = await chat.say('stop');
    expect(texts(replies)).to.match(/113/).and.not.match(/geen gesprek/);
  });
});

describe('dialogs: answers when the words alone find nothing', () => {
  it('disagreeing with a decision gets the bezwaar steps with the 6-week term', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    expect(texts(await chat.say('ik ben het niet eens met de beschikking'))).to.match(/bezwaar/i).and.match(/6 weken/);
  });

  it('an English question on a known topic gets the Dutch answer after the English line', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    const replies = await chat.say('Can I get a wheelchair?');
    expect(replies[0].text).to.match(/English/);
    expect(texts(replies)).to.match(/rolstoel/).and.not.match(/geen goede informatie/);
  });

  it('"Verder met …" typed into an open question re-asks it instead of becoming the answer', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    await chat.sayAll('Ik wil een melding doen', 'Hulp in het huishouden');
    await chat.say('medewerker');
    const replies = await chat.say('Verder met een melding doen');
    expect(texts(replies)).to.match(/eigen woorden/);
    const next = await chat.say('Ik kan niet meer stofzuigen.');
    expect(texts(next)).to.not.match(/eigen woorden/);
  });
});

describe('dialogs: questions about the loket itself', () => {
  for (const [gemeente, name] of [['GM0317', 'Eemnes'], ['GM0402', 'Hilversum']] as const) {
    it(`"wanneer is het loket open?" in ${name} gets that loket's hours and whether it is open now`, async () => {
      const chat = await Chat.start({ gemeente });
      const replies = texts(await chat.say('wanneer is het loket open?'));
      expect(replies).to.match(new RegExp(`Wmo-loket gemeente ${name}`)).and.match(contactLine('hours'));
      const { openNow, closedNow } = CONTENT.general.medewerker;
      expect(replies).to.match(new RegExp(`${contentText(openNow).source}|${contentText(closedNow).source}`));
      expect(replies).to.not.match(/Beschermd wonen/);
    });
  }
});

describe('dialogs: a question on a guided topic is answered first', () => {
  it('"wat is een keukentafelgesprek" gets the article, then the offer to start the melding', async () => {
    const chat = await Chat.start({ gemeente: 'GM0402' });
    const replies = await chat.say('wat is een keukentafelgesprek');
    expect(texts(replies)).to.match(/keukentafelgesprek/).and.match(/onderzoek/);
    expect(buttons(replies.at(-1))).to.deep.equal(['Ja, graag', 'Nee, dank u']);
    expect(texts(await chat.say('ja'))).to.match(/Waar gaat uw melding over/);
  });

  it('a term like "respijtzorg" gets its article; "nee" gets the menu, not a flow', async () => {
    const chat = await Chat.start({ gemeente: 'GM0402' });
    expect(texts(await chat.say('wat is respijtzorg'))).to.match(/neemt iemand anders de zorg/);
    expect(texts(await chat.say('nee'))).to.match(/nog iets anders/);
  });

  it('a statement of need still starts the flow at once', async () => {
    const chat = await Chat.start({ gemeente: 'GM0402' });
    expect(texts(await chat.say('mn moeder kan niet meer zelf schoonmaken'))).to.match(/Sinds wanneer/);
  });
});

describe('dialogs: the municipality in the resident\'s own words', () => {
  it('"ik woon in Bussum" is remembered as Gooise Meren', async () => {
    const chat = await Chat.start();
    expect(texts(await chat.say('ik woon in Bussum'))).to.match(/Gooise Meren/);
    expect(texts(await chat.say('wanneer is het loket open?'))).to.match(/Wmo-loket gemeente Gooise Meren/);
  });

  it('"ik woon in Huizen en zoek het wijkteam" answers with the wijkteam of Huizen, without asking where', async () => {
    const chat = await Chat.start();
    const replies = texts(await chat.say('ik woon in Huizen en zoek het wijkteam'));
    expect(replies).to.match(/Huizen/).and.match(/Telefoon:/).and.not.match(/In welke gemeente|Vertel in welke gemeente/);
  });

  it('moving on from the joined municipality: "ik woon eigenlijk in Blaricum"', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    await chat.say('ik woon eigenlijk in Blaricum');
    expect(texts(await chat.say('wanneer is het loket open?'))).to.match(/Wmo-loket gemeente Blaricum/);
  });
});

describe('dialogs: small talk and things only the loket can do', () => {
  const say = async (text: string) => texts(await (await Chat.start({ gemeente: 'GM0406' })).say(text));
  it('thanks gets "graag gedaan", goodbye gets "tot ziens"', async () => {
    expect(await say('dank je wel')).to.match(/^Graag gedaan/);
    expect(await say('doei')).to.match(/^Tot ziens/);
  });
  it('a bare "ja" or "ok" with nothing open gets the menu, not "I do not understand"', async () => {
    for (const text of ['ja', 'ok']) expect(await say(text)).to.match(/Waar kan ik u mee helpen/).and.not.match(/begrijp/);
  });
  it('asking about one\'s own file or a call-back says the bot cannot, and gives the loket', async () => {
    for (const text of ['kunt u kijken hoe het met mijn aanvraag staat', 'bel me maar terug']) {
      expect(await say(text)).to.match(/dossier niet inzien/).and.match(/Wmo-loket gemeente Huizen/);
    }
  });
});

describe('dialogs: a complaint is not a bezwaar', () => {
  it('"ik heb een klacht over mijn thuishulp" goes to the organisation and the loket, not to the court steps', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    const replies = texts(await chat.say('ik heb een klacht over mijn thuishulp'));
    expect(replies).to.match(/organisatie zelf/).and.match(/Wmo-loket gemeente Huizen/).and.not.match(/rechtbank/);
  });
  it('disagreeing with a decision still gets the bezwaar steps', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    expect(texts(await chat.say('ik wil bezwaar maken tegen het besluit'))).to.match(/bezwaar/i).and.match(/6 weken/);
  });
});

describe('dialogs: young carers', () => {
  it('"ik zorg al 10 jaar voor mijn man" is a duration: the usual mantelzorg flow', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    expect(texts(await chat.say('ik zorg al 10 jaar voor mijn man'))).to.not.match(/jonge mantelzorger/);
  });

  for (const text of ['ik zorg voor mijn moeder ze is ziek en ik ben 15', 'ik ben 16 en zorg elke dag voor mijn broertje want mama is ziek']) {
    it(`"${text}" gets the young-carer support first, not the adult intake`, async () => {
      const chat = await Chat.start({ gemeente: 'GM0406' });
      const replies = await chat.say(text);
      expect(texts(replies)).to.match(/jonge mantelzorger/).and.not.match(/Voor wie zorgt u/);
      expect(buttons(replies.at(-1))).to.deep.equal(['Ja, graag', 'Nee, dank u']);
    });
  }
});

describe('dialogs: loneliness', () => {
  it('"ik ben zo eenzaam" gets De Luisterlijn and a place to meet people, not "Bedoelt u…?"', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    const replies = texts(await chat.say('ik ben zo eenzaam, ik heb niemand om mee te praten'));
    expect(replies).to.match(/088 0767 000/).and.match(/Bij u in de buurt/).and.not.match(/Bedoelt u/);
  });

  it('a safety signal still comes first when someone lonely speaks of not wanting to live', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    const [first] = await chat.say('ik ben zo eenzaam, ik wil er niet meer zijn');
    expect(first.text).to.match(/113/);
  });
});

describe('dialogs: QA re-run regressions', () => {
  it('grief gets De Luisterlijn, not the household questions', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    const replies = texts(await chat.say('mijn vrouw is overleden en ik mis haar zo'));
    expect(replies).to.match(/Luisterlijn/).and.not.match(/huishouden/);
  });

  it('lonely and a practical need: the Luisterlijn first, then the need is taken up', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    const replies = texts(await chat.say('ik ben eenzaam en kan ook mijn huis niet meer schoonmaken'));
    expect(replies).to.match(/Luisterlijn/).and.match(/Sinds wanneer/);
  });

  it('the topic\'s own name starts its flow at once', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    expect(texts(await chat.say('huishoudelijke hulp'))).to.match(/Wat lukt niet meer/);
  });

  it('after the offer of a flow, an answer to its questions goes into the flow', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    await chat.say('ik zorg voor mijn moeder ze is ziek en ik ben 15');
    expect(texts(await chat.say('moeder'))).to.match(/Voor wie zorgt u/).and.not.match(/begrijp/);
  });

  it('after a safety message, a question the bot half understands is not met with the safety text again', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    await chat.say('ik wil dood');
    expect(texts(await chat.say('wat kost huishoudelijke hulp'))).to.not.match(/Luisterlijn/);
  });

  it('"ik heb geen email" at the contact choice means: call me', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    await chat.sayAll('Een melding doen', 'Vervoer', 'De bus lukt niet meer.', 'niets', '2', '1', 'ja');
    expect(texts(await chat.say('ik heb geen email'))).to.match(/bellen/).and.not.match(/e-mailadres/);
  });

  it('a bare "ja" as the very first message asks how the bot can help', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    expect(texts(await chat.say('ja'))).to.match(/^Waar kan ik u mee helpen/);
  });
});
