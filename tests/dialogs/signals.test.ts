import { expect } from 'chai';
import { loadContent } from '../../dialogs/content.js';
import { checkContentData } from '../../knowledge/validate/content.js';
import { formatProblem } from '../../knowledge/validate/index.js';
import { containsPhrase, Signals, youngCarerAge } from '../../dialogs/signals.js';

describe('dialogs: signals from knowledge/content/signals.json', () => {
  const signals = new Signals(loadContent().signals);

  it('matches whole words only, ignoring capitals and accents', () => {
    expect(containsPhrase('Ik voel me zo ALLEEN.', ['voel me zo alleen'])).to.equal(true);
    expect(containsPhrase('we stoppen ermee', ['top'])).to.equal(false);
    expect(containsPhrase('Top, bedankt!', ['top'])).to.equal(true);
  });

  it('tells a complaint from a bezwaar, and a case question from a general one', () => {
    expect(signals.complaint('ik heb een klacht over mijn thuishulp')).to.equal(true);
    expect(signals.complaint('klacht: mijn aanvraag is afgewezen')).to.equal(false);
    expect(signals.aboutOwnCase('hoe ver is mijn aanvraag al?')).to.equal(true);
    expect(signals.aboutOwnCase('hoe doe ik een aanvraag?')).to.equal(false);
  });

  it('reads an age, not a duration', () => {
    expect(youngCarerAge('ik ben 15 en zorg voor mijn moeder')).to.equal(15);
    expect(youngCarerAge('ik zorg al 10 jaar voor mijn man')).to.equal(undefined);
    expect(youngCarerAge('ik ben 67')).to.equal(undefined);
  });

  it('a knowledge manager who empties a phrase list is told where', () => {
    const content = loadContent();
    const broken = { ...content, signals: { ...content.signals, lonely: [] } };
    expect(checkContentData(broken).map(formatProblem)).to.include('error   signals.json › lonely: needs a list of phrases');
  });
});
