import { expect } from 'chai';
import { fill, loadContent, type Content } from '../../dialogs/content.js';
import { checkContentData } from '../../knowledge/validate/content.js';
import { formatProblem } from '../../knowledge/validate/index.js';

const checkContent = (content: Content): string[] => checkContentData(content).map(formatProblem);
import { forgetNormalizedAnswers, normalizeAnswer, recognizeChoice } from '../../dialogs/choices.js';

describe('dialogs: content files', () => {
  it('load without problems', () => {
    expect(() => loadContent()).not.to.throw();
  });

  it('report a missing text and an unknown placeholder with the place to fix', () => {
    const content = structuredClone(loadContent()) as Content;
    content.mantelzorg.texts.klaar = '';
    content.general.texts.restarted = 'We beginnen opnieuw met {flwo}.';
    const problems = checkContent(content);
    expect(problems).to.include('error   mantelzorg.json › texts.klaar: missing text');
    expect(problems).to.include('error   general.json › texts.restarted: unknown placeholder {flwo}');
  });

  it('state amounts with their year and the safety numbers from the facts', () => {
    const c = loadContent();
    expect(c.huishoudelijkeHulp.texts.kosten).to.match(/2026[\s\S]*€21,80 per maand/);
    expect(c.vrijwilligerswerk.texts.vergoeding).to.match(/2025/);
    expect(c.safety.suicide).to.match(/113[\s\S]*0800-0113/);
    expect(c.safety['huiselijk-geweld']).to.match(/^Bel Veilig Thuis: 0800-2000/);
    expect(c.safety['acuut-gevaar']).to.match(/112/);
  });

  it('fill() leaves no raw placeholder behind', () => {
    expect(fill('In {gemeente}: {telefoon}', { gemeente: 'Huizen' })).to.equal('In Huizen: …');
  });
});

describe('dialogs: typed choices', () => {
  const ordinals = loadContent().general.ordinals;
  const choices = [
    { value: 'Schoonmaken', synonyms: ['poetsen'] },
    { value: 'De was en het bed', synonyms: ['wassen', 'strijken'] },
    { value: 'Boodschappen en eten', synonyms: ['koken'] },
  ];
  const cases: Array<[string, number | undefined]> = [
    ['Schoonmaken', 0],
    ['schoonmaken!', 0],
    ['2', 1],
    ['de tweede', 1],
    ['derde', 2],
    ['de laatste', 2],
    ['nummer 1', 0],
    ['schoonmaaken', 0],
    ['boodschapen', 2],
    ['ik wil graag poetsen', 0],
    ['schoonmaak', 0],
    ['de boodschap', 2],
    ['4', undefined],
    ['paars', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`"${text}" → ${expected === undefined ? 'nothing' : choices[expected].value}`, () => {
      expect(recognizeChoice(text, choices, ordinals)).to.equal(expected);
    });
  }

  it('a typed moment picks the period it falls in, counted from today', () => {
    const since = [
      { value: 'Een paar weken', monthsAgo: [0, 1.5] as [number, number] },
      { value: 'Een paar maanden', monthsAgo: [1.5, 12] as [number, number] },
      { value: 'Langer dan een jaar', monthsAgo: [12, 1200] as [number, number] },
    ];
    const now = new Date('2026-11-30T12:00:00Z');
    const { general } = loadContent();
    const typed = { numberWords: general.numberWords, monthNames: general.monthNames };
    const pick = (text: string, at = now) => recognizeChoice(text, since, ordinals, typed, { now: at });
    expect(pick('sinds mijn heupoperatie in september')).to.equal(1);
    expect(pick('sinds deze november')).to.equal(0);
    expect(pick('sinds december')).to.equal(1);
    expect(pick('drie weken')).to.equal(0);
    expect(pick('al 2 jaar')).to.equal(2);
    expect(pick('sinds 2024')).to.equal(2);
    expect(pick('sinds maart', new Date('2027-04-15T12:00:00Z'))).to.equal(0);
    expect(pick('weet ik niet meer')).to.equal(undefined);
  });

  it('another form of a word picks a button only when every word of the answer belongs to it', () => {
    const who = [{ value: 'Iemand anders' }, { value: 'Mijn partner' }];
    expect(recognizeChoice('andere gemeente', who, ordinals)).to.equal(undefined);
    expect(recognizeChoice('een ander', who, ordinals)).to.equal(0);
  });

  it('reads a typed answer the same way every time, however many texts came between and after an erasure', () => {
    expect(normalizeAnswer('  Één  Keer, graag!! ')).to.equal('een keer graag');
    for (let i = 0; i < 5_000; i++) normalizeAnswer(`tekst ${i}`);
    expect(normalizeAnswer('  Één  Keer, graag!! ')).to.equal('een keer graag');
    expect(recognizeChoice('schoonmaaken', choices, ordinals)).to.equal(0);
    forgetNormalizedAnswers();
    expect(normalizeAnswer('  Één  Keer, graag!! ')).to.equal('een keer graag');
    expect(recognizeChoice('schoonmaaken', choices, ordinals)).to.equal(0);
  });
});
