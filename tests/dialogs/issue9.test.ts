/**
 * Issue 9's failure classes, each in phrasings of our own (not the conversation evaluation's):
 * what a resident would notice, checked on content keys, numbers and meaning.
 */
import { expect } from 'chai';
import { MemoryStorage } from 'botbuilder';
import { buttons, Chat, CONTENT, last, texts, topicOf } from './harness.js';
import { shapeTurn } from '../../dialogs/replies.js';
import { formatHours } from '../../dialogs/socialeKaart.js';

const start = (gemeente = 'GM0406') => Chat.start({ gemeente });

/** What the bot says to `then`, typed right after `first` in a conversation with the given municipality. */
async function replyAfter(gemeente: string, first: string, then: string): Promise<string> {
  const chat = await start(gemeente);
  await chat.say(first);
  return texts(await chat.say(then));
}

describe('issue 9: safety around the edges', () => {
  it('a neighbour who sees neglect (curtains closed, someone shouting at her) gets Veilig Thuis, not only 112', async () => {
    const chat = await start();
    const replies = await chat.say('De oude dame naast ons laat niemand meer binnen, haar gordijnen blijven dicht en haar kleinzoon snauwt steeds tegen haar');
    expect(texts(replies)).to.match(/0800-2000/).and.match(/112/);
  });

  it('an elderly man left in wet clothes by his carer: Veilig Thuis', async () => {
    const chat = await start('GM0402');
    const replies = await chat.say('opa zit de hele dag in een natte broek en zijn verzorger geeft hem zijn medicijnen niet');
    expect(texts(replies)).to.match(/0800-2000/);
  });

  it('after violence, "nowhere to go tonight" gets the opvang for domestic violence, not the night shelter', async () => {
    const chat = await start('GM1942');
    await chat.say('mijn partner heeft me vanavond geschopt');
    const replies = await chat.say('ik kan niet meer terug naar huis, waar moet ik vannacht heen');
    const shelter = CONTENT.safety.violenceShelter.split('.')[0];
    expect(texts(replies)).to.contain(shelter).and.match(/0800-2000/).and.not.match(/Nachtopvang/);
  });

  it('"prima" after a suicidal message in a flow stays with the resident; the flow waits until asked', async () => {
    const chat = await start();
    await chat.sayAll('Hulp in het huishouden', 'De was en het bed');
    await chat.say('soms denk ik dat ik er beter niet meer kan zijn');
    const stay = await chat.say('prima');
    expect(texts(stay)).to.match(/113/).and.not.match(/Sinds wanneer/);
    expect(buttons(last(stay))).to.include('Verder met hulp in het huishouden');
    const back = await chat.say('ik wil graag weer verder met hulp in het huishouden');
    expect(texts(back)).to.match(/Sinds wanneer/);
  });

  it('asking for someone of the municipality after a suicidal message gives the loket, with 113 kept', async () => {
    const chat = await start('GM0317');
    await chat.say('ik wil er niet meer zijn');
    const replies = await chat.say('mag ik iemand van het loket spreken?');
    expect(texts(replies)).to.match(/113/).and.match(/Wmo-loket gemeente Eemnes/);
  });

  it('indirect suicidal thoughts get 113', async () => {
    const chat = await start();
    expect(texts(await chat.say('mijn kinderen zouden beter af zijn zonder mij'))).to.match(/113/);
  });
});

describe('issue 9: a question inside a flow is answered, never stored', () => {
  it('a cost question at a choice question is answered and the same question comes again', async () => {
    const chat = await start();
    await chat.sayAll('Hulp in het huishouden', 'Schoonmaken');
    const replies = await chat.say('moet ik daar zelf voor betalen?');
    expect(texts(replies)).to.match(/€21,80/);
    expect(last(replies).text).to.match(/Sinds wanneer/);
  });

  it('a question at the melding story step does not become the story', async () => {
    const chat = await start();
    await chat.sayAll('Een melding doen', 'Vervoer');
    const replies = await chat.say('hoe lang moet ik wachten op een gesprek?');
    expect(texts(replies)).to.match(/6 weken/);
    expect(last(replies).text).to.match(/eigen woorden/);
  });

  it('a yes/no question at the volunteer hours question is answered (VOG)', async () => {
    const chat = await start('GM1942');
    await chat.sayAll('Vrijwilligerswerk', 'Ik wil vrijwilliger worden', 'Iets met kinderen of jongeren');
    const replies = await chat.say('krijg ik die verklaring omtrent gedrag gratis?');
    expect(texts(replies)).to.match(/VOG/).and.not.match(/begrijp ik niet/);
  });
});

describe('issue 9: asking about the question itself', () => {
  it('"waarom vraagt u dat?" at the household question says why (gebruikelijke hulp) and asks again', async () => {
    const chat = await start();
    await chat.sayAll('Hulp in het huishouden', 'Schoonmaken', 'Een paar weken', 'Tijdelijk');
    const replies = await chat.say('waarom vraagt u dat eigenlijk');
    expect(texts(replies)).to.contain(CONTENT.huishoudelijkeHulp.questions.huishouden.why);
    expect(last(replies).text).to.match(/Wie wonen er/);
  });

  it('asking who can help with the melding, at its first question, gets the local cliëntondersteuning', async () => {
    const chat = await start('GM0402');
    await chat.say('Een melding doen');
    const replies = await chat.say('is er een onafhankelijke ondersteuner die mij hierbij helpt?');
    expect(texts(replies)).to.match(/onafhankelijk/).and.match(/Telefoon: 035 000/);
    expect(last(replies).text).to.match(/Waar gaat uw melding over/);
  });
});

describe('issue 9: needs under another law go to the right place', () => {
  it('a mother who needs care day and night for good: Wlz and the CIZ', async () => {
    const chat = await start('GM0402');
    expect(texts(await chat.say('mijn moeder heeft dementie en heeft 24 uur per dag iemand nodig'))).to.match(/CIZ/).and.match(/Wlz/);
  });

  it('a teenager with autism: the Jeugdwet and the municipality\'s own team', async () => {
    const chat = await start();
    const replies = await chat.say('wij zoeken begeleiding voor onze zoon van 15 met autisme');
    expect(texts(replies)).to.match(/Jeugdwet/).and.match(/Wijkteam/i);
  });

  it('wound care at home: wijkverpleging from the health insurance', async () => {
    const chat = await start();
    expect(texts(await chat.say('wie helpt mij straks thuis met mijn steunkousen'))).to.match(/wijkverpleg/i).and.match(/zorgverzekering/);
  });

  it('no income at all: bijstand under the Participatiewet, at werk en inkomen', async () => {
    const chat = await start();
    expect(texts(await chat.say('ik heb geen inkomsten meer, waar vraag ik bijstand aan?'))).to.match(/Participatiewet/).and.match(/werk en inkomen/);
  });

  it('"wat is de wmo nou precies" explains the Wmo, not the costs', async () => {
    const chat = await start();
    const replies = await chat.say('wat is de wmo nou precies');
    expect(texts(replies)).to.match(/Wet maatschappelijke ondersteuning/).and.not.match(/€21,80/);
  });
});

