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
    ['4', undefined],
    ['paars', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`"${text}" → ${expected === undefined ? 'nothing' : choices[expected].value}`, () => {
      expect(recognizeChoice(text, choices, ordinals)).to.equal(expected);
    });
  }

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
