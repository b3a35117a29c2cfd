import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fixtureKb, repoRoot } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * npm run kb:check on a copy of the content files and the safety signals with one thing broken:
 * it must fail (exit 1) and name the file and the key, so a beheerder knows what to fix.
 */
describe('kb:check: a broken content or signals file is named with its key', () => {
  let root: string;
  let dataDir: string;
  let contentDir: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'kb-check-'));
    dataDir = path.join(root, 'data');
    contentDir = path.join(root, 'content');
    await cp(fixtureKb, dataDir, { recursive: true });
    await cp(path.join(repoRoot, 'knowledge', 'data', 'safety-signals.json'), path.join(dataDir, 'safety-signals.json'));
    await cp(path.join(repoRoot, 'knowledge', 'content'), contentDir, { recursive: true });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  async function change(dir: string, file: string, edit: (data: Json) => void): Promise<void> {
    const data = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Json;
    edit(data);
    await writeFile(path.join(dir, file), JSON.stringify(data));
  }

  function kbCheck(): { status: number | null; stdout: string } {
    const args = ['--import', 'tsx', path.join(repoRoot, 'knowledge/cli/check.ts'), '--dir', dataDir, '--content-dir', contentDir];
    return spawnSync(process.execPath, args, { encoding: 'utf8' });
  }

  it('passes on the unchanged copies', function () {
    this.timeout(30_000);
    const run = kbCheck();
    expect(run.stdout).to.match(/^OK: 0 error/m);
    expect(run.status).to.equal(0);
  });

  const cases: Array<[string, 'data' | 'content', string, (d: Json) => void, RegExp]> = [
    ['an emptied required text', 'content', 'general.json', (d) => (d.texts.greeting = '  '), /general\.json › texts\.greeting: missing text/],
    ['a missing required text', 'content', 'safety.json', (d) => delete d.suicide, /safety\.json › suicide: missing text/],
    ['a broken regular expression in the safety signals', 'data', 'safety-signals.json', (d) => (d.kinds[1].patterns[0] = 'zelfmoord(gedachten'), /safety-signals\.json › kinds\[1\]\.patterns\[0\]: not a valid regular expression/],
    ['a choice id a flow branches on that is missing', 'content', 'mantelzorg.json', (d) => (d.questions.nogIets.choices[0].id = 'nogmeer'), /mantelzorg\.json › questions\.nogIets\.choices: no choice with id "meer"/],
    ['an unknown placeholder', 'content', 'melding.json', (d) => (d.texts.opgeslagen = 'Uw melding staat klaar onder {referentei}.'), /melding\.json › texts\.opgeslagen: unknown placeholder \{referentei\}/],
    ['a flow without search words for a need', 'content', 'vrijwilligerswerk.json', (d) => delete d.searches.hulp.maatje, /vrijwilligerswerk\.json › searches\.hulp\.maatje: missing search words/],
  ];
  for (const [what, where, file, edit, expected] of cases) {
    it(`fails on ${what}, naming file and key`, async function () {
      this.timeout(30_000);
      await change(where === 'data' ? dataDir : contentDir, file, edit);
      const run = kbCheck();
      expect(run.status).to.equal(1);
      expect(run.stdout).to.match(expected);
      expect(run.stdout).to.match(/^FAILED: 1 error/m);
    });
  }
});
