/**
 * `npm run staff`: the real command in a child process, the password on standard input, and what
 * ends up on disk (a scrypt hash, never the password).
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LowdbStorage } from '../../bot/storage/index.js';
import { StaffStore, verifyPassword } from '../../bot/staff/accounts.js';
import { knowledgeDataDir, repoRoot } from '../../bot/paths.js';
import { runStaffCommand } from '../../bot/staff/cli.js';
import { StaffError } from '../../bot/staff/accounts.js';
import { Readable } from 'node:stream';

/** The same command in this process (spawning tsx costs seconds on a busy machine). */
async function staffHere(dataDir: string, args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const lines = await runStaffCommand(args, { dataDir, knowledgeDir: knowledgeDataDir, stdin: Readable.from([stdin]) });
    return { code: 0, stdout: `${lines.join('\n')}\n`, stderr: '' };
  } catch (error) {
    if (!(error instanceof StaffError)) throw error;
    return { code: 2, stdout: '', stderr: error.message };
  }
}

function staff(dataDir: string, args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/staff/cli.ts', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, DATA_DIR: dataDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('staff command: accounts for the loket console', function () {
  this.timeout(60_000);
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wmo-staff-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('adds an account with the password from stdin, stored only as a scrypt hash', async () => {
    const added = await staff(dataDir, ['add', 'anna', '--rol', 'medewerker', '--gemeente', 'GM0406,GM0402', '--naam', 'Anna'], 'geheim-wachtwoord-1\n');
    expect(added.stderr).to.equal('');
    expect(added.code).to.equal(0);
    expect(added.stdout).to.match(/anna \(medewerker, GM0406,GM0402\) is aangemaakt/);
    const files = await readdir(join(dataDir, 'state'));
    const all = (await Promise.all(files.map((f) => readFile(join(dataDir, 'state', f), 'utf8')))).join('\n');
    expect(all).to.not.contain('geheim-wachtwoord-1');
    const account = await new StaffStore(new LowdbStorage(join(dataDir, 'state'))).get('anna');
    expect(account?.password.N).to.be.at.least(16384);
    expect(await verifyPassword('geheim-wachtwoord-1', account!.password)).to.equal(true);
  });

  it('lists, changes a password, and removes', async () => {
    const list = await staffHere(dataDir, ['list']);
    expect(list.stdout).to.match(/^anna {2}medewerker {2}GM0406,GM0402 {2}"Anna"/);
    expect(list.stdout).to.not.match(/hash|salt/);
    const changed = await staffHere(dataDir, ['password', 'anna'], 'nieuw-wachtwoord-2\n');
    expect(changed.code).to.equal(0);
    const account = await new StaffStore(new LowdbStorage(join(dataDir, 'state'))).get('anna');
    expect(await verifyPassword('nieuw-wachtwoord-2', account!.password)).to.equal(true);
    expect((await staffHere(dataDir, ['remove', 'anna'])).stdout).to.match(/verwijderd/);
    expect((await staffHere(dataDir, ['list'])).stdout).to.match(/Nog geen accounts/);
  });

  it('refuses mistakes with a clear message and exit code 2', async () => {
    const cases: Array<[string[], string, RegExp]> = [
      [['add', 'piet', '--rol', 'baas', '--gemeente', 'GM0406'], 'geheim-wachtwoord-1\n', /--rol medewerker/],
      [['add', 'piet', '--rol', 'medewerker', '--gemeente', 'GM9999'], 'geheim-wachtwoord-1\n', /Onbekende gemeente: GM9999/],
      [['add', 'piet', '--rol', 'medewerker', '--gemeente', 'GM0406'], 'kort\n', /minstens 10 tekens/],
      [['add', 'Piet Jansen', '--rol', 'medewerker', '--gemeente', 'GM0406'], 'geheim-wachtwoord-1\n', /gebruikersnaam/],
      [['remove', 'niemand'], '', /geen account "niemand"/],
      [['onzin'], '', /Gebruik:/],
    ];
    const results = await Promise.all(cases.map(([args, stdin], i) => (i === 0 ? staff : staffHere)(dataDir, args, stdin)));
    for (const [i, [args, , message]] of cases.entries()) {
      const result = results[i];
      expect(result.code, args.join(' ')).to.equal(2);
      expect(result.stderr, args.join(' ')).to.match(message);
      expect(result.stderr).to.not.contain('geheim-wachtwoord');
    }
  });
});
