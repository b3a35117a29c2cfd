import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkKnowledgeBase, KnowledgeBaseError, loadKnowledgeBase, readKnowledgeData, type KnowledgeData } from '../../knowledge/index.js';
import type { Problem } from '../../knowledge/types.js';
import { isDutchPhone, validateKnowledgeData } from '../../knowledge/validate/index.js';
import { fixtureKb, repoRoot, tempKb } from './helpers.js';

const NOW = new Date('2026-11-23T10:00:00Z');
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function fixtureData(): Promise<Any> {
  const { data } = await readKnowledgeData(fixtureKb);
  return structuredClone(data) as Any;
}

function errors(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error');
}

/** Applies a change to a fresh copy of the fixture data and returns the errors found. */
async function errorsAfter(change: (d: Any) => void): Promise<Problem[]> {
  const data = await fixtureData();
  change(data);
  return errors(validateKnowledgeData(data as KnowledgeData, { now: NOW }));
}

function expectProblem(found: Problem[], file: string, id: string | undefined, field: string, message: RegExp): void {
  const hit = found.find((p) => p.file === file && p.id === id && p.field === field && message.test(p.message));
  expect(hit, `expected ${file} › ${id} › ${field} ~ ${message} in\n${found.map((p) => JSON.stringify(p)).join('\n')}`).to.not.equal(undefined);
}

