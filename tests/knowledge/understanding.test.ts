import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '../../knowledge/topics.js';
import {
  detectLanguage,
  detectSafety,
  TopicRouter,
  validateUtterances,
  type Understanding,
} from '../../knowledge/understanding/index.js';

describe('understanding: safety signals', () => {
  const kinds: Array<[string, string]> = [
    ['Mijn vader is gevallen en reageert niet', 'acuut-gevaar'],
    ['er staat iemand met een mes voor de deur', 'acuut-gevaar'],
    ['ik heb net een hele strip pillen geslikt', 'acuut-gevaar'],
    ['ik zie het niet meer zitten', 'suicide'],
    ['ik wil er niet meer zijn', 'suicide'],
    ['zelfmoort', 'suicide'],
    ['iedereen is beter af zonder mij', 'suicide'],
    ['I want to die', 'suicide'],
    ["I'm thinking about ending my life", 'suicide'],
    ['ik wil niet meer.', 'suicide'],
    ['mijn man slaat me', 'huiselijk-geweld'],
    ['mn vriend mishandelt mij al maanden', 'huiselijk-geweld'],
    ['als hij dronken is slaat hij mijn moeder', 'huiselijk-geweld'],
    ['de thuishulp is ruw en mijn opa heeft blauwe plekken', 'huiselijk-geweld'],
    ['he hits me', 'huiselijk-geweld'],
    ['ik word geslaggen', 'huiselijk-geweld'],
    ['ik heb zelmoordgedachten', 'suicide'],
    ['ik slaap vannacht op straat', 'dakloos'],
    ['ik ben uit huis gezet en heb geen slaapplek', 'dakloos'],
    ['I have nowhere to sleep tonight', 'dakloos'],
  ];
  for (const [text, kind] of kinds) {
    it(`"${text}" → ${kind}`, () => {
      expect(detectSafety(text)?.kind).to.equal(kind);
    });
  }

  const negated = [
    'ik word niet geslagen hoor',
    'mijn man slaat me niet',
    'ik ben niet dakloos',
    'ik denk niet aan zelfmoord',
    "he doesn't hit me",
    'geen huiselijk geweld bij ons',
    'ik ben niet geslaggen',
    'nee hoor, niemand slaat mij',
    'ik slaap niet op straat, ik heb een huis',
  ];
  for (const text of negated) {
    it(`negation: "${text}" gives no signal`, () => {
      expect(detectSafety(text)).to.equal(null);
    });
  }

  it('a negation in another clause does not switch a signal off', () => {
    expect(detectSafety('ik weet het niet meer, mijn man slaat me')?.kind).to.equal('huiselijk-geweld');
    expect(detectSafety('hij slaat niet alleen mij maar ook de kinderen')?.kind).to.equal('huiselijk-geweld');
  });

  it('everyday Wmo questions give no signal', () => {
    for (const text of [
      'dat slaat nergens op',
      'ik heb een traplift nodig na mijn beroerte van vorig jaar',
      'de leverancier van mijn rolstoel reageert niet op mijn mail',
      'hoeveel kost huishoudelijke hulp',
      'mijn kleinzoon is geslaagd en ons huis is verkocht',
      'ik wil niet meer naar die dagbesteding',
    ]) {
      expect(detectSafety(text), text).to.equal(null);
    }
  });
});

