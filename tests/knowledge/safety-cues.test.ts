import { expect } from 'chai';
import { detectSafety } from '../../knowledge/understanding/index.js';
import { SafetyDetector } from '../../knowledge/understanding/safety.js';

// Neglect of an older person is told by a bystander in signs that say little alone: two different
// signs in one message are neglect (safety-signals.json › cueGroups); one alone is not.
describe('understanding: signs of neglect together', () => {
  const neglect = [
    'de buurvrouw stinkt en draagt al weken dezelfde kleren',
    'opa wast zich niet meer en zijn koelkast is altijd leeg',
    'ze is heel mager geworden en er komt nooit bezoek',
    'zijn huis is één grote puinhoop en de brievenbus puilt uit bij hem',
    'mijn moeder van 90 eet niet meer goed en wast zich niet meer',
  ];
  for (const text of neglect) {
    it(`"${text}" → Veilig Thuis (huiselijk-geweld), seen by the neglect cues`, () => {
      const signal = detectSafety(text);
      expect(signal?.kind).to.equal('huiselijk-geweld');
      expect(signal?.cueGroup).to.equal('verwaarlozing');
    });
  }

  for (const text of ['mijn moeder is erg mager geworden na de operatie', 'ik ben afgevallen en wil gezonder eten', 'mijn huis is een puinhoop, kan ik hulp bij het schoonmaken krijgen']) {
    it(`one sign alone is no signal: "${text}"`, () => {
      expect(detectSafety(text)).to.equal(null);
    });
  }

  for (const text of ['sinds mijn operatie ben ik afgevallen en is mijn huis een rommel, kan ik hulp krijgen', 'ik kan mijn huis niet meer schoonmaken, het is een bende en ik eet slecht']) {
    it(`signs in the writer's own request for help are no bystander's report: "${text.slice(0, 40)}…"`, () => {
      expect(detectSafety(text)).to.equal(null);
    });
  }

  for (const text of ['hij is niet mager en hij ruikt niet vies hoor', 'ze ruikt niet vies en haar huis is niet vervuild']) {
    it(`negated signs do not count: "${text}"`, () => {
      expect(detectSafety(text)).to.equal(null);
    });
  }

  it('a stronger phrase leads, the cue group adds its kind ("nobody has seen her for days" is 112 first)', () => {
    const signal = detectSafety('ik heb haar al dagen niet gezien, de gordijnen blijven dicht en ze stinkt');
    expect(signal?.kind).to.equal('acuut-gevaar');
    expect(signal?.also).to.include('huiselijk-geweld');
  });

  it('a file without cue groups still works (the key is optional)', () => {
    const detector = new SafetyDetector({ negations: ['niet'], notNegatingNext: [], clauseWords: ['maar'], negationWindowBefore: 3, kinds: [{ kind: 'dakloos', negationAfter: 0, patterns: ['dakloos'] }], classifierKindHints: {} });
    expect(detector.scan('ze stinkt en draagt dezelfde kleren').signal).to.equal(null);
  });
});
