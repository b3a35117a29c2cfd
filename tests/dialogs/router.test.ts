import { expect } from 'chai';
import { MemoryStorage } from 'botbuilder';
import { UnansweredStore } from '../../dialogs/unanswered.js';
import { Chat, SUNDAY, buttons, contactLine, knowledge, last, paragraphs, readable, texts, topicOf } from './harness.js';

/** Puts a resident in the middle of the mantelzorg flow, at the "how heavy" question. */
async function inMantelzorg(options: Parameters<typeof Chat.start>[0] = {}): Promise<Chat> {
  const chat = await Chat.start({ gemeente: 'GM0406', ...options });
  await chat.sayAll('Mantelzorg', 'Mijn partner', '8 tot 20 uur');
  return chat;
}

describe('dialogs: the router', () => {
  describe('welcome and the municipality', () => {
    it('welcomes on conversationUpdate: a digital assistant, not a person; no BSN or medical details', async () => {
      const chat = await Chat.start();
      const [welcome, ...rest] = await chat.join();
      expect(rest).to.have.length(0);
      expect(welcome.text).to.match(/digitale assistent/);
      expect(welcome.text).to.match(/geen mens/);
      expect(welcome.text).to.match(/geen BSN/);
      expect(welcome.text).to.match(/medische gegevens/);
      expect(paragraphs(welcome.text)).to.be.at.most(3);
      expect(buttons(welcome)).to.include('Mantelzorg');
    });

    it('a number picks from the welcome buttons', async () => {
      const chat = await Chat.start();
      await chat.join();
      expect(last(await chat.say('2')).text).to.match(/Voor wie zorgt u/);
    });

    it('takes the gemeente from webchat/join and never asks for it', async () => {
      const chat = await Chat.start({ gemeente: 'GM1696' });
      const replies = await chat.sayAll('Vrijwilligerswerk', 'Ik wil vrijwilliger worden');
      expect(texts(replies)).not.to.match(/In welke gemeente/);
      expect(last(replies).text).to.match(/leuk om te doen/);
    });

    it('ignores an unknown gemeente from the page, and then asks', async () => {
      const chat = await Chat.start({ gemeente: 'GM9999' });
      const replies = await chat.sayAll('Vrijwilligerswerk', 'Ik wil vrijwilliger worden');
      expect(last(replies).text).to.match(/In welke gemeente/);
    });

    it('typos and ordinals work for the gemeente too', async () => {
      const chat = await Chat.start();
      await chat.sayAll('Vrijwilligerswerk', '1');
      expect(texts(await chat.say('Hilversm'))).to.match(/Hilversum woont/);
    });
  });

  describe('choices: buttons and typed answers', () => {
    const typed: Array<[string, RegExp]> = [
      ['Vaak zwaar', /niet alleen/],
      ['3', /niet alleen/],
      ['de derde', /niet alleen/],
      ['derde', /niet alleen/],
      ['vaak zwar', /niet alleen/],
      ['Te zwaaar', /niet alleen/],
      ['de laatste', /niet alleen/],
      ['het gaat goed hoor', /Waar wilt u meer over weten/],
      ['1', /Waar wilt u meer over weten/],
    ];
    for (const [answer, expected] of typed) {
      it(`"${answer}"`, async () => {
        const chat = await inMantelzorg();
        expect(texts(await chat.say(answer))).to.match(expected);
      });
    }

    it('something that is no choice is asked again, with the buttons', async () => {
      const chat = await inMantelzorg();
      const retry = last(await chat.say('paars'));
      expect(retry.text).to.match(/Kies een van de knoppen/);
      expect(buttons(retry)).to.have.length(4);
    });
  });

  describe('global words in a flow', () => {
    it('stop ends the flow and says how to start again', async () => {
      const chat = await inMantelzorg();
      expect(texts(await chat.say('stop'))).to.match(/ik stop hiermee[\s\S]*help/i);
      expect(texts(await chat.say('Vaak zwaar'))).not.to.match(/niet alleen/);
    });

    it('opnieuw restarts the flow from its first question', async () => {
      const chat = await inMantelzorg();
      const replies = await chat.say('opnieuw');
      expect(texts(replies)).to.match(/opnieuw met mantelzorg/);
      expect(last(replies).text).to.match(/Voor wie zorgt u/);
    });

    it('terug asks the previous question again, and the flow goes on from there', async () => {
      const chat = await inMantelzorg();
      const back = await chat.say('terug');
      expect(texts(back)).to.match(/vorige vraag/);
      expect(last(back).text).to.match(/Hoeveel uur per week/);
      expect(last(await chat.say('Meer dan 20 uur')).text).to.match(/Hoe zwaar/);
    });

    it('terug at the first question says so', async () => {
      const chat = await Chat.start();
      await chat.say('Mantelzorg');
      const replies = await chat.say('terug');
      expect(texts(replies)).to.match(/eerste vraag/);
      expect(last(replies).text).to.match(/Voor wie zorgt u/);
    });

    it('help explains and asks the open question again', async () => {
      const chat = await inMantelzorg();
      const replies = await chat.say('help');
      expect(texts(replies)).to.match(/bezig met mantelzorg/);
      expect(last(replies).text).to.match(/Hoe zwaar/);
    });

    it('help outside a flow explains what the assistant can do, with buttons', async () => {
      const chat = await Chat.start();
      const reply = last(await chat.say('help'));
      expect(reply.text).to.match(/hulp van de gemeente/);
      expect(buttons(reply)).to.include('Een melding doen');
    });

    it('medewerker: the loket contact, honestly closed on Sunday, then the flow goes on', async () => {
      const { kb } = await knowledge();
      const chat = await inMantelzorg({ now: SUNDAY });
      const replies = await chat.say('medewerker');
      expect(texts(replies)).to.contain(kb.municipality('GM0406')!.loket.phone);
      expect(texts(replies)).to.match(/nu gesloten/);
      expect(texts(replies)).to.match(/verder met mantelzorg/);
      expect(last(replies).text).to.match(/Hoe zwaar/);
      expect(topicOf(replies[0])).to.equal('medewerker');
    });

    it('medewerker without a known gemeente asks for it first', async () => {
      const chat = await Chat.start();
      expect(last(await chat.say('Ik wil een medewerker spreken')).text).to.match(/In welke gemeente/);
      expect(texts(await chat.say('Laren'))).to.match(/Wmo-loket/);
    });
  });

  describe('safety interrupts anything', () => {
    const signals: Array<{ text: string; first: RegExp }> = [
      { text: 'Ik wil niet meer leven', first: /^Denkt u aan zelfdoding\? Bel dan 113 of gratis 0800-0113/ },
      { text: 'Mijn man slaat me', first: /^Bel Veilig Thuis: 0800-2000/ },
      { text: 'Mijn buurman ligt op de grond en ademt niet', first: /112/ },
    ];
    for (const signal of signals) {
      it(`"${signal.text}" in a running flow: the number first, a person offered, the flow kept`, async () => {
        const chat = await inMantelzorg();
        const replies = await chat.say(signal.text);
        expect(replies[0].text).to.match(signal.first);
        expect(topicOf(replies[0])).to.equal('veiligheid');
        expect(buttons(last(replies))).to.deep.equal(['Een medewerker spreken', 'Verder met mantelzorg']);
        const resumed = await chat.say('Verder met mantelzorg');
        expect(last(resumed).text).to.match(/Hoe zwaar/);
        expect(topicOf(last(resumed))).to.equal('mantelzorg');
      });
    }

    it('an offered button is an answer, not a danger signal ("Mijn partner")', async () => {
      const chat = await Chat.start({ gemeente: 'GM0406' });
      await chat.say('Mantelzorg');
      const replies = await chat.say('Mijn partner');
      expect(texts(replies)).not.to.match(/Veilig Thuis|112/);
      expect(last(replies).text).to.match(/Hoeveel uur/);
    });

    it('the classifier\'s safety net alone does not interrupt a resident telling their story', async function () {
      const { router } = await knowledge();
      const story = ['Ik weet niet waar ik moet beginnen.', 'Mijn partner', 'Het gaat thuis niet goed meer.'].find((t) => {
        const safety = router.understand(t).safety;
        return safety !== null && safety.matched === '';
      });
      if (!story) this.skip(); // the router no longer flags any of these without a phrase
      const chat = await Chat.start({ gemeente: 'GM0406' });
      await chat.sayAll('Een melding doen', '1');
      const replies = await chat.say(story!);
      expect(texts(replies)).not.to.match(/112|Veilig Thuis|113/);
      expect(last(replies).text).to.match(/geprobeerd/);
    });

    it('in the middle of the melding story too', async () => {
      const chat = await Chat.start({ gemeente: 'GM0406' });
      await chat.sayAll('Een melding doen', '1');
      const replies = await chat.say('Ik denk aan zelfmoord');
      expect(replies[0].text).to.match(/113/);
      expect(texts(await chat.say('verder'))).to.match(/eigen woorden/);
    });

    it('acute homelessness: the local opvang from the sociale kaart', async () => {
      const chat = await Chat.start({ gemeente: 'GM0402' });
      const replies = await chat.say('Ik heb vannacht geen slaapplek, ik ben dakloos');
      expect(replies[0].text).to.match(/geen veilige plek om te slapen/);
      expect(readable(replies[0])).to.match(new RegExp(`${contactLine('phone').source}|Wmo-loket`));
    });
  });

  describe('a new question in the middle of a flow', () => {
    it('a question on a topic without a flow is answered at once, and the open question comes again', async () => {
      const chat = await inMantelzorg();
      const replies = await chat.say('Hoeveel eigen bijdrage moet ik betalen?');
      expect(texts(replies)).to.match(/abonnementstarief/i).and.match(/2026/);
      expect(last(replies).text).to.match(/Hoe zwaar/);
      expect(buttons(last(replies)).length).to.be.greaterThan(0);
    });

    it('another guided topic is offered as a switch: "Wilt u eerst…?", yes starts it', async () => {
      const chat = await inMantelzorg();
      const offer = last(await chat.say('en hoe zit het met hulp bij het schoonmaken van het huis?'));
      expect(offer.text).to.match(/^Wilt u eerst iets weten over/);
      expect(buttons(offer)).to.deep.equal(['Ja, eerst dat', 'Nee, verder met mantelzorg']);
    });

    it('no goes on with the flow', async () => {
      const chat = await inMantelzorg();
      await chat.say('en hoe zit het met hulp bij het schoonmaken van het huis?');
      const replies = await chat.say('Nee, verder met mantelzorg');
      expect(last(replies).text).to.match(/Hoe zwaar/);
      expect(topicOf(last(replies))).to.equal('mantelzorg');
    });
  });

  describe('confidence bands', () => {
    it('middle: "Bedoelt u…?" with up to three topics and "Geen van deze"; that is stored redacted', async () => {
      const { router } = await knowledge();
      const candidates = [
        'ik heb een vraag over mijn moeder',
        'hoe zit dat met de gemeente',
        'ik weet niet goed wat ik moet doen',
        'kan ik ergens hulp krijgen',
        'mijn vader wordt ouder',
        'wat kan de gemeente doen',
        'ik heb een brief gekregen',
        'mijn vader is slecht ter been',
        'mijn vader kan niet goed lopen',
      ];
      const text = candidates.find((t) => router.understand(t).band === 'middle');
      expect(text, 'one of the examples is in the middle band').to.be.a('string');
      const memory: Record<string, string> = {};
      const chat = await Chat.start({ storage: new MemoryStorage(memory) });
      const offer = last(await chat.say(text!));
      expect(offer.text).to.match(/Bedoelt u/);
      const labels = buttons(offer);
      expect(labels.length).to.be.within(2, 4);
      expect(labels[labels.length - 1]).to.equal('Geen van deze');
      const none = await chat.say('Geen van deze');
      expect(texts(none)).to.match(/bewaard/);
      const keys = Object.keys(memory).filter((k) => k.startsWith(UnansweredStore.PREFIX));
      expect(keys).to.have.length(1);
      expect(JSON.parse(memory[keys[0]])).to.include({ reason: 'geen-van-deze', text: text! });
    });

    it('middle: picking a topic starts it', async () => {
      const { router } = await knowledge();
      const text = ['ik heb een vraag over mijn moeder', 'mijn vader is slecht ter been', 'mijn vader kan niet goed lopen'].find(
        (t) => router.understand(t).band === 'middle',
      );
      const chat = await Chat.start({ gemeente: 'GM0406' });
      const offer = last(await chat.say(text!));
      const [first] = buttons(offer);
      const replies = await chat.say('1');
      expect(replies.length).to.be.greaterThan(0);
      expect(texts(replies)).not.to.match(/Bedoelt u/);
      expect(first).to.be.a('string');
    });

    it('low: says so honestly, offers rephrasing, the loket and a person; stores the question redacted', async () => {
      const memory: Record<string, string> = {};
      const chat = await Chat.start({ storage: new MemoryStorage(memory), gemeente: 'GM0406' });
      const reply = last(await chat.say('xqzt blorp 0612345678'));
      expect(reply.text).to.match(/begrijp ik helaas niet/);
      expect(reply.text).to.match(/035/);
      expect(buttons(reply)).to.deep.equal(['Ik zeg het anders', 'Een medewerker spreken']);
      expect(topicOf(reply)).to.equal('buiten-bereik');
      const key = Object.keys(memory).find((k) => k.startsWith(UnansweredStore.PREFIX))!;
      expect(memory[key]).to.contain('[telefoon verwijderd]');
      expect(memory[key]).not.to.contain('0612345678');
      expect(texts(await chat.say('Ik zeg het anders'))).to.match(/nog een keer/);
    });

    it('English: routed to the topic, with one English line offering help', async () => {
      const chat = await Chat.start();
      const replies = await chat.say('I need help with cleaning my house');
      expect(replies.filter((r) => /[Ee]nglish/.test(r.text ?? ''))).to.have.length(1);
      expect(topicOf(last(replies))).to.equal('huishoudelijke-hulp');
    });
  });

  describe('offers from the previous turn', () => {
    it('a follow-up button under an answer is answered within that topic', async () => {
      const chat = await Chat.start({ gemeente: 'GM0406' });
      const answer = await chat.say('Hoeveel eigen bijdrage moet ik betalen?');
      const followUps = answer.flatMap((r) => buttons(r));
      expect(followUps.length, 'the answer offers follow-up questions').to.be.greaterThan(0);
      const replies = await chat.say(followUps[0]);
      expect(texts(replies)).not.to.match(/begrijp ik helaas niet|Bedoelt u/);
      expect(topicOf(replies[0])).to.equal('kosten');
    });

    it('a clear new question after "Bedoelt u…?" is not taken for "Geen van deze"', async () => {
      const { router } = await knowledge();
      const text = ['mijn vader is slecht ter been', 'mijn vader kan niet goed lopen'].find((t) => router.understand(t).band === 'middle')!;
      const chat = await Chat.start({ gemeente: 'GM0406' });
      await chat.say(text);
      const replies = await chat.say('Hoeveel eigen bijdrage moet ik betalen?');
      expect(texts(replies)).not.to.match(/bewaard/);
      expect(topicOf(replies[0])).to.equal('kosten');
    });

    it('just the name of a municipality is remembered', async () => {
      const chat = await Chat.start();
      expect(texts(await chat.say('Wijdemeren'))).to.match(/Wijdemeren woont/);
      const replies = await chat.sayAll('Vrijwilligerswerk', '1');
      expect(texts(replies)).not.to.match(/In welke gemeente/);
    });
  });

  describe('answers from the knowledge base', () => {
    it('a topic whose answer depends on the municipality asks for it first, then answers with local contacts', async () => {
      const chat = await Chat.start();
      const ask = last(await chat.say('ik wil een pgb'));
      expect(ask.text).to.match(/In welke gemeente/);
      expect(topicOf(ask)).to.equal('pgb');
      const replies = await chat.say('Huizen');
      expect(texts(replies)).to.match(/persoonsgebonden budget|pgb/i);
      expect(replies.some((r) => r.entities?.some((e) => e.type === 'https://schema.org/Message'))).to.equal(true);
      for (const reply of replies) expect(topicOf(reply)).to.equal('pgb');
    });

    it('a national topic is answered without asking the municipality', async () => {
      const chat = await Chat.start();
      const replies = await chat.say('Hoe maak ik bezwaar tegen een beschikking?');
      expect(texts(replies)).not.to.match(/In welke gemeente/);
    });

    it('cite their sources as Web Chat and Teams render them, with [n] markers', async () => {
      const chat = await Chat.start({ gemeente: 'GM0406' });
      const replies = await chat.say('Hoeveel eigen bijdrage moet ik betalen voor de Wmo?');
      const cited = replies.find((r) => r.entities?.some((e) => e.type === 'https://schema.org/Message'));
      expect(cited, 'a cited answer').to.not.equal(undefined);
      const entity = cited!.entities!.find((e) => e.type === 'https://schema.org/Message') as unknown as {
        '@type': string;
        '@context': string;
        citation: Array<{ '@type': string; position: number; appearance: { '@type': string; name: string; url?: string; abstract: string } }>;
      };
      expect(entity['@type']).to.equal('Message');
      expect(entity['@context']).to.equal('https://schema.org');
      entity.citation.forEach((claim, i) => {
        expect(claim['@type']).to.equal('Claim');
        expect(claim.position).to.equal(i + 1);
        expect(claim.appearance['@type']).to.equal('DigitalDocument');
        expect(claim.appearance.name).to.be.a('string').with.length.greaterThan(0);
        expect(claim.appearance.abstract.length).to.be.at.most(160);
        expect(cited!.text).to.contain(`[${i + 1}]`);
      });
      expect(topicOf(cited!)).to.equal('kosten');
      expect(paragraphs(cited!.text)).to.be.at.most(3);
    });
  });
});
