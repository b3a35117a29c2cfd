import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkKnowledgeBase } from '../../knowledge/index.js';
import { ImportError, importFile, parseCsv, parseOpens } from '../../knowledge/import/index.js';
import type { SocialeKaart } from '../../knowledge/types.js';
import { fixtures, hsdsExamples, repoRoot, tempKb } from './helpers.js';

const NOW = new Date('2026-11-23T10:00:00Z');
/** Ids in hsds-dutch.json (HSDS 3.0 ids are UUIDs): the service, its organisation and location. */
const MAATJES = '5a0c8f1e-3b7d-4e2a-9c61-0d4f2b8e7a01';
const BUURTKRACHT = '5a0c8f1e-3b7d-4e2a-9c61-0d4f2b8e7a02';
const BUURTHUIS = '5a0c8f1e-3b7d-4e2a-9c61-0d4f2b8e7a03';
const input = (name: string): string => path.join(fixtures, 'import', name);

describe('kb:import', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let store: string;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempKb());
    store = path.join(dir, 'sociale-kaart.json');
  });
  afterEach(() => cleanup());

  const readStore = async (): Promise<SocialeKaart> => JSON.parse(await readFile(store, 'utf8')) as SocialeKaart;

  describe('the genuine HSDS 3.0 examples', () => {
    for (const name of ['service_full.json', 'service_list.json', 'organization_full.json']) {
      it(`${name}: reads it, rejects the UK service with a clear reason, leaves the store untouched`, async () => {
        const before = await readFile(store, 'utf8');
        const report = await importFile(path.join(hsdsExamples, name), { kbDir: dir, now: NOW });
        expect(report.added).to.deep.equal([]);
        expect(report.rejected).to.have.length(1);
        expect(report.rejected[0].id).to.equal('ac148810-d857-441c-9679-408f346de14b');
        expect(report.rejected[0].reasons.join(' ')).to.match(/municipality of the region \(Gooi en Vechtstreek\)/);
        expect(report.dropped.some((d) => d.field === 'email' && d.value === 'email@example.com' && d.reason === 'placeholder value')).to.equal(true);
        expect(report.written).to.equal(false);
        expect(await readFile(store, 'utf8')).to.equal(before);
      });
    }

    it('says what it does with the quoted foreign phone, the non-Dutch address, placeholders and expired schedules', async () => {
      const report = await importFile(path.join(hsdsExamples, 'service_full.json'), { kbDir: dir, now: NOW });
      const dropped = (field: string): string | undefined => report.dropped.find((d) => d.id === 'ac148810-d857-441c-9679-408f346de14b' && d.field === field)?.reason;
      expect(dropped('phones[0].number')).to.equal('not a Dutch phone number (wrapped in quotes; foreign country code +44)');
      expect(dropped('service_at_locations[0].location.addresses[0]')).to.equal('not a Dutch address (country "US")');
      expect(dropped('wait_time')).to.equal('placeholder value');
      expect(dropped('url')).to.equal('placeholder value');
      expect(dropped('schedules[0]')).to.equal('expired (valid_to 2005-01-01)');
      expect(report.dropped.some((d) => d.field.includes('contacts') && /personal data/.test(d.reason))).to.equal(true);
    });
  });

  it('imports a Dutch HSDS service, dropping what does not fit, and the store stays valid', async () => {
    const report = await importFile(input('hsds-dutch.json'), { kbDir: dir, now: NOW });
    expect(report.added).to.deep.equal([MAATJES]);
    expect(report.organizations.added).to.deep.equal([BUURTKRACHT]);
    expect(report.dropped.map((d) => `${d.field}: ${d.reason}`)).to.include('phones[1].number: not a Dutch phone number');
    const service = (await readStore()).services.find((s) => s.id === MAATJES)!;
    expect(service.service_areas.map((a) => a.gemeente)).to.deep.equal(['GM0317']);
    expect(service.phones.map((p) => p.number)).to.deep.equal(['+31 35 000 30 01']);
    expect(service.schedules[0]).to.include({ byday: 'TU,TH', opens_at: '10:00', closes_at: '12:00' });
    expect(service.topics).to.deep.equal(['vrijwilligerswerk']);
    expect(service.location_ids).to.deep.equal([BUURTHUIS]);
    expect(service.last_modified).to.equal('2026-10-15');
    expect(JSON.stringify(service)).not.to.include('Jan Jansen');
    expect((await checkKnowledgeBase(dir, { now: NOW })).filter((p) => p.severity === 'error')).to.deep.equal([]);
  });

  it('checks an HSDS document against the official HSDS 3.0 schema first, and names each error by path', async () => {
    const before = await readFile(store, 'utf8');
    const report = await importFile(input('hsds-not-3.0.json'), { kbDir: dir, now: NOW });
    expect(report.added).to.deep.equal([]);
    expect(report.rejected.map((r) => r.id)).to.deep.equal(['maatjesproject-eemnes']);
    const reasons = report.rejected[0].reasons.join('\n');
    expect(reasons).to.include('not valid HSDS 3.0: /id: must match format "uuid"');
    expect(reasons).to.match(/\/phones\/0\/id: must match format "uuid"/);
    expect(await readFile(store, 'utf8')).to.equal(before);
  });

  it('importing the same file twice changes nothing', async () => {
    for (const file of ['hsds-dutch.json', 'services.csv']) await importFile(input(file), { kbDir: dir, now: NOW });
    const after = await readFile(store, 'utf8');
    for (const file of ['hsds-dutch.json', 'services.csv']) {
      const again = await importFile(input(file), { kbDir: dir, now: NOW });
      expect(again.added, file).to.deep.equal([]);
      expect(again.changed, file).to.deep.equal([]);
      expect(again.organizations, file).to.deep.equal({ added: [], changed: [] });
      expect(again.written, file).to.equal(false);
    }
    expect(await readFile(store, 'utf8')).to.equal(after);
  });

  it('upserts by id: a changed row is reported as changed', async () => {
    await importFile(input('services.csv'), { kbDir: dir, now: NOW });
    const csv = (await readFile(input('services.csv'), 'utf8')).replace('Kleine klussen in huis', 'Kleine klusjes in huis');
    const changedFile = path.join(dir, '..', 'changed.csv');
    await writeFile(changedFile, csv);
    const report = await importFile(changedFile, { kbDir: dir, now: NOW });
    expect(report.changed).to.deep.equal(['klussendienst']);
    expect(report.unchanged).to.deep.equal(['boodschappendienst-huizen']);
    expect((await readStore()).services.filter((s) => s.id === 'klussendienst')).to.have.length(1);
  });

  describe('CSV', () => {
    it('reads quoted fields with commas, doubled quotes and newlines', async () => {
      const report = await importFile(input('services.csv'), { kbDir: dir, now: NOW });
      expect(report.added).to.deep.equal(['boodschappendienst-huizen', 'klussendienst']);
      const kaart = await readStore();
      const boodschappen = kaart.services.find((s) => s.id === 'boodschappendienst-huizen')!;
      expect(boodschappen.description).to.equal('Vrijwilligers doen boodschappen voor u, als u dat zelf niet kunt.\nBel een dag van tevoren.');
      expect(boodschappen.schedules).to.deep.equal([{ id: 'boodschappendienst-huizen-schedule-1', freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '12:00' }]);
      expect(boodschappen.location_ids, 'same address as an existing location: reused').to.deep.equal(['zorgpunt-huizen']);
      expect(kaart.organizations.find((o) => o.id === 'klusteam')?.name).to.equal('Klusteam "Handig" (test)');
      const klus = kaart.services.find((s) => s.id === 'klussendienst')!;
      expect(klus.service_areas.map((a) => a.gemeente), 'CBS code and name').to.deep.equal(['GM0402', 'GM0317']);
      expect(klus.phones, 'the +44 number is dropped').to.deep.equal([]);
      expect(report.dropped.find((d) => d.id === 'klussendienst')?.reason).to.match(/not a Dutch phone number/);
    });

    it('rejects a row whose gemeenten name no municipality of the region', async () => {
      const report = await importFile(input('services.csv'), { kbDir: dir, now: NOW });
      expect(report.rejected).to.deep.equal([{ id: 'buiten-de-regio', reasons: ['service area "Utrecht…" names no municipality of the region (Gooi en Vechtstreek)'] }]);
    });

    it('rejects a row without an organisation, and reads ";"-separated files', async () => {
      const report = await importFile(input('semicolon.csv'), { kbDir: dir, now: NOW });
      expect(report.rejected).to.deep.equal([{ id: 'eetpunt-eemnes', reasons: ['no organization (organization_id or organization)'] }]);
      expect(parseCsv('a;b\n"x;y";z\n')).to.deep.equal([['a', 'b'], ['x;y', 'z']]);
    });

    it('rejects a row that fails validation (unknown organisation id)', async () => {
      const file = path.join(dir, '..', 'unknown-org.csv');
      await writeFile(file, 'id,organization_id,name,description,gemeenten\nx,bestaat-niet,X,Iets,Huizen\n');
      const report = await importFile(file, { kbDir: dir, now: NOW });
      expect(report.rejected).to.deep.equal([{ id: 'x', reasons: ['organization_id: unknown organization "bestaat-niet"'] }]);
    });

    it('reads opening hours like "ma-vr 09:00-17:00; za 10.00-12.00"', () => {
      expect(parseOpens('ma-vr 09:00-17:00; za 10.00-12.00', 's')).to.deep.equal([
        { id: 's-schedule-1', freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' },
        { id: 's-schedule-2', freq: 'WEEKLY', byday: 'SA', opens_at: '10:00', closes_at: '12:00' },
      ]);
      expect(parseOpens('op afspraak', 's')).to.equal(null);
    });
  });

  it('rejects each service that cannot stand, with its reason, and imports the rest', async () => {
    const area = [{ id: 'a', name: 'Gemeente Huizen' }];
    const ok = { id: 'ok', organization_id: 'zorgpunt', name: 'Goed', description: 'Een goede dienst.', service_areas: area };
    const file = path.join(dir, '..', 'list.json');
    await writeFile(
      file,
      JSON.stringify([
        ok,
        { ...ok, id: undefined },
        { ...ok, id: 'no-name', name: '' },
        { ...ok, id: 'no-description', description: undefined },
        { ...ok, id: 'bad-status', status: 'open' },
        { ...ok, id: 'no-org', organization_id: undefined },
        { ...ok, id: 'no-area', service_areas: [] },
        { ...ok, id: 'bad-age', minimum_age: 80, maximum_age: 18 },
        { ...ok, description: 'Dezelfde id nog een keer.' },
      ]),
    );
    const report = await importFile(file, { kbDir: dir, now: NOW });
    expect(report.added).to.deep.equal(['ok']);
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.id, r.reasons.join('; ')]));
    expect(reasons).to.deep.equal({
      '#2': 'no id',
      'no-name': 'no name',
      'no-description': 'no description',
      'bad-status': 'status "open" is not one of active, inactive, defunct, temporarily closed',
      'no-org': 'no organization (organization_id or organization)',
      'no-area': 'no service area: it must name a municipality of the region (Gooi en Vechtstreek)',
      'bad-age': 'maximum_age: is lower than minimum_age',
      ok: 'the file holds this id twice; the first one was imported',
    });
  });

  describe('bad files: a clear error and nothing imported', () => {
    for (const [name, message] of [
      ['broken.csv', /not a readable CSV file: unclosed quote starting on line 2/],
      ['broken.json', /is not valid JSON/],
      ['not-hsds.json', /not sociale-kaart data/],
      ['does-not-exist.json', /cannot read/],
    ] as const) {
      it(name, async () => {
        const before = await readFile(store, 'utf8');
        const err = await importFile(input(name), { kbDir: dir, now: NOW }).then(() => null, (e: unknown) => e);
        expect(err).to.be.instanceOf(ImportError);
        expect((err as Error).message).to.match(message);
        expect(await readFile(store, 'utf8')).to.equal(before);
      });
    }
  });

  it('never leaves the store half-written: a failed write keeps the old file and no temp file', async () => {
    const before = await readFile(store, 'utf8');
    const failingRename = async (): Promise<void> => {
      throw new Error('disk full (simulated)');
    };
    const err = await importFile(input('hsds-dutch.json'), { kbDir: dir, now: NOW, rename: failingRename }).then(() => null, (e: unknown) => e);
    expect((err as Error).message).to.equal('disk full (simulated)');
    expect(await readFile(store, 'utf8')).to.equal(before);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
  });

  it('--dry-run reports without writing', async () => {
    const before = await readFile(store, 'utf8');
    const report = await importFile(input('hsds-dutch.json'), { kbDir: dir, now: NOW, dryRun: true });
    expect(report.added).to.deep.equal([MAATJES]);
    expect(report.written).to.equal(false);
    expect(await readFile(store, 'utf8')).to.equal(before);
  });

  it('npm run kb:import: exit 0 when all imported, 1 with rejections, 2 for an unusable file', function () {
    this.timeout(60_000);
    const run = (file: string): ReturnType<typeof spawnSync> =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'knowledge/cli/import.ts'), file, '--kb', dir], { encoding: 'utf8' });
    const ok = run(input('hsds-dutch.json'));
    expect(ok.status).to.equal(0);
    expect(ok.stdout).to.include(`added 1: ${MAATJES}`);
    const again = run(input('hsds-dutch.json'));
    expect(again.stdout).to.match(/added 0\nchanged 0\nunchanged 1/);
    expect(run(path.join(hsdsExamples, 'service_full.json')).status).to.equal(1);
    const bad = run(input('broken.json'));
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.match(/not valid JSON[\s\S]*Nothing was imported/);
  });
});
