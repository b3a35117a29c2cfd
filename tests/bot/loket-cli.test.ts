import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { meldingLines, unansweredLines } from '../../bot/cli/loket.js';
import { LowdbStorage } from '../../bot/storage/index.js';
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
    await new UnansweredStore(storage).add({ text: 'waar moet ik met mijn bsn 111222333 heen', reason: 'laag', gemeente: 'GM0406', candidates: [] });
    await storage.flush();
    const lines = (await unansweredLines(dataDir)).join('\n');
    expect(lines).to.include('[BSN verwijderd]').and.not.include('111222333');
  });
});