describe('understanding: TopicRouter', function () {
  this.timeout(30_000);
  let router: TopicRouter;
  before(async () => {
    router = await TopicRouter.create();
  });

  const expectTopic = (text: string, topic: string): Understanding => {
    const u = router.understand(text);
    expect(u.topic, text).to.equal(topic);
    return u;
  };

  it('a safety message interrupts with topic veiligheid, the kind and the high band', () => {
    const u = expectTopic('ik wil een scootmobiel maar eigenlijk wil ik gewoon dood', 'veiligheid');
    expect(u.safety?.kind).to.equal('suicide');
    expect(u.band).to.equal('high');
  });

  it('a button answer or a vague reply is no danger', () => {
    for (const text of ['Geen van deze', 'nee', 'weet ik niet', 'iets anders']) {
      const u = router.understand(text);
      expect(u.safety, text).to.equal(null);
      expect(u.topic, text).to.not.equal('veiligheid');
    }
  });

  it('taking someone or something along on the bus or taxi is a transport question, no danger', () => {
    for (const text of ['neemt de buurtbus ook mijn kat mee', 'gaat de rollator mee in de regiotaxi?', 'neemt de taxi de begeleider ook mee']) {
      const u = router.understand(text);
      expect(u.safety, text).to.equal(null);
      expect(u.topic, text).to.equal('vervoer');
    }
  });

  it('a negated danger does not route to veiligheid', () => {
    const u = router.understand('ik word niet geslagen hoor');
    expect(u.safety).to.equal(null);
    expect(u.topic).to.not.equal('veiligheid');
  });

  it('understands short, informal and misspelled Dutch', () => {
    expectTopic('mn moeder kan niet meer zelf schoonmaken', 'huishoudelijke-hulp');
    expectTopic('mantlezorg ondersteuning', 'mantelzorg');
    expectTopic('scootmobil aanvraagen', 'hulpmiddelen');
    expectTopic('eigen bijdrag cak', 'kosten');
    expectTopic('regiotaksi bestellen', 'vervoer');
  });

  it('a typo in the word that carries the topic still routes to that topic', () => {
    expectTopic('ik wil een rolstoell aanvragen', 'hulpmiddelen');
    expectTopic('hulp bij het schoonmaakn van mijn huis', 'huishoudelijke-hulp');
    expectTopic('ik ben het nie eens met het besluit', 'bezwaar-klacht');
    expectTopic('hoeveel is de eigen bijdarge', 'kosten');
    expectTopic('ik zorg voor mijn moedr en ben overbelast', 'mantelzorg');
    expectTopic('persoonsgebondn budget aanvragen', 'pgb');
    expectTopic('kan ik met de regiotxi naar het ziekenhuis', 'vervoer');
  });

  it('unknown words next to a phone number are not guessed at (low band), and loneliness is no emergency', () => {
    expect(router.understand('xqzt blorp 0612345678').band).to.equal('low');
    const lonely = router.understand('ik ben zo eenzaam, ik heb niemand om mee te praten');
    expect(lonely.safety).to.equal(null);
    expect(lonely.topic).to.not.equal('veiligheid');
  });

  it('a restart changes nothing: the same training data gives the same answers', async () => {
    const again = await TopicRouter.create();
    for (const text of ['ik wil een rolstoell aanvragen', 'ik zoek hulp', 'iets met geld', 'ik voel me niet veilig']) {
      expect(again.understand(text), text).to.deep.equal(router.understand(text));
    }
  });

  it('rules: a person, a greeting, a complaint about a provision', () => {
    expect(expectTopic('ik wil een mens spreken', 'medewerker').band).to.equal('high');
    expect(expectTopic('Goedemorgen!', 'groet').band).to.equal('high');
    expectTopic('dank je wel voor de hulp', 'groet');
    expectTopic('mijn scootmobiel is afgewezen en daar ben ik het niet mee eens', 'bezwaar-klacht');
  });

  it('routes English questions and says they are English', () => {
    const u = expectTopic('I need a wheelchair', 'hulpmiddelen');
    expect(u.language).to.equal('en');
    expectTopic('can I get help cleaning my house', 'huishoudelijke-hulp');
    expect(router.understand('ik wil een rolstoel').language).to.equal('nl');
    expect(detectLanguage('how much is the personal contribution')).to.equal('en');
  });

  it('high band: a clear question is answered at once', () => {
    const u = expectTopic('hoe vraag ik huishoudelijke hulp aan', 'huishoudelijke-hulp');
    expect(u.band).to.equal('high');
    expect(u.confidence).to.be.at.least(router.calibration.high);
  });

  it('middle band: a vague question offers three different candidates, best first', () => {
    const u = router.understand('ik zoek hulp');
    expect(u.band).to.not.equal('high');
    expect(u.candidates).to.have.length(3);
    expect(new Set(u.candidates.map((c) => c.topic)).size).to.equal(3);
    const confidences = u.candidates.map((c) => c.confidence);
    expect(confidences).to.deep.equal([...confidences].sort((a, b) => b - a));
    expect(u.candidates[0].topic).to.equal(u.topic);
  });

  it('low band: gibberish and empty text are not guessed at', () => {
    for (const text of ['kjsdhf wkejrq', '', '   ']) {
      const u = router.understand(text);
      expect(u.band, JSON.stringify(text)).to.equal('low');
      expect(u.topic).to.equal('buiten-bereik');
      expect(u.candidates).to.deep.equal([]);
    }
  });

  it('bands follow the confidence thresholds', () => {
    const { high, middle } = router.calibration;
    for (const text of ['rolstoel', 'ik heb een vraag over mijn brief', 'hulp', 'iets met geld', 'wmo']) {
      const u = router.understand(text);
      const expected = u.confidence >= high ? 'high' : u.confidence >= middle ? 'middle' : 'low';
      expect(u.band, text).to.equal(expected);
    }
  });

  it('danger that only a typo\'d word suggests is read after the typo is corrected ("huishoudn")', () => {
    // A net low enough that this message's raw reading (danger 0.12, the typo's letters next to
    // "kan het niet meer aan") would fire, while the corrected one (huishouden) is far below it.
    const sensitive = router.recalibrated({ ...router.calibration, safetyNet: 0.1 });
    const u = sensitive.understand('ik ben oud en kan het huishoudn niet meer aan');
    expect(u.topic).to.equal('huishoudelijke-hulp');
    expect(u.safety).to.equal(null);
    // The same net still fires for danger the model sees in correctly spelt words.
    expect(sensitive.understand('ik ben zo bang voor hem, hij wordt steeds bozer als hij drinkt').topic).to.equal('veiligheid');
  });

  it('every topic is known to the classifier', () => {
    const seen = new Set<string>();
    for (const text of ['rolstoel', 'pgb', 'mantelzorg', 'bezwaar', 'dagbesteding', 'vrijwilligerswerk']) {
      seen.add(router.understand(text).topic);
    }
    expect([...seen].every((t) => (TOPICS as readonly string[]).includes(t))).to.equal(true);
  });
});