describe('issue 9: local answers and follow-ups', () => {
  it('the waardering question gets the local amount at once; a passed deadline is said to have passed', async () => {
    const chat = await start('GM1942');
    const replies = texts(await chat.say('wat is de mantelzorgwaardering?'));
    expect(replies).to.match(/Gooise Meren/).and.match(/voorbij/);
  });

  it('"en vorig jaar?" after the abonnementstarief gives the earlier amount', async () => {
    const chat = await start();
    await chat.say('hoeveel is de eigen bijdrage per maand?');
    expect(texts(await chat.say('en vorig jaar?'))).to.match(/€21 per maand/);
  });

  it('"hoe lang duurt dat?" after the bezwaar answer gives the decision term', async () => {
    const chat = await start();
    await chat.say('ik wil bezwaar maken tegen mijn beschikking');
    expect(texts(await chat.say('hoe lang duurt dat?'))).to.match(/12 weken/);
  });

  it('"is een mantelzorger daar ook mee verzekerd?" after the volunteers\' insurance: the answer\'s own sentence, not the onderzoek', async () => {
    const reply = await replyAfter('GM0406', 'ben ik verzekerd als vrijwilliger?', 'is een mantelzorger daar ook mee verzekerd?');
    expect(reply).to.match(/mantelzorgers ook verzekerd/);
    expect(reply).not.to.match(/onderzoek/);
  });
});

describe('issue 9: what a carer says at the start is heard', () => {
  it('a carer whose husband has dementia hears it was heard and gets the local dementia help before the first question', async () => {
    const chat = await start('GM0406');
    const replies = await chat.say('mijn man dementeert en ik zorg alleen voor hem');
    expect(texts(replies)).to.match(/met dementie\?/);
    expect(JSON.stringify(replies.map((r) => r.attachments ?? []))).to.match(/dementie Huizen/);
    expect(last(replies).text).to.match(/Hoeveel uur/);
    expect(replies.length).to.be.at.most(4);
  });

  it('tiredness typed at a button question is heard and the question comes again, not "Kies een van de knoppen"', async () => {
    const chat = await start('GM0406');
    await chat.say('Hulp in het huishouden');
    const replies = await chat.say('ik ben doodmoe, het valt me zo zwaar');
    expect(texts(replies)).to.match(/klinkt zwaar/).and.not.match(/Kies een van de knoppen/);
    expect(last(replies).text).to.match(/Wat lukt niet meer/);
    expect(buttons(last(replies))).to.include('Schoonmaken');
  });

  it('tiredness that picks a button is that answer ("ik ben vaak moe" at "Hoe zwaar")', async () => {
    const chat = await start('GM0406');
    for (const say of ['Mantelzorg', 'Mijn partner', '8 tot 20 uur']) await chat.say(say);
    expect(texts(await chat.say('ik ben er vaak moe van'))).to.match(/mantelzorgconsulent/);
  });

  it('without dementia in the message there is no dementia line', async () => {
    const chat = await start('GM0406');
    expect(texts(await chat.say('ik zorg elke dag voor mijn moeder'))).not.to.match(/dementie/);
  });
});

describe('issue 9, round 11 classes (own phrasings)', () => {
  it('a need that names an aid gets the help for the need, not what the aid costs', async () => {
    const reply = texts(await (await start('GM0406')).say('mijn man zit in een rolstoel en kan niet meer in ons bad'));
    expect(reply).to.match(/woningaanpassing/).and.not.match(/abonnementstarief/);
  });

  it('an unsure question in the volunteer flow is answered from the flow\'s own topic when its words are there', async () => {
    const chat = await start('GM1942');
    for (const say of ['Vrijwilligerswerk', 'Ik wil vrijwilliger worden']) await chat.say(say);
    const reply = texts(await chat.say('ga ik er ook iets mee verdienen?'));
    expect(reply).to.match(/€5,60/).and.not.match(/beschermd wonen/);
  });

  it('"gratis" in a name is no cost question: "wat is gratis hulp van een cliëntondersteuner"', async () => {
    const reply = texts(await (await start('GM0402')).say('wat is gratis hulp van een cliëntondersteuner'));
    expect(reply).to.match(/onafhankelijk/);
  });

  it('a yes/no question without a question mark on a guided topic is answered before the flow is offered', async () => {
    const replies = await (await start('GM0406')).say('ben ik verplicht om mantelzorg te geven');
    expect(texts(replies)).to.match(/vrijwillig/);
    expect(buttons(last(replies))).to.include('Ja, graag');
  });

  it('"wat is een klussendienst": the provision and its local service, though no article is called that', async () => {
    const replies = await (await start('GM0406')).say('wat is nou een klussendienst');
    expect(texts(replies)).to.match(/kleine klusjes/);
    expect(JSON.stringify(replies.map((r) => r.attachments ?? []))).to.match(/Klussendienst Huizen/);
  });

  it('nobody to talk to, in other words ("ik spreek nooit iemand"), is loneliness: De Luisterlijn', async () => {
    expect(texts(await (await start('GM1942')).say('ik spreek nooit iemand meer sinds ik verhuisd ben'))).to.match(/Luisterlijn/);
  });
});

