import { expect } from 'chai';
import { type KnowledgeBase, loadKnowledgeBase, type SearchHit } from '../../knowledge/index.js';
import { fixtureKb } from './helpers.js';

const ids = (hits: SearchHit[]): string[] => hits.map((h) => h.id);

describe('knowledge search (fixture knowledge base)', () => {
  let kb: KnowledgeBase;
  before(async () => {
    kb = await loadKnowledgeBase(fixtureKb, { now: new Date('2026-11-23T10:00:00Z') });
  });

  it('ranks the entry with the term in its name first and says why', () => {
    const [first] = kb.search('mantelzorg');
    expect(first.id).to.equal('wat-is-mantelzorg');
    expect(first.why).to.include('term "mantelzorg" in title, body');
    expect(first.sources[0].url).to.match(/^https:/);
  });

  describe('typos', () => {
    for (const [query, expected, why] of [
      ['mantlezorg', 'wat-is-mantelzorg', 'typo mantlezorg → mantelzorg'],
      ['vrijwillegerswerk', 'vrijwilligerscentrale-hilversum', 'typo vrijwillegerswerk → vrijwilligerswerk'],
      ['huishoudlijke hlup', 'huishoudelijke-hulp', 'typo hlup → hulp'],
    ] as const) {
      it(`"${query}" finds ${expected}`, () => {
        const hits = kb.search(query, { limit: 3 });
        expect(ids(hits)).to.include(expected);
        expect(hits.find((h) => h.id === expected)!.why).to.include(why);
      });
    }
  });

  describe('compounds', () => {
    it('"mantelzorgondersteuning" finds mantelzorg support', () => {
      const hits = kb.search('mantelzorgondersteuning', { limit: 3 });
      expect(ids(hits)).to.include('mantelzorgondersteuning');
      expect(hits[0].why).to.include('compound mantelzorgondersteuning → mantelzorg + ondersteuning');
    });
    it('"huishoudelijkehulp" finds huishoudelijke hulp', () => {
      const [first] = kb.search('huishoudelijkehulp');
      expect(first.id).to.equal('huishoudelijke-hulp');
      expect(first.why).to.include('compound huishoudelijkehulp → huishoudelijke + hulp');
    });
    it('"vrijwilligersvacature" finds the vrijwilligerscentrales', () => {
      const hits = kb.search('vrijwilligersvacature', { limit: 2 });
      expect(ids(hits).sort()).to.deep.equal(['vrijwilligerscentrale-hilversum', 'vrijwilligerscentrale-huizen']);
      expect(hits[0].why).to.include('compound vrijwilligersvacature → vrijwilligers + vacature');
    });
  });

  describe('synonyms (editable synonyms.json)', () => {
    for (const query of ['poetshulp', 'thuishulp', 'HH']) {
      it(`"${query}" finds huishoudelijke hulp`, () => {
        const [first] = kb.search(query);
        expect(first.id).to.equal('huishoudelijke-hulp');
        expect(first.why).to.include(`synonym ${query.toLowerCase()} → huishoudelijke hulp`);
      });
    }
    it('"scootmobiel" finds the rolstoel provision (synonym on the document side)', () => {
      const [first] = kb.search('scootmobiel');
      expect(first.id).to.equal('rolstoel');
      expect(first.why[0]).to.match(/via a synonym or compound in name/);
    });
    it('"logeeropvang" finds respijtzorg', () => {
      const [first] = kb.search('logeeropvang');
      expect(first.id).to.equal('respijtzorg');
      expect(first.why).to.include('synonym logeeropvang → respijtzorg');
    });
  });

  describe('filters', () => {
    it('gemeente: only services that serve it, provisions available there, and national articles', () => {
      const hits = kb.search('mantelzorg', { gemeente: 'GM0402', limit: 20 });
      expect(ids(hits)).to.include('steunpunt-mantelzorg-hilversum');
      expect(ids(hits)).not.to.include('steunpunt-mantelzorg-huizen');
      expect(ids(hits), 'provision only available in Huizen').not.to.include('mantelzorgondersteuning');
      expect(ids(hits)).to.include('wat-is-mantelzorg');
      expect(hits.find((h) => h.id === 'steunpunt-mantelzorg-hilversum')!.why).to.include('serves GM0402');
      expect(ids(kb.search('mantelzorg', { gemeente: 'GM0406', limit: 20 }))).to.include.members(['steunpunt-mantelzorg-huizen', 'mantelzorgondersteuning']);
    });

    it('gemeente: a provision marked not available there is left out', () => {
      expect(ids(kb.search('huishoudelijke hulp', { gemeente: 'GM0317', limit: 20 }))).not.to.include('huishoudelijke-hulp');
      expect(ids(kb.search('huishoudelijke hulp', { gemeente: 'GM0402', limit: 20 }))).to.include('huishoudelijke-hulp');
    });

    it('topic and kinds', () => {
      const hits = kb.search('advies zorg', { topic: 'mantelzorg', kinds: ['service'], limit: 20 });
      expect(hits.length).to.be.greaterThan(0);
      expect(hits.every((h) => h.kind === 'service' && h.topics.includes('mantelzorg'))).to.equal(true);
    });

    it('open now: by the service schedule in Amsterdam time', () => {
      // Monday 23 Nov 2026 10:30 in Amsterdam (CET = UTC+1)
      const monday = ids(kb.search('steunpunt mantelzorg', { openNow: true, now: new Date('2026-11-23T09:30:00Z') }));
      expect(monday[0]).to.equal('steunpunt-mantelzorg-huizen');
      expect(monday).not.to.include('steunpunt-mantelzorg-hilversum');
      // Saturday 28 Nov 2026 11:00 in Amsterdam: only the Hilversum steunpunt is open
      const saturday = kb.search('steunpunt mantelzorg', { openNow: true, now: new Date('2026-11-28T10:00:00Z') });
      expect(ids(saturday)).to.deep.equal(['steunpunt-mantelzorg-hilversum']);
      expect(saturday[0].why).to.include('open now (SA 10:00-12:00)');
      // Monday 18:30 in Amsterdam is 17:30 UTC: everything in the fixture is closed; provisions and articles never count as open
      expect(kb.search('steunpunt mantelzorg', { openNow: true, now: new Date('2026-11-23T17:30:00Z') })).to.deep.equal([]);
      // Summer time: Monday 6 July 2026 16:30 in Amsterdam is 14:30 UTC (CEST = UTC+2): Huizen still open
      expect(ids(kb.search('steunpunt mantelzorg', { openNow: true, now: new Date('2026-07-06T14:30:00Z') }))).to.include('steunpunt-mantelzorg-huizen');
    });
  });

  it('returns nothing for an empty or stop-word-only question, and honours limit', () => {
    expect(kb.search('')).to.deep.equal([]);
    expect(kb.search('de het een')).to.deep.equal([]);
    expect(kb.search('zorg', { limit: 2 })).to.have.length(2);
  });

  it('looks entries up by id', () => {
    expect(kb.municipality('GM0406')?.name).to.equal('Huizen');
    expect(kb.service('wijkteam-huizen')?.organization_id).to.equal('zorgpunt');
    expect(kb.organization('zorgpunt')?.name).to.match(/Zorgpunt/);
    expect(kb.service('bestaat-niet')).to.equal(undefined);
  });
});