describe('understanding: training data checks', () => {
  it('the training files are valid and large enough', () => {
    const errors = validateUtterances().filter((p) => p.severity === 'error');
    expect(errors).to.deep.equal([]);
  });

  it('reports unknown topics, empty texts, duplicates and missing topics', () => {
    const dir = mkdtempSync(join(tmpdir(), 'training-'));
    try {
      const pgb = ['budget', '', 'Budget', 'eigen bijdrage'];
      writeFileSync(join(dir, 'pgb.json'), JSON.stringify({ topic: 'pgb', utterances: pgb }));
      writeFileSync(join(dir, 'kosten.json'), JSON.stringify({ topic: 'kosten', utterances: ['eigen bijdrage'] }));
      writeFileSync(join(dir, 'onzin.json'), JSON.stringify({ topic: 'onzin', utterances: ['x'] }));
      const problems = validateUtterances(dir);
      const messages = problems.map((p) => `${p.severity} ${p.file} ${p.message}`).join('\n');
      expect(messages).to.match(/error .*pgb\.json empty or not a sentence/);
      expect(messages).to.match(/warning .*pgb\.json duplicate sentence/);
      expect(messages).to.match(/error .*pgb\.json .*also under kosten/);
      expect(messages).to.match(/error .*onzin\.json unknown topic/);
      expect(messages).to.match(/error .*vervoer\.json 0 training utterances/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
