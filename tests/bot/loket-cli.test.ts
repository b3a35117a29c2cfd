import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { meldingLines, unansweredLines } from '../../bot/cli/loket.js';
import { fileNameForKey, LowdbStorage } from '../../bot/storage/index.js';
import { MeldingStore } from '../../dialogs/meldingen.js';
import { UnansweredStore } from '../../dialogs/unanswered.js';

describe('loket command: meldingen and unanswered questions from DATA_DIR', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wmo-loket-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('lists a stored melding with its reference and call-back contact, filtered by gemeente', async () => {
    const storage = new LowdbStorage(join(dataDir, 'state'));
    const store = new MeldingStore(storage);
    const melding = await store.create({
      gemeente: 'GM0406',
      topic: 'huishoudelijke-hulp',
      situatie: 'Ik kan niet meer stofzuigen.',
      geprobeerd: 'Mijn zoon helpt soms.',
      huishouden: 'Ik woon alleen.',
      spoed: 'normaal',
      consent: { given: true, at: new Date().toISOString(), wording: 'Mag ik dit naar het Wmo-loket sturen?' },
      contact: { method: 'telefoon', value: '06-12345678', when: 'ochtend' },
    });
    await storage.flush();
    const lines = await meldingLines(dataDir, 'GM0406');
    expect(lines.join('\n')).to.include(melding.reference).and.include('06-12345678').and.include('stofzuigen');
    expect(await meldingLines(dataDir, 'GM0402')).to.deep.equal([]);
  });

  it('lists unanswered questions, redacted', async () => {
    const storage = new LowdbStorage(join(dataDir, 'state'));
    await new UnansweredStore(storage).add({ conversationId: 'c1', text: 'waar moet ik met mijn bsn 111222333 heen', reason: 'laag', gemeente: 'GM0406', candidates: [] });
    await storage.flush();
    const lines = (await unansweredLines(dataDir)).join('\n');
    expect(lines).to.include('[BSN verwijderd]').and.not.include('111222333');
  });

  it('a story cannot forge a melding, move the cursor or turn text around', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wmo-loket-forge-'));
    try {
      const storage = new LowdbStorage(join(dir, 'state'));
      const forged = 'Ik kan niet meer koken.\n\nWMO-2026-FAKE99  2026-11-24 10:00  GM0402  veiligheid  spoed: acuut\n  contact: telefoon 0612345678';
      await new MeldingStore(storage).create({
        gemeente: 'GM0406',
        topic: 'huishoudelijke-hulp',
        situatie: forged,
        geprobeerd: 'niets\u001b[2J\u001b[1;1H\u001b]0;titel\u0007',
        huishouden: 'alleen \u202e3 4 5 6 7\u202c en \u2066x\u2069\r\u0085\u2028',
        spoed: 'normaal',
        consent: { given: true, at: new Date().toISOString(), wording: 'Mag ik dit naar het Wmo-loket sturen?' },
        contact: { method: 'telefoon', value: '06-12345678\nWMO-2026-FAKE98', when: 'ochtend\u001b[31m' },
      });
      await new UnansweredStore(storage).add({ conversationId: 'c2', text: 'hallo\n2026-11-24 10:00  laag  GM0406  "nep"\u001b[0m', reason: 'laag', candidates: [] });
      await storage.flush();
      const [record] = await meldingLines(dir);
      const lines = record.split('\n');
      expect(lines, 'one melding is five lines').to.have.length(5);
      expect(lines.filter((line) => /^WMO-/.test(line)), 'only one line starts with a reference').to.have.length(1);
      expect(lines[2]).to.match(/^ {2}situatie: Ik kan niet meer koken\. ⏎ {2}⏎ WMO-2026-FAKE99/);
      const all = record + (await unansweredLines(dir)).join('\n');
      for (const line of all.split('\n')) expect(line).not.to.match(/[\p{Cc}\u202a-\u202e\u2066-\u2069\u2028\u2029]/u);
      expect(all).to.include('␛[2J').and.include('<U+202E>').and.include('<U+2066>');
      expect(await unansweredLines(dir)).to.have.length(1).and.satisfy((l: string[]) => !l[0].includes('\n'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says so when it finds a corrupt file and moves it aside in the live data folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wmo-loket-corrupt-'));
    try {
      const storage = new LowdbStorage(join(dir, 'state'));
      await storage.write({ 'meldingen/WMO-2026-BROKEN': { reference: 'WMO-2026-BROKEN' } });
      await storage.flush();
      const name = fileNameForKey('meldingen/WMO-2026-BROKEN');
      await writeFile(join(dir, 'state', name), '{"key": "meldingen/WMO-2026-BRO');
      const run = promisify(execFile);
      const { stdout, stderr } = await run(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/cli/loket.ts', 'meldingen'], {
        env: { ...process.env, DATA_DIR: dir },
      });
      expect(stderr).to.match(/Let op: .*beschadigd en is verplaatst naar .*\.corrupt-\d+/);
      expect(stderr).to.include(name);
      expect(stdout).to.include('Geen meldingen');
      expect((await readdir(join(dir, 'state'))).some((file) => file.startsWith(`${name}.corrupt-`))).to.equal(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