describe('issue 9: local needs get the local service at once (own phrasings)', () => {
  it('"is er iemand die voor mij naar de supermarkt gaat?" in Gooise Meren: the Boodschappendienst with its number', async () => {
    const chat = await start('GM1942');
    const replies = await chat.say('is er iemand die voor mij naar de supermarkt gaat?');
    expect(texts(replies)).to.match(/Boodschappendienst Gooise Meren/).and.match(/035 000 11 99/).and.not.match(/Sinds wanneer/);
  });

  it('a carer who asks what the municipality gives gets the local waardering, not the young-carer text', async () => {
    const chat = await start('GM0402');
    const replies = await chat.say('ik zorg al jaren voor mijn broer, geeft de gemeente daar ook iets voor?');
    expect(texts(replies)).to.match(/Hilversum bedankt mantelzorgers/).and.not.match(/jonge mantelzorger/i);
  });

  it('the steunpunt asked before the town is known comes when the resident names the town', async () => {
    const chat = await Chat.start();
    await chat.say('bij wie kan ik als mantelzorger terecht voor steun?');
    const replies = await chat.say('ik woon in Huizen');
    expect(texts(replies)).to.match(/Steunpunt Mantelzorg Huizen/).and.match(/035 000 11 47/);
  });

  it('a provision the municipality does not give is said so: Eemnes and the verhuiskostenvergoeding', async () => {
    const chat = await start('GM0317');
    const replies = await chat.say('betaalt de gemeente de verhuiskosten als ik naar een gelijkvloers huis moet?');
    expect(texts(replies)).to.match(/Eemnes geeft geen aparte verhuiskostenvergoeding/);
  });

  it('a need the municipality has no service for gets no invented one (no boodschappendienst in Blaricum)', async () => {
    const chat = await start('GM0376');
    const replies = await chat.say('wie kan mijn boodschappen halen?');
    // What a boodschappendienst is, that Blaricum has none we know of, and the loket: no other town's service.
    expect(texts(replies)).to.match(/In Blaricum ken ik hiervoor geen organisatie/).and.match(/Telefoon: 035 000 03 76/);
    expect(texts(replies)).to.not.match(/035 000 11 9[789]|035 000 12 00/);
  });

  it('a volunteer who offers to drive is not sent to a transport service; "lift" in another sense is no ride', async () => {
    const chat = await start('GM0406');
    const volunteer = await chat.say('kan ik bij jullie vrijwilliger worden als chauffeur?');
    expect(texts(volunteer)).to.not.match(/Rijdende Buren/);
    const other = await Chat.start({ gemeente: 'GM0406' });
    expect(texts(await other.say('is er een lift in het gemeentehuis?'))).to.not.match(/Rijdende Buren|vervoersdienst/i);
  });

  it('"en wat kost dat?" after a local answer is about that service, not the costs of the Wmo', async () => {
    const chat = await start('GM1942');
    await chat.say('wie kan er voor mij koken?');
    const replies = await chat.say('en wat kost dat?');
    expect(texts(replies)).to.match(/Maaltijd/).and.match(/per maaltijd/).and.not.match(/abonnementstarief/);
  });

  it('contacts come as one Adaptive Card (only there, with its own plain-text fallback), the buttons on the last message', async () => {
    const chat = await start('GM0402');
    const replies = await chat.say('wie kan er bij mij een rookmelder ophangen?');
    const withCard = replies.filter((r) => r.attachments?.length);
    expect(withCard).to.have.length(1);
    const [card] = withCard[0].attachments!;
    expect(card.contentType).to.equal('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(card.content)).to.match(/Klussendienst Hilversum/).and.match(/035 000 12 23/);
    expect((card.content as { fallbackText: string }).fallbackText).to.match(/Klussendienst Hilversum.*035 000 12 23/);
    expect(withCard[0].text, 'the contact is shown once, in the card').not.to.match(/035 000 12 23/);
    expect(replies.length).to.be.at.most(4);
    expect(buttons(last(replies)).length).to.be.greaterThan(0);
    expect(replies.slice(0, -1).every((r) => !r.suggestedActions)).to.equal(true);
  });
});

describe('issue 9: the question in the message is what gets answered (own phrasings)', () => {
  it('"hoeveel moet ik betalen voor een traplift?" gets the costs with their year, not the traplift text', async () => {
    const chat = await start('GM0402');
    const replies = await chat.say('hoeveel moet ik betalen voor een traplift?');
    expect(texts(replies)).to.match(/€21,80/).and.match(/2026/);
  });

  it('the price of a named kind of help is that help\'s own costs: the regiotaxi per ride, personenalarmering yourself', async () => {
    const taxi = await start('GM0402');
    expect(texts(await taxi.say('wat moet ik betalen als ik met de regiotaxi ga?'))).to.match(/per rit/).and.not.match(/beschermd wonen/i);
    const alarm = await start('GM0402');
    expect(texts(await alarm.say('kost zo\'n alarmknop om je nek geld?'))).to.match(/zelf een bedrag per maand/);
  });

  it('a story about a father who needs a wheelchair that ends in a cost question gets the costs', async () => {
    const chat = await start('GM1942');
    const replies = await chat.say('mijn vader is gevallen en kan niet meer lopen. de fysio zegt dat hij een rolstoel nodig heeft. wat moet hij daarvoor betalen?');
    expect(texts(replies)).to.match(/kostprijs|€21,80|eigen bijdrage/i);
  });

  it('context first, question last: "we hebben alles ingevuld, wanneer horen we het besluit?" gets the 2 weeks', async () => {
    const chat = await start('GM0406');
    const replies = await chat.say('we hebben de aanvraag ingevuld en opgestuurd, wanneer horen we iets van het besluit?');
    expect(texts(replies)).to.match(/2 weken|twee weken/);
  });
});

describe('issue 9: buttons, typed answers, formats', () => {
  it('a turn\'s buttons end up on its last message, and a turn has at most four messages', () => {
    const shaped = shapeTurn([
      { type: 'message', text: 'een', suggestedActions: { actions: [{ type: 'imBack', title: 'A', value: 'A' }], to: [] } },
      { type: 'message', text: 'twee' },
      { type: 'message', text: 'drie' },
      { type: 'message', text: 'vier' },
      { type: 'message', text: 'vijf' },
    ]);
    expect(shaped).to.have.length(4);
    expect(shaped.at(-1)?.suggestedActions?.actions.map((a) => a.title)).to.deep.equal(['A']);
    expect(shaped.slice(0, -1).every((m) => !m.suggestedActions)).to.equal(true);
  });

  it('the huishoudelijke-hulp result keeps its buttons on the last of at most four messages', async () => {
    const chat = await start();
    const replies = await chat.sayAll('Hulp in het huishouden', 'Boodschappen en eten', 'Een paar weken', 'Tijdelijk', 'Mijn partner', 'Nog niets');
    expect(replies.length).to.be.at.most(4);
    expect(buttons(last(replies))).to.include('Een melding doen');
    expect(texts(replies)).to.match(/Boodschappendienst/);
  });

  it('hours typed in words or digits pick the right choice', async () => {
    for (const typed of ['bijna vijftien uur', 'een uur of 3', '40']) {
      const chat = await start();
      await chat.sayAll('Mantelzorg', 'Mijn partner');
      const replies = await chat.say(typed);
      expect(last(replies).text, typed).to.match(/Hoe zwaar/);
    }
  });

  it('a question is not fuzzily taken for a button ("hoe lang duurt het" is not "Langer dan een jaar")', async () => {
    const chat = await start();
    await chat.sayAll('Hulp in het huishouden', 'Schoonmaken');
    const replies = await chat.say('hoe lang duurt het eer er iemand komt');
    expect(last(replies).text).to.match(/Sinds wanneer/);
  });

  it('round-the-clock hours read "dag en nacht", never 00:00-23:59', async () => {
    const chat = await start('GM0402');
    const replies = texts(await chat.say('mijn zus hoort stemmen en is helemaal in de war'));
    expect(replies).to.match(/dag en nacht/).and.not.match(/00:00-23:59/);
  });

  it('hours until midnight read 24:00, not the data\'s 23:59 (the regiotaxi runs 06:00-24:00)', () => {
    const hours = formatHours([{ days: [1, 2, 3, 4, 5, 6, 7], opens: '06:00', closes: '23:59' }], ['ma', 'di', 'wo', 'do', 'vr', 'za', 'zo'], { everyDay: 'elke dag', dayAndNight: 'dag en nacht' });
    expect(hours).to.equal('elke dag 06:00-24:00');
  });

  it('pressing "Mijn partner" raises no safety warning in the log', async () => {
    const warnings: string[] = [];
    const logger = { info: () => undefined, warn: (_o: object, msg?: string) => warnings.push(msg ?? ''), error: () => undefined };
    const chat = await Chat.start({ gemeente: 'GM0406', logger, storage: new MemoryStorage() });
    await chat.sayAll('Mantelzorg');
    const replies = await chat.say('Mijn partner');
    expect(topicOf(last(replies))).to.equal('mantelzorg');
    expect(warnings.filter((w) => /safety/.test(w))).to.deep.equal([]);
  });
});

/*
 * The classes that failed on fresh phrasings, each in several phrasings of our own, written as an
 * older resident would type them (long, informal, typos). What is checked is what the resident
 * notices: the number to call, the fact, the place, the flow question coming back.
 */
describe('issue 9, second round: a bystander describing neglect of an older person', () => {
  const neglect = [
    ['GM0406', 'mijn buurvrouw is 84 en ze ruikt heel erg, draagt al weken dezelfde kleren en ik zie haar nooit eten'],
    ['GM1942', 'mn oude oom woont alleen en het gaat echt niet goed, hij wast zich niet meer en de koelkast is leeg, niemand kijkt naar hem om'],
    ['GM0402', 'ik maak me zorgen om die oude man van nummer 12 hij stinkt en loopt rond in vieze kleren'],
    ['GM0406', 'tante riet wordt zo mager en haar huis is een puinhoop, ze heeft geen bezoek meer'],
    ['GM0417', 'de oude meneer boven mij ziet er slecht uit en is broodmager, ik zie nooit iemand bij hem'],
  ];
  for (const [gemeente, story] of neglect) {
    it(`gets Veilig Thuis, with 112 only for acute danger: "${story.slice(0, 40)}…"`, async () => {
      const replies = await start(gemeente).then((chat) => chat.say(story));
      expect(topicOf(replies[0])).to.equal('veiligheid');
      expect(replies[0].text).to.match(/Veilig Thuis: 0800-2000/).and.match(/gevaar\? Bel (meteen )?112/);
      expect(texts(replies)).not.to.match(/Wat lukt niet meer zo goed in huis/);
      // The wijkteam as the next step, as a card, and the offer of a person last.
      expect(texts(replies)).to.contain(CONTENT.safety.neglectNextStep).and.match(/(Wijkteam|Sociaal Team) \w+/);
      expect(buttons(last(replies)).length).to.be.greaterThan(0);
    });
  }

  it('mail piling up and curtains closed: 112 first (he may have fallen), Veilig Thuis next to it', async () => {
    const replies = await start('GM0402').then((chat) => chat.say('de post van meneer hiernaast stapelt zich op, gordijnen altijd dicht, hij is zo mager geworden en er komt nooit iemand'));
    expect(replies[0].text).to.match(/112/).and.match(/Veilig Thuis: 0800-2000/);
  });

  it('one sign alone is no alarm: a mother who lost weight after an operation is a question for help', async () => {
    const replies = await start().then((chat) => chat.say('mijn moeder is erg mager geworden na haar operatie, kan ze hulp krijgen'));
    expect(texts(replies)).not.to.match(/0800-2000|Bel 112/);
  });
});

describe('issue 9, second round: money and transport are no safety cases', () => {
  for (const question of ['ik heb geen geld meer voor eten deze maand wat moet ik doen', 'kan ik een uitkering krijgen, ik heb geen inkomen meer sinds mijn man overleden is', 'ik kom niet rond, de rekeningen stapelen zich op']) {
    it(`"${question.slice(0, 40)}…" gets the Participatiewet, not Veilig Thuis`, async () => {
      const replies = await start().then((chat) => chat.say(question));
      expect(texts(replies)).to.match(/Participatiewet/).and.not.match(/0800-2000|Bel 112/);
    });
  }

  it('a carer asking for an "uitkering" for the care gets the municipality\'s waardering, not the bijstand', async () => {
    const replies = await start('GM0402').then((chat) => chat.say('krijg ik als mantelzorger een uitkering van de gemeente'));
    expect(texts(replies)).to.match(/Hilversum bedankt mantelzorgers/).and.not.match(/Participatiewet/);
  });

  it('with money trouble in Gooise Meren the local geldzorgen spreekuur comes with it', async () => {
    const replies = await start('GM1942').then((chat) => chat.say('ik kom nooit rond met mijn geld en nu zijn er ook nog schulden'));
    expect(texts(replies)).to.match(/Participatiewet/).and.match(/Spreekuur geldzorgen Gooise Meren/).and.match(/035 000 12 33/);
  });

  for (const question of ['mag mijn hondje mee in de regiotaxi of de bus?', 'mag de kat mee in de buurtbus als ik naar de dierenarts moet', 'mag mn hond mee in de regio taxi']) {
    it(`a pet on the bus is transport: "${question}"`, async () => {
      const replies = await start().then((chat) => chat.say(question));
      expect(topicOf(last(replies))).to.equal('vervoer');
      expect(texts(replies)).not.to.match(/112|113|0800-2000/);
    });
  }

  it('someone else keeping an old man\'s bank card is still Veilig Thuis (recall kept)', async () => {
    const replies = await start().then((chat) => chat.say('mijn opa krijgt zijn geld niet meer, mijn neef houdt zijn bankpas'));
    expect(texts(replies)).to.match(/0800-2000/);
  });
});

describe('issue 9, second round: what the Wmo is and how long the decision takes', () => {
  for (const question of ['wat betekent dat eigenlijk die wmo waar iedereen het over heeft', 'ik snap niet wat de wmo is kunt u dat uitleggen', 'wat houdt die wmo nou in', 'wat is dat nou precies de wmo']) {
    it(`"${question}" gets the plain explanation`, async () => {
      const replies = await start().then((chat) => chat.say(question));
      expect(texts(replies)).to.match(/Wet maatschappelijke ondersteuning/).and.not.match(/Bedoelt u|Waar gaat uw melding over/);
    });
  }

  it('a question about the Wmo\'s costs is still about the costs', async () => {
    const replies = await start().then((chat) => chat.say('wat is de wmo eigen bijdrage'));
    expect(texts(replies)).to.match(/€21,80/);
  });

  for (const question of ['hoe lang mag de gemeente erover doen om te beslissen na mijn aanvraag', 'wanneer moet ik de beschikking uiterlijk hebben', 'ik heb een aanvraag gedaan, binnen hoeveel tijd krijg ik een besluit', 'ik wacht al zo lang op antwoord van de gemeente, wanneer moeten ze beslist hebben', 'wanneer hoor ik of ik de scootmobiel krijg, ik heb de aanvraag al gedaan']) {
    it(`"${question.slice(0, 45)}…" gets 2 weeks after the aanvraag and 6 weeks for the onderzoek, no melding`, async () => {
      const replies = await start().then((chat) => chat.say(question));
      expect(texts(replies)).to.match(/binnen 2 weken/).and.match(/6 weken/).and.not.match(/Waar gaat uw melding over/);
    });
  }

  for (const question of ['ik heb me vorige week gemeld bij de gemeente, wanneer komt dat gesprek nou', 'binnen hoeveel tijd moet het huisbezoek van de gemeente zijn']) {
    it(`"${question.slice(0, 45)}…" gets the 6 weeks for the onderzoek after the melding, no melding flow`, async () => {
      const replies = await start().then((chat) => chat.say(question));
      expect(texts(replies)).to.match(/binnen 6 weken na uw melding/).and.not.match(/Waar gaat uw melding over/);
    });
  }

  it('the time a bezwaar takes is still the bezwaar\'s', async () => {
    const replies = await start().then((chat) => chat.say('hoe lang duurt het bezwaar'));
    expect(texts(replies)).to.match(/op uw bezwaar/).and.not.match(/binnen 2 weken/);
  });
});

describe('issue 9, second round: a place in my town is shown at once', () => {
  const places: Array<[string, string, RegExp]> = [
    ['GM0406', 'is er bij ons een vrijwilligerscentrale', /Vrijwilligerscentrale Huizen/],
    ['GM0402', 'waar is hier het vrijwilligerspunt in de gemeente', /Vrijwilligerscentrale Hilversum/],
    ['GM0406', 'waar zit het wijkteam in mijn dorp', /Sociaal Team Huizen/],
    ['GM0402', 'waar zit de ouderenadviseur', /Ouderenadviseur Hilversum/],
    ['GM0406', 'heeft mijn gemeente ook een klussendienst', /Klussendienst Huizen/],
    ['GM0402', 'heeft hilversum een maatjesproject', /Maatjes voor elkaar Hilversum/],
    ['GM0402', 'waar zit de formulierenhulp', /Formulierenhulp Hilversum/],
    ['GM0376', 'hebben jullie een vrijwilligerscentrale in blaricum', /Vrijwilligerscentrale Blaricum/],
  ];
  for (const [gemeente, question, place] of places) {
    it(`"${question}": the service card, no flow questions`, async () => {
      const replies = await start(gemeente).then((chat) => chat.say(question));
      expect(replies.some((r) => r.attachments?.length)).to.equal(true);
      expect(texts(replies)).to.match(place).and.match(/Telefoon: 035 000/).and.not.match(/Wat past bij u/);
    });
  }
});

describe('issue 9, second round: short follow-ups keep the thread', () => {
  for (const [first, cost] of [['hoe maak ik bezwaar tegen het besluit', 'moet ik daarvoor betalen?'], ['ik wil bezwaar maken', 'kost dat geld?'], ['ben het niet eens met de beslissing, wat kan ik doen', 'en wat kost me dat']]) {
    it(`"${cost}" after the bezwaar answer is about the bezwaar: free`, async () => {
      const chat = await start();
      await chat.say(first);
      const replies = await chat.say(cost);
      expect(texts(replies)).to.match(/gratis/).and.not.match(/respijtzorg|beschermd wonen|abonnementstarief/i);
    });
  }

  it('"moet ik die zelf betalen?" after the mantelzorgmakelaar is about the makelaar, not respijtzorg', async () => {
    const chat = await start();
    await chat.say('wat is een mantelzorgmakelaar');
    const replies = await chat.say('moet ik die zelf betalen?');
    expect(texts(replies)).to.match(/mantelzorgmakelaar/).and.match(/aanvullende zorgverzekering/).and.not.match(/respijtzorg/i);
  });

  it('"wat kost dat?" after the scootmobiel is still the costs of hulpmiddelen, with the year', async () => {
    const chat = await start('GM0402');
    await chat.say('ik zou graag een scootmobiel willen hebben');
    const replies = await chat.say('wat kost dat?');
    expect(texts(replies)).to.match(/€21,80/).and.match(/2026/);
  });

  for (const [gemeente, place] of [['GM0406', 'waar in de buurt?'], ['GM0402', 'is dat hier ook?'], ['GM1942', 'bij ons ook?']]) {
    it(`"${place}" after respijtzorg shows respite places (${gemeente}), with buttons to go on`, async () => {
      const chat = await start(gemeente);
      await chat.say('wat is respijtzorg');
      const replies = await chat.say(place);
      expect(texts(replies)).to.match(/Logeerhuis|Even Vrij|Dagopvang|dagbesteding/i).and.not.match(/Wijkteam|Sociaal Team/);
      expect(buttons(last(replies)).length).to.be.greaterThan(0);
    });
  }

  for (const typed of ['en hoe wordt dat betaald dan', 'wie betaald mijn hulp dan?']) {
    it(`"${typed}" after the pgb answer is its button "Hoe wordt een pgb betaald?": the SVB`, async () => {
      const chat = await start();
      await chat.say('ik wil een persoonsgebonden budget');
      const replies = await chat.say(typed);
      expect(texts(replies)).to.match(/SVB/);
    });
  }

  it('a follow-up button that names another subject is that subject ("Waar vind ik een cliëntondersteuner?" under bezwaar)', async () => {
    const chat = await start();
    await chat.say('ik wil bezwaar maken');
    const replies = await chat.say('Waar vind ik een cliëntondersteuner?');
    expect(topicOf(replies[0])).to.equal('clientondersteuning');
    expect(texts(replies)).to.match(/cliëntondersteuner helpt u/);
  });
});

describe('issue 9, second round: a knowledge question inside a flow is answered there', () => {
  const cases: Array<[string[], string, RegExp, RegExp]> = [
    [['Hulp in het huishouden'], 'wat is een keukentafelgesprek?', /keukentafelgesprek/, /Wat lukt niet meer zo goed in huis/],
    [['Mantelzorg'], 'wat betekent respijtzorg eigenlijk', /neemt iemand anders de zorg/, /Voor wie zorgt u/],
    [['Hulp in het huishouden'], 'hoe lang duurt het onderzoek?', /6 weken/, /Wat lukt niet meer zo goed in huis/],
    [['Hulp in het huishouden', 'Schoonmaken'], 'wat is een beschikking?', /beschikking/, /Sinds wanneer/],
  ];
  for (const [before, question, answer, flowQuestion] of cases) {
    it(`"${question}" is answered, then the flow's question with its buttons on the last message`, async () => {
      const chat = await start();
      await chat.sayAll(...before);
      const replies = await chat.say(question);
      expect(texts(replies)).to.match(answer).and.not.match(/Wilt u eerst/);
      expect(last(replies).text).to.match(flowQuestion);
      expect(buttons(last(replies)).length).to.be.greaterThan(1);
    });
  }
});

describe('issue 9, third round: what the hold-out round 2 found, in other words', () => {
  it('another form of a button word and a month typed at "Sinds wanneer" move the flow on', async () => {
    const chat = await start('GM0402');
    await chat.say('Hulp in het huishouden');
    const since = await chat.say('de boodschap');
    expect(texts(since)).to.match(/Sinds wanneer/);
    const next = await chat.say('al sinds mijn val in augustus');
    expect(texts(next)).to.not.contain(CONTENT.general.choiceRetry.split('.')[0]);
    expect(texts(next)).to.match(/tijdelijk/i);
  });

  it('a follow-up button said again in other words gets that button\'s answer', async () => {
    expect(await replyAfter('GM0402', 'ik wil bezwaar maken tegen het besluit', 'en wat als ik het daarna ook niet eens ben')).to.match(/rechtbank/);
  });

  it('"is dat er ook in <my town>?" after an answer shows the places for that answer in the town', async () => {
    expect(await replyAfter('GM0406', 'wat houdt dagbesteding in', 'zit dat ook in huizen?')).to.contain('Dagbesteding De Haven Huizen');
  });

  it('"hoe bereik ik zo iemand?" after the cliëntondersteuner answer shows where to find one', async () => {
    expect(await replyAfter('GM1942', 'wat is een cliëntondersteuner', 'hoe bereik ik zo iemand')).to.contain('Cliëntondersteuning spreekuur Gooise Meren');
  });

  it('a town and a carer\'s yes/no question in one message get that town\'s waardering at once', async () => {
    const chat = await Chat.start({});
    const replies = await chat.say('ik woon in loosdrecht, krijg ik iets van de gemeente omdat ik voor mijn moeder zorg');
    expect(texts(replies)).to.contain('€80');
  });

  it('a teenager who is stuck goes to the Jeugdwet; a teenager who wants to volunteer does not', async () => {
    const stuck = await start('GM1942');
    expect(texts(await stuck.say('onze dochter van 14 gaat al weken niet meer naar school, wie helpt ons'))).to.match(/Jeugdwet/);
    const volunteer = await start('GM1942');
    expect(texts(await volunteer.say('mijn zoon van 17 wil graag vrijwilliger worden bij de voetbalclub'))).to.not.match(/Jeugdwet/);
  });
});

describe('issue 9, third round: short answers to short follow-ups, and specific local words', () => {
  it('"is dat gratis?" after an answer that says it is free gets that sentence, not the whole answer again', async () => {
    const chat = await start('GM0402');
    const first = await chat.say('ik wil bezwaar maken, hoe gaat dat');
    expect(texts(first)).to.match(/6 weken/);
    const replies = await chat.say('moet ik daar wat voor betalen?');
    expect(texts(replies)).to.match(/gratis/).and.not.match(/6 weken/);
    expect(buttons(last(replies)).length).to.be.greaterThan(0);
  });

  it('a buurtbus question is answered with the town\'s own transport even when the topic guess is unsure', async () => {
    const chat = await start('GM1696');
    const replies = await chat.say('rijdt de buurtbus ook in loosdrecht');
    expect(texts(replies)).to.match(/Buurtbus De Plassenlijn|Vrijwillige vervoersdienst Wijdemeren/);
  });
});

describe('issue 9, fourth round: what the hold-out round 3 found, in other words', () => {
  it('after violence at home, "ik wil hier weg, waar kan ik naartoe" gets the opvang for domestic violence', async () => {
    const chat = await start('GM0406');
    await chat.say('mijn vriend heeft me vannacht geslagen');
    const replies = await chat.say('ik wil hier weg, waar kan ik naartoe');
    const shelter = CONTENT.safety.violenceShelter.split('.')[0];
    expect(texts(replies)).to.contain(shelter).and.not.match(/Nachtopvang|mantelzorg/i);
  });

  it('"wat is kortdurend verblijf?" explains it before any flow question', async () => {
    const chat = await start('GM0402');
    const replies = await chat.say('wat is kortdurend verblijf?');
    expect(texts(replies)).to.match(/Kortdurend verblijf/).and.not.match(/Voor wie zorgt u/);
  });

  it('"tot wanneer" and "hoeveel krijg ik" about the waardering get the local amount and date', async () => {
    const until = await start('GM0376');
    expect(texts(await until.say('tot wanneer loopt de mantelzorgwaardering nog'))).to.contain('15 december 2026');
    const howMuch = await start('GM1696');
    expect(texts(await howMuch.say('hoeveel krijg je van de gemeente als mantelzorger'))).to.contain('€80');
  });

  it('someone who needs care day and night is told about the Wlz and the CIZ', async () => {
    const chat = await start('GM0402');
    expect(texts(await chat.say('mijn vader heeft alzheimer en heeft nu dag en nacht hulp nodig'))).to.match(/CIZ/);
  });

  it('someone who wants to tell their story gets De Luisterlijn first', async () => {
    const chat = await start('GM0406');
    const replies = await chat.say('soms wil ik gewoon even mijn verhaal kwijt');
    expect(texts(replies)).to.contain('088 0767 000');
  });

  it('"waar gaat … over" about a term gets the article that explains it', async () => {
    const chat = await start('GM0402');
    expect(texts(await chat.say('waarover gaat een keukentafelgesprek eigenlijk'))).to.match(/gesprek/).and.match(/onderzoek|6 weken/);
  });

  it('"waar gaat … over" with a known municipality is still a definition, not a place', async () => {
    const chat = await start('GM1942');
    const replies = await chat.say('waar gaat een keukentafelgesprek eigenlijk over');
    expect(texts(replies)).to.match(/keukentafelgesprek/).and.match(/gesprek/);
  });

  it('after "wat is <provision>", "waar is dat hier?" shows that provision\'s places in the town', async () => {
    expect(await replyAfter('GM0402', 'wat is logeeropvang precies?', 'en waar is dat hier?')).to.contain('Logeerhuis De Gooise Hoeve');
  });

  it('a village named in a municipality with several teams gets that village\'s team', async () => {
    const chat = await start('GM1942');
    expect(texts(await chat.say('waar vind ik het wijkteam voor muiderberg'))).to.contain('Wijkteam Muiden en Muiderberg');
  });

  it('"wasgoed" at "Wat lukt niet meer" picks the laundry button', async () => {
    const chat = await start('GM1942');
    await chat.say('Hulp in het huishouden');
    expect(texts(await chat.say('het wasgoed'))).to.match(/Sinds wanneer/);
  });
});

describe('issue 9, fifth round: what the hold-out round 4 found, in other words', () => {
  it('after violence, "ik durf niet naar huis" also gets the opvang when only the safety net hears it', async () => {
    expect(await replyAfter('GM0402', 'mijn vrouw slaat me als ze gedronken heeft', 'ik wil vannacht niet thuis slapen')).to.contain(CONTENT.safety.violenceShelter.split('.')[0]);
  });

  it('a question about the nursing home is answered with the Wlz, not with the general safety numbers', async () => {
    const chat = await start('GM0406');
    const replies = await chat.say('mijn vader kan niet meer alleen gelaten worden, moet hij naar het verpleeghuis');
    expect(texts(replies)).to.match(/CIZ/);
  });

  it('a button under the answer asked without its subject ("kan ik die huren?") gets that button\'s answer', async () => {
    expect(await replyAfter('GM0406', 'wat is een rollator precies', 'kan ik er ook een lenen?')).to.contain('Uitleen hulpmiddelen Huizen');
  });

  it('"wat kost dat?" after an answer that says nothing about costs gets the costs of what it is about', async () => {
    expect(await replyAfter('GM1942', 'wat houdt dagbesteding in', 'en wat kost dat?')).to.match(/€21,80/).and.match(/2026/);
  });

  it('"wie beslist over …" gets the beschikking answer before any melding question', async () => {
    const chat = await start('GM0406');
    const replies = await chat.say('wie beslist over de aanvraag van mijn moeder');
    expect(texts(replies)).to.match(/2 weken/).and.not.match(/Waar gaat uw melding over/);
  });

  it('"rijdt er een buurtbus in <village>" is a question: the village\'s buurtbus and rijdienst', async () => {
    const chat = await start('GM1696');
    expect(texts(await chat.say('rijdt er een buurtbus in loosdrecht'))).to.contain('Buurtbus De Plassenlijn');
  });
});

describe('issue 9, sixth round: what the hold-out round 5 found, in other words', () => {
  it('violence told inside a flow ("smijt met borden naar me") gets Veilig Thuis, not "Kies een van de knoppen"', async () => {
    const chat = await start('GM0402');
    await chat.say('Hulp in het huishouden');
    const reply = texts(await chat.say('mijn man smijt met borden naar me als hij boos is'));
    expect(reply).to.match(/0800-2000/).and.not.match(/Kies een van de knoppen/);
  });

  it('asking in the mantelzorg flow whether the gemeente gives something gets the local waardering, and the flow asks on', async () => {
    const chat = await start('GM0406');
    await chat.say('Mantelzorg');
    await chat.say('Mijn vader of moeder');
    const replies = await chat.say('geeft de gemeente daar ook iets voor?');
    expect(texts(replies)).to.contain('€100');
    expect(last(replies).text).to.contain(CONTENT.mantelzorg.questions.uren.text);
  });

  it('a cost follow-up after a provision answer gets that provision\'s costs, not another subject', async () => {
    const reply = await replyAfter('GM0402', 'wat is personenalarmering', 'is dat gratis?');
    expect(reply).to.contain('per maand').and.not.match(/SVB|pgb/);
  });

  it('"en waar is dat bij mij?" after an article gets the places for its subject, and no places for its words "buurt"', async () => {
    const reply = await replyAfter('GM0406', 'wat is respijtzorg', 'en waar is dat bij mij?');
    expect(reply).to.match(/Logeerhuis|Even Vrij/).and.not.contain('Buurteettafel');
  });

  it('"waar gaat zo\'n … over" asks what something is: the article that explains it', async () => {
    const chat = await start('GM0402');
    expect(texts(await chat.say("waar gaat zo'n keukentafelgesprek eigenlijk over?"))).to.contain('keukentafelgesprek').and.not.contain('Bij u in de buurt');
  });

  it('an angry resident who has waited long for a decision gets the decision terms, not those of a bezwaar', async () => {
    const chat = await start('GM1942');
    const reply = texts(await chat.say('WE WACHTEN AL TWEE MAANDEN OP HET BESLUIT OVER DE TRAPLIFT'));
    expect(reply).to.contain('2 weken').and.not.match(/op uw bezwaar/);
  });

  it('"wat kost dat?" after an article on two provisions names the article\'s subject, not only one of them', async () => {
    const reply = await replyAfter('GM0406', 'wat houdt dagbesteding in', 'wat moet ik daarvoor betalen?');
    expect(reply).to.contain('€21,80').and.not.contain('Individuele begeleiding');
  });

  it('feeling low ("ik ben de laatste tijd zo neerslachtig") gets De Luisterlijn, not a provision', async () => {
    const chat = await start('GM0406');
    expect(texts(await chat.say('ik ben de laatste tijd zo neerslachtig'))).to.contain('088 0767 000');
  });
});

describe('issue 9, seventh round: what the hold-out round 6 found, in other words', () => {
  it('"bij welke wet hoort …" gets the overview of the laws (Regelhulp), not the start of a melding', async () => {
    const chat = await start('GM0406');
    const reply = texts(await chat.say('bij welke wet hoort de zorg voor mijn vader eigenlijk'));
    expect(reply).to.match(/regelhulp/i).and.not.contain(CONTENT.melding.questions.onderwerp.text);
  });

  it('a cost question right after the vervoer answer gets the costs of the regiotaxi it spoke of, not the abonnementstarief', async () => {
    const reply = await replyAfter('GM0406', 'wat is de regiotaxi', 'hoeveel moet ik betalen per rit?');
    expect(reply).to.contain('per rit').and.not.contain('€21,80');
  });

  it('the huishoudelijke-hulp result for the laundry says the was belongs to the help, not only the alfahulp', async () => {
    const chat = await start('GM0406');
    for (const say of ['Hulp in het huishouden', 'wassen en strijken lukt niet meer', 'Een paar maanden', 'Het blijft zo', 'Ik woon alleen']) await chat.say(say);
    expect(texts(await chat.say('Nog niets'))).to.contain(CONTENT.huishoudelijkeHulp.wmoCovers.was);
  });

  it('a typed interest in other words ("met jonge mensen") is taken as the button, not "Kies een van de knoppen"', async () => {
    const chat = await start('GM1942');
    await chat.say('Vrijwilligerswerk');
    await chat.say('Ik wil vrijwilliger worden');
    expect(last(await chat.say('met jonge mensen')).text).to.contain(CONTENT.vrijwilligerswerk.questions.uren.text);
  });
});

describe('issue 9, eighth round: what the hold-out round 7 found, in other words', () => {
  it('a question about the procedure inside a flow ("wat gebeurt er na de melding?") is answered there, not offered as a switch', async () => {
    const chat = await start('GM0402');
    await chat.say('Mantelzorg');
    const replies = await chat.say('wat gebeurt er na mijn melding eigenlijk?');
    expect(texts(replies)).to.match(/onderzoek/).and.not.match(/Wilt u eerst iets weten/);
    expect(last(replies).text).to.contain(CONTENT.mantelzorg.questions.voorWie.text);
  });

  it('"heeft psychische klachten" about a teenager is the Jeugdwet, not a complaint about the help', async () => {
    const chat = await start('GM1942');
    expect(texts(await chat.say('mijn kleindochter van 15 heeft psychische klachten, wie helpt haar'))).to.contain('Jeugdwet').and.not.contain('klacht over uw hulp');
  });

  it('a follow-up about a term ("hoe snel moet dat?") gets the term the last answer states, not another subject\'s', async () => {
    const reply = await replyAfter('GM0406', 'wat is een persoonlijk plan', 'en hoe snel moet ik dat dan inleveren?');
    expect(reply).to.contain('7 dagen').and.not.contain('bezwaar');
  });

  it('"hoe vraag ik die aan?" under the hulpmiddelen answer gets the melding, not the costs', async () => {
    const reply = await replyAfter('GM0402', 'wat is een rollator', 'hoe vraag ik die aan?');
    expect(reply).to.contain('melding').and.not.contain('€21,80');
  });

  it('only a feeling ("ik voel me de laatste tijd zo somber") gets De Luisterlijn and no flow; a feeling with a need gets both', async () => {
    const chat = await start('GM1942');
    const alone = await chat.say('ik voel me de laatste tijd echt zo somber');
    expect(texts(alone)).to.contain('088 0767 000').and.not.contain(CONTENT.mantelzorg.intro);
    const withNeed = await (await start('GM0406')).say('ik voel me zo alleen en ik kan mijn huis niet meer schoonmaken');
    expect(texts(withNeed)).to.contain('088 0767 000').and.contain(CONTENT.huishoudelijkeHulp.intro);
  });

  it('a resident who needs a volunteer driver gets the local driving service, not the regiotaxi', async () => {
    const chat = await start('GM1942');
    await chat.say('Vrijwilligerswerk');
    await chat.say('Ik zoek een vrijwilliger voor mij');
    expect(texts(await chat.say('Vervoer'))).to.contain('Rijdende Buren Gooise Meren').and.not.contain('Regiotaxi');
  });
});

describe('issue 9, ninth round: what the hold-out round 8 found, in other words', () => {
  it('"ik heb geen dak meer boven mijn hoofd" gets the night shelter, not only the general numbers', async () => {
    const chat = await start('GM0402');
    expect(texts(await chat.say('we hebben sinds vandaag geen dak meer boven ons hoofd'))).to.contain(CONTENT.safety.dakloos.split('.')[0]);
  });

  it('asking inside a flow to phone instead gets the loket\'s number, and the flow asks on', async () => {
    const chat = await start('GM0376');
    await chat.say('Hulp in het huishouden');
    const replies = await chat.say('kan ik niet liever bellen met iemand?');
    expect(texts(replies)).to.contain('035 000 03 76');
    expect(buttons(replies.at(-1))).to.include('Schoonmaken');
  });

  it('"hoe kan ik hen bereiken?" after an answer with a phone number gets that sentence', async () => {
    expect(await replyAfter('GM1696', 'wie stuurt de rekening van de eigen bijdrage', 'hoe kan ik hen bereiken?')).to.contain('0800-1925');
  });

  it('"waar kan mijn zoon terecht?" after the young-carer answer gets the place for young carers', async () => {
    expect(await replyAfter('GM0406', 'wat zijn jonge mantelzorgers', 'waar kan mijn zoon terecht?')).to.contain('Steunpunt Jonge Mantelzorgers');
  });

  it('a grandparent at "Voor wie zorgt u?" is "Iemand anders", and the flow asks on', async () => {
    const chat = await start('GM0406');
    await chat.say('Mantelzorg');
    expect(last(await chat.say('voor mijn oma')).text).to.contain(CONTENT.mantelzorg.questions.uren.text);
  });

  it('someone who cannot shower without help is told about the wijkverpleging', async () => {
    const chat = await start('GM0402');
    expect(texts(await chat.say('mijn vader kan niet meer zelf douchen, wie helpt hem'))).to.match(/wijkverpleging/i);
  });
});

