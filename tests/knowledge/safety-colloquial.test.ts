import { expect } from 'chai';
import { detectSafety } from '../../knowledge/understanding/index.js';

// QA found these missed: colloquial self-harm (also as a joke) and financial abuse of an older
// person. A resident who writes them must get 113 or Veilig Thuis, not a Wmo answer.
describe('understanding: colloquial self-harm and financial abuse', () => {
  const cases: Array<[string, string]> = [
    ['ik schiet mezelf nog eens door mijn kop (haha)', 'suicide'],
    ['ik schiet me nog eens door mn kop lol', 'suicide'],
    ['ik spring nog eens voor de trein', 'suicide'],
    ['ik spring nog eens van de flat haha', 'suicide'],
    ['ik maak er een eind aan', 'suicide'],
    ['ik maak er maar een einde aan', 'suicide'],
    ['ik doe mezelf iets aan', 'suicide'],
    ['ik doe mezelf wat aan, haha', 'suicide'],
    ['ik wil mezelf iets aandoen', 'suicide'],
    ['mijn dochter neemt steeds geld van mijn rekening', 'huiselijk-geweld'],
    ['mijn zoon pakt mijn pinpas en haalt geld', 'huiselijk-geweld'],
    ['de thuiszorg steelt geld van mij', 'huiselijk-geweld'],
    ['ze dwingen me geld te geven', 'huiselijk-geweld'],
    // Hold-out round 5: violence told with other verbs than hitting (throwing things, grabbing).
    ['mijn zoon wordt vaak boos en gooit dan met spullen naar mij', 'huiselijk-geweld'],
    ['hij smeet een bord naar mijn hoofd', 'huiselijk-geweld'],
    ['mijn man pakt me bij de keel', 'huiselijk-geweld'],
    ['he throws things at me', 'huiselijk-geweld'],
  ];
  for (const [text, kind] of cases) {
    it(`"${text}" → ${kind}`, () => {
      expect(detectSafety(text)?.kind).to.equal(kind);
    });
  }

  it('negations still switch a signal off', () => {
    for (const text of [
      'ik word niet geslagen hoor',
      'ik denk niet aan zelfmoord hoor maar ik ben wel moe',
      'mijn dochter neemt geen geld van mijn rekening',
    ]) {
      expect(detectSafety(text), text).to.equal(null);
    }
  });

  it('a negation in the first clause does not hide a signal after "maar"', () => {
    expect(detectSafety('ik denk niet aan zelfmoord hoor maar ik zie het soms niet meer zitten')?.kind).to.equal('suicide');
  });

  it('everyday money and travel questions give no signal', () => {
    for (const text of [
      'de gemeente haalt de eigen bijdrage van mijn rekening',
      'ik wil geld van mijn rekening halen',
      'ik maak er het beste van',
      'ik wil weten of de trein rijdt',
      'mijn fiets is gestolen',
      'mijn vrouw gooit de was in de machine',
      'ik gooi de bal naar mijn kleinzoon',
    ]) {
      expect(detectSafety(text), text).to.equal(null);
    }
  });
});
