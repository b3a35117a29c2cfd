/**
 * What the bot tells a resident about removed personal data and what reaches disk agree: the
 * message comes from the same detector as the redaction, for every spelling.
 */
import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LowdbStorage } from '../../bot/storage/index.js';
import { normalizedView } from '../../knowledge/privacy/normalize.js';
import { isValidBsn } from '../../knowledge/privacy/redact.js';
import { Chat, texts } from '../dialogs/harness.js';

const BSN = '012345672'; // passes the 11-proef and can be written as eight digits
const SPELLINGS = ['012\u00a0345\u00a0672', '０１２３４５６７２', '0123\u200b45672', '12345672', '012/345/672', '012  345  672', '012_345_672'];

/** The stored text as a detector would read it, with separators between digits taken out. */
function squeezed(text: string): string {
  return normalizedView(text).text.replace(/(?<=\d)[ ._/,\\-]{1,3}(?=\d)/g, '');
}

describe('privacy: "Ik heb uw BSN weggehaald" and what is stored agree', () => {
  let dir: string;
  let storage: LowdbStorage;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmo-said-'));
    storage = new LowdbStorage(dir);
  });
  afterEach(async () => {
    await storage.flush();
    await rm(dir, { recursive: true, force: true });
  });

  async function storedTexts(): Promise<string[]> {
    await storage.flush();
    return Promise.all((await readdir(dir)).map((name) => readFile(join(dir, name), 'utf8')));
  }

  it('test data: the BSN passes the 11-proef', () => {
    expect(isValidBsn(BSN)).to.equal(true);
  });

  for (const spelled of SPELLINGS) {
    it(`a question with the BSN written as ${JSON.stringify(spelled)}: told, and not in any file`, async () => {
      const chat = await Chat.start({ storage, gemeente: 'GM0406' });
      const replies = await chat.say(`mijn bsn is ${spelled}, waar kan ik hulp krijgen`);
      expect(texts(replies)).to.match(/Ik heb uw BSN weggehaald/);
      const files = await storedTexts();
      expect(files.length).to.be.greaterThan(0);
      for (const file of files) expect(squeezed(file)).not.to.include(BSN.slice(1));
    });

    it(`a melding story with the BSN written as ${JSON.stringify(spelled)}: told, and the melding has none`, async () => {
      const chat = await Chat.start({ storage, gemeente: 'GM0406' });
      await chat.sayAll('Een melding doen', '1');
      const told = await chat.say(`Ik kan niet meer stofzuigen. Mijn BSN is ${spelled}.`);
      expect(texts(told)).to.match(/Ik heb uw BSN weggehaald/);
      const done = await chat.sayAll('niets', '1', '1', 'ja', 'E-mail', 'a@b.nl');
      expect(texts(done)).to.match(/WMO-2026-/);
      const files = await storedTexts();
      expect(files.some((file) => file.includes('[BSN verwijderd]')), 'the melding says where the BSN was').to.equal(true);
      for (const file of files) expect(squeezed(file)).not.to.include(BSN.slice(1));
    });
  }
});