describe('knowledge validation', () => {
  it('the fixture knowledge base is valid', async () => {
    expect(await checkKnowledgeBase(fixtureKb, { now: NOW })).to.deep.equal([]);
  });

  describe('rejects, naming file, entry id and field', () => {
    const cases: Array<[string, (d: Any) => void, string, string | undefined, string, RegExp]> = [
      ['a missing required field', (d) => delete d.articles[0].title, 'articles.json', 'wat-is-mantelzorg', 'title', /missing/],
      ['a wrong type', (d) => (d.provisions[0].name = 42), 'provisions.json', 'huishoudelijke-hulp', 'name', /must be text/],
      ['a duplicate provision id', (d) => d.provisions.push(structuredClone(d.provisions[0])), 'provisions.json', 'huishoudelijke-hulp', 'id', /duplicate provision id/],
      ['a duplicate service id', (d) => d.socialeKaart.services.push(structuredClone(d.socialeKaart.services[0])), 'sociale-kaart.json', 'steunpunt-mantelzorg-huizen', 'id', /duplicate service id/],
      ['a duplicate location id across organizations', (d) => d.socialeKaart.organizations[1].locations.push(structuredClone(d.socialeKaart.organizations[0].locations[0])), 'sociale-kaart.json', 'welzijn-hilversum', 'locations[1].id', /duplicate location id "zorgpunt-huizen"/],
      ['a duplicate municipality code', (d) => d.municipalities.push(structuredClone(d.municipalities[0])), 'municipalities.json', 'GM0406', 'code', /duplicate/],
      ['a malformed CBS code', (d) => (d.municipalities[0].code = 'GM406'), 'municipalities.json', 'GM406', 'code', /not a CBS code/],
      ['an unknown organization', (d) => (d.socialeKaart.services[0].organization_id = 'niemand'), 'sociale-kaart.json', 'steunpunt-mantelzorg-huizen', 'organization_id', /unknown organization "niemand"/],
      ['a location of another organization', (d) => (d.socialeKaart.services[0].location_ids = ['welzijn-hilversum-centrum']), 'sociale-kaart.json', 'steunpunt-mantelzorg-huizen', 'location_ids[0]', /not a location of organization "zorgpunt"/],
      ['a service area outside municipalities.json', (d) => (d.socialeKaart.services[0].service_areas[0].gemeente = 'GM0363'), 'sociale-kaart.json', 'steunpunt-mantelzorg-huizen', 'service_areas[0].gemeente', /GM0363 is not in municipalities.json/],
      ['a service without service area', (d) => (d.socialeKaart.services[0].service_areas = []), 'sociale-kaart.json', 'steunpunt-mantelzorg-huizen', 'service_areas', /at least one municipality/],
      ['an unknown service in municipality settings', (d) => (d.municipalities[0].settings.wijkteamServiceId = 'weg'), 'municipalities.json', 'GM0406', 'settings.wijkteamServiceId', /unknown sociale-kaart service "weg"/],
      ['an unknown service in provision availability', (d) => (d.provisions[0].availability[0].serviceIds = ['weg']), 'provisions.json', 'huishoudelijke-hulp', 'availability[0].serviceIds[0]', /unknown sociale-kaart service/],
      ['an unknown gemeente in provision availability', (d) => (d.provisions[0].availability[0].gemeente = 'GM0363'), 'provisions.json', 'huishoudelijke-hulp', 'availability[0].gemeente', /not in municipalities.json/],
      ['an invalid date', (d) => (d.articles[0].lastChecked = '2026-02-30'), 'articles.json', 'wat-is-mantelzorg', 'lastChecked', /not a date/],
      ['a junk phone number', (d) => (d.socialeKaart.services[0].phones[0].number = 'bel ons'), 'sociale-kaart.json', 'steunpunt-mantelzorg-huizen', 'phones[0].number', /not a Dutch phone number/],
      ['a quoted foreign phone number', (d) => (d.socialeKaart.services[0].phones[0].number = '"+44 1234 234567"'), 'sociale-kaart.json', 'steunpunt-mantelzorg-huizen', 'phones[0].number', /not a Dutch phone number/],
      ['a bad loket phone', (d) => (d.municipalities[0].loket.phone = '035 12'), 'municipalities.json', 'GM0406', 'loket.phone', /not a Dutch phone number/],
      ['a bad URL', (d) => (d.articles[0].sources[0].url = 'www.rijksoverheid.nl'), 'articles.json', 'wat-is-mantelzorg', 'sources[0].url', /not a web address/],
      ['a bad e-mail', (d) => (d.municipalities[0].loket.email = 'wmo at huizen'), 'municipalities.json', 'GM0406', 'loket.email', /not an e-mail address/],
      ['an unknown topic', (d) => (d.articles[0].topics = ['zorg']), 'articles.json', 'wat-is-mantelzorg', 'topics[0]', /not a topic id/],
      ['opening hours on day 8', (d) => (d.municipalities[0].loket.openingHours[0].days = [8]), 'municipalities.json', 'GM0406', 'loket.openingHours[0].days', /weekday numbers/],
      ['opening hours with an impossible time', (d) => (d.municipalities[0].loket.openingHours[0].opens = '25:00'), 'municipalities.json', 'GM0406', 'loket.openingHours[0].opens', /not a time/],
      ['opening hours closing before opening', (d) => (d.municipalities[0].loket.openingHours[0].closes = '08:00'), 'municipalities.json', 'GM0406', 'loket.openingHours[0].closes', /must be after opens/],
      ['a schedule closing before opening', (d) => (d.socialeKaart.services[0].schedules[0].closes_at = '08:00'), 'sociale-kaart.json', 'steunpunt-mantelzorg-huizen', 'schedules[0].closes_at', /must be after opens/],
      ['a schedule with a bad byday', (d) => (d.socialeKaart.services[0].schedules[0].byday = 'MA,DI'), 'sociale-kaart.json', 'steunpunt-mantelzorg-huizen', 'schedules[0].byday', /days like/],
      ['a non-Dutch address', (d) => (d.socialeKaart.organizations[0].locations[0].addresses[0].country = 'GB'), 'sociale-kaart.json', 'zorgpunt', 'locations[0].addresses[0].country', /Dutch addresses only/],
      ['a bad status', (d) => (d.socialeKaart.services[0].status = 'open'), 'sociale-kaart.json', 'steunpunt-mantelzorg-huizen', 'status', /not one of/],
      ['a provision without sources', (d) => (d.provisions[0].sources = []), 'provisions.json', 'huishoudelijke-hulp', 'sources', /at least one source/],
      ['a synonym group without variants', (d) => d.synonyms.synonyms.push({ canonical: 'pgb', variants: [] }), 'synonyms.json', 'pgb', 'variants', /at least one variant/],
      ['an eval item without text', (d) => (d.evaluation = { 'utterances.json': [{ topic: 'groet' }] }), '../eval/utterances.json', undefined, '[0].text', /non-empty text/],
    ];
    for (const [what, change, file, id, field, message] of cases) {
      it(what, async () => expectProblem(await errorsAfter(change), file, id, field, message));
    }
  });

  it('accepts Dutch phone formats: 0800/0900, 088, 14 0xx, 112/113, +31, mobile', () => {
    for (const ok of ['035 528 12 34', '0800-1925', '0800 0113', '0900 123 4567', '088 0767 000', '14 035', '14035', '112', '113', '+31 35 528 12 34', '06-12345678', '(035) 528 12 34']) {
      expect(isDutchPhone(ok), ok).to.equal(true);
    }
    for (const bad of ['"+44 1234 234567"', '+44 1234 234567', '035 12', 'bel ons', '12345678901', '', '0800']) expect(isDutchPhone(bad), bad).to.equal(false);
  });

  it('gives a warning, not an error, for content last checked more than 12 months ago', async () => {
    const data = await fixtureData();
    data.articles[0].lastChecked = '2025-10-01';
    const problems = validateKnowledgeData(data as KnowledgeData, { now: NOW });
    expect(errors(problems)).to.deep.equal([]);
    expectProblem(problems.filter((p) => p.severity === 'warning'), 'articles.json', 'wat-is-mantelzorg', 'lastChecked', /more than 12 months ago/);
  });

  it('loadKnowledgeBase refuses invalid data with every error in one readable list', async () => {
    const { dir, cleanup } = await tempKb();
    try {
      const kaart = JSON.parse(await readFile(path.join(dir, 'sociale-kaart.json'), 'utf8'));
      kaart.services[0].phones[0].number = 'bel ons';
      kaart.services[1].service_areas[0].gemeente = 'GM9999';
      await writeFile(path.join(dir, 'sociale-kaart.json'), JSON.stringify(kaart));
      await writeFile(path.join(dir, 'articles.json'), '[{ "id": ');
      const err = await loadKnowledgeBase(dir, { now: NOW }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(KnowledgeBaseError);
      const problems = (err as KnowledgeBaseError).problems;
      expect(errors(problems)).to.have.length(3);
      const message = (err as KnowledgeBaseError).message;
      expect(message).to.match(/3 error\(s\)/);
      expect(message).to.include('sociale-kaart.json › steunpunt-mantelzorg-huizen › phones[0].number');
      expect(message).to.include('GM9999 is not in municipalities.json');
      expect(message).to.match(/articles\.json: is not valid JSON/);
    } finally {
      await cleanup();
    }
  });

  it('npm run kb:check exits 1 on errors and prints file, id and field', async function () {
    this.timeout(30_000);
    const { dir, cleanup } = await tempKb();
    try {
      const provisions = JSON.parse(await readFile(path.join(dir, 'provisions.json'), 'utf8'));
      provisions[0].topics = ['onbekend'];
      await writeFile(path.join(dir, 'provisions.json'), JSON.stringify(provisions));
      const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'knowledge/cli/check.ts'), '--dir', dir], { encoding: 'utf8' });
      expect(run.status).to.equal(1);
      expect(run.stdout).to.include('error   provisions.json › huishoudelijke-hulp › topics[0]: "onbekend" is not a topic id');
      expect(run.stdout).to.match(/FAILED: 1 error\(s\), 0 warning\(s\)/);
      expect(run.stderr).to.equal('');
    } finally {
      await cleanup();
    }
  });
});

describe('demo data in knowledge/data', () => {
  it('passes validation with no errors', async () => {
    const problems = await checkKnowledgeBase();
    expect(errors(problems).map((p) => `${p.file} › ${p.id} › ${p.field}: ${p.message}`)).to.deep.equal([]);
  });
});
