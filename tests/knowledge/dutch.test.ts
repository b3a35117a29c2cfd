import { expect } from 'chai';
import { analyze, correctTerm, damerauLevenshtein, normalize, TextAnalyzer, tokenize } from '../../knowledge/nlp/dutch.js';

describe('knowledge/nlp/dutch', () => {
  it('normalises case, accents and punctuation for any unicode text', () => {
    expect(normalize('Cliëntondersteuning, CAFÉ & één-op-één!')).to.equal('clientondersteuning cafe een op een');
    expect(tokenize('  Wmo-loket?? 14 035 ')).to.deep.equal(['wmo', 'loket', '14', '035']);
    expect(tokenize('🙂 ½ ﬁ')).to.deep.equal(['1', '2', 'fi']);
  });

  it('drops stop words and stems with the Dutch Porter stemmer', () => {
    expect(analyze('Ik zoek ondersteuning voor mijn moeder')).to.include.members(['ondersteun', 'moeder']);
    expect(analyze('ik en de het')).to.deep.equal([]);
  });

  it('splits compounds into known parts', () => {
    const a = new TextAnalyzer({ vocabulary: ['mantelzorg', 'ondersteuning', 'huishoudelijke hulp', 'vrijwilligers vacature'] });
    expect(a.splitCompound('mantelzorgondersteuning')).to.deep.equal(['mantelzorg', 'ondersteuning']);
    expect(a.splitCompound('huishoudelijkehulp')).to.deep.equal(['huishoudelijke', 'hulp']);
    expect(a.splitCompound('vrijwilligersvacature')).to.deep.equal(['vrijwilligers', 'vacature']);
    expect(a.analyze('mantelzorgondersteuning')).to.include.members(['mantelzorg', 'ondersteun']);
  });

  it('adds the canonical term for synonyms, also multi-word ones', () => {
    const a = new TextAnalyzer({ synonyms: [{ canonical: 'huishoudelijke hulp', variants: ['poetshulp', 'hulp bij het huishouden'] }] });
    const terms = a.analyzeDetailed('Ik wil hulp bij het huishouden');
    expect(terms.filter((t) => t.origin === 'synonym').map((t) => t.term)).to.deep.equal(['huishoud', 'hulp']);
    expect(a.analyze('poetshulp')).to.include.members(['huishoud', 'hulp']);
  });

  it('corrects typos against the vocabulary with a length-scaled distance', () => {
    expect(damerauLevenshtein('mantlezorg', 'mantelzorg')).to.equal(1); // transposition
    expect(correctTerm('hlup', ['hulp', 'help'])).to.equal('hulp');
    expect(correctTerm('vrijwillegerswerk', ['vrijwilligerswerk'])).to.equal('vrijwilligerswerk');
    expect(correctTerm('hul', ['hulp']), 'short words are not corrected').to.equal(null);
    expect(correctTerm('graag', ['vraag']), 'first letter must match').to.equal(null);
    const a = new TextAnalyzer({ vocabulary: ['mantelzorg huishoudelijke hulp'] });
    expect(a.analyzeDetailed('huishoudlijke hlup').filter((t) => t.origin === 'typo').map((t) => t.note)).to.deep.equal([
      'huishoudlijke → huishoudelijke',
      'hlup → hulp',
    ]);
  });

  it('keeps its signature for the classifier: analyze(text) → string[]', () => {
    const terms = analyze('mantlezorg');
    expect(terms).to.be.an('array');
    expect(terms).to.include('mantelzorg');
  });
});
