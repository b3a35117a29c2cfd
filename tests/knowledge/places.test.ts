import { expect } from 'chai';
import { DEFAULT_DATA_DIR, findMunicipalityInText, readKnowledgeData, type Municipality } from '../../knowledge/index.js';
import { validateKnowledgeData, type KnowledgeData } from '../../knowledge/validate/index.js';

const NOW = new Date('2026-11-23T10:00:00Z');

describe('places: which municipality a resident means', () => {
  let municipalities: Municipality[];
  let data: KnowledgeData;
  before(async () => {
    data = (await readKnowledgeData(DEFAULT_DATA_DIR)).data;
    municipalities = data.municipalities as Municipality[];
  });
  const found = (text: string): string | undefined => findMunicipalityInText(text, municipalities)?.name;

  const cases: Array<[string, string]> = [
    ['ik woon in Bussum', 'Gooise Meren'],
    ['Naarden', 'Gooise Meren'],
    ['ik woon in Muiderberg', 'Gooise Meren'],
    ['ik woon in Huizen en zoek het wijkteam', 'Huizen'],
    ['loosdrecht', 'Wijdemeren'],
    ['Nieuw-Loosdrecht', 'Wijdemeren'],
    ["ik woon in 's-Graveland", 'Wijdemeren'],
    ['Nederhorst den Berg', 'Wijdemeren'],
    ['hilversm', 'Hilversum'],
    ['ik woon in busum', 'Gooise Meren'],
    ['gemeente GOOISE MEREN', 'Gooise Meren'],
    ['mijn gemeente is GM0417', 'Laren'],
  ];
  for (const [text, name] of cases) {
    it(`"${text}" → ${name}`, () => {
      expect(found(text)).to.equal(name);
    });
  }

  it('finds nothing for towns outside the region or everyday words', () => {
    for (const text of [
      'ik woon in Amsterdam',
      'ik wil een huis',
      'ik woon in de stad',
      'ik heb muizen in de keuken',
      'hij woont in een tent',
      '',
    ]) {
      expect(found(text), text).to.equal(undefined);
    }
  });

  it('prefers the longest name when a text holds two', () => {
    expect(found('ik woon in Huizen, mijn moeder in Hilversum')).to.equal('Hilversum');
  });

  it('every municipality in the data lists its places', () => {
    for (const m of municipalities) expect((m.places ?? []).length, m.name).to.be.greaterThan(0);
  });

  it('validation rejects an empty place and a place in two municipalities', () => {
    const copy = structuredClone(data) as KnowledgeData & { municipalities: Municipality[] };
    const last = copy.municipalities[copy.municipalities.length - 1];
    expect(last.name).to.not.equal('Gooise Meren');
    last.places = ['', 'Bussum'];
    const errors = validateKnowledgeData(copy, { now: NOW }).filter((p) => p.severity === 'error');
    const code = last.code;
    expect(errors.some((p) => p.id === code && p.field === 'places[0]' && /non-empty/.test(p.message))).to.equal(true);
    expect(errors.some((p) => p.id === code && p.field === 'places[1]' && /also in municipality GM1942/.test(p.message))).to.equal(true);
  });
});
