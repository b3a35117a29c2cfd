/**
 * For loket staff until the staff console exists:
 *   npm run loket -- meldingen [--gemeente GM0406]   meldingen, newest first, with the call-back contact
 *   npm run loket -- onbeantwoord                     questions the bot could not answer (redacted)
 * Reads the service's storage in DATA_DIR (default ./data), the same files the running server writes.
 * Everything a resident typed is printed through textForStaff: one line per field, control and
 * bidi characters shown, never obeyed, so a story cannot print a fake melding or move the cursor.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Melding } from '../../dialogs/meldingen.js';
import { MeldingStore } from '../../dialogs/meldingen.js';
import { UnansweredStore, type UnansweredQuestion } from '../../dialogs/unanswered.js';
import { textForStaff as t } from '../../knowledge/privacy/staffText.js';
import { loadDotEnv, readConfig } from '../config.js';
import { LowdbStorage, type StorageLogger } from '../storage/index.js';

/**
 * Reading a corrupt file moves it aside (the running service does the same); staff are told,
 * because it happens in the live data folder and the moved file may hold a resident's text.
 */
export const corruptFileNotice: StorageLogger = {
  warn(o) {
    const { file, movedTo } = o as { file?: string; movedTo?: string };
    process.stderr.write(
      `Let op: ${t(file)} was beschadigd en is verplaatst naar ${t(movedTo)}. Het wordt overgeslagen. ` +
        'Het kan persoonsgegevens bevatten: bekijk het en verwijder het daarna (npm run purge ruimt zulke bestanden ook op).\n',
    );
  },
};

function storageIn(dataDir: string): LowdbStorage {
  return new LowdbStorage(join(dataDir, 'state'), { logger: corruptFileNotice });
}

export async function meldingLines(dataDir: string, gemeente?: string): Promise<string[]> {
  const items = await storageIn(dataDir).list(MeldingStore.PREFIX);
  return items
    .map(({ value }) => value as unknown as Melding)
    .filter((m) => !gemeente || m.gemeente === gemeente)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((m) =>
      [
        `${t(m.reference)}  ${t(m.createdAt.slice(0, 16).replace('T', ' '))}  ${t(m.gemeente)}  ${t(m.topic)}  spoed: ${t(m.spoed)}`,
        `  contact: ${t(m.contact.method)} ${t(m.contact.value)}${m.contact.when ? ` (${t(m.contact.when)})` : ''}`,
        `  situatie: ${t(m.situatie)}`,
        `  geprobeerd: ${t(m.geprobeerd)}`,
        `  huishouden: ${t(m.huishouden)}`,
      ].join('\n'),
    );
}

export async function unansweredLines(dataDir: string): Promise<string[]> {
  const items = await storageIn(dataDir).list(UnansweredStore.PREFIX);
  return items
    .map(({ value }) => value as unknown as UnansweredQuestion)
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((q) => `${t(q.at.slice(0, 16).replace('T', ' '))}  ${t(q.reason)}  ${t(q.gemeente ?? '-')}  "${t(q.text)}"  (${t(q.candidates.map((c) => c.topic).join(', ') || 'geen idee')})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  loadDotEnv();
  const { dataDir } = readConfig();
  const [what, flag, value] = process.argv.slice(2);
  const gemeente = flag === '--gemeente' ? value?.toUpperCase() : undefined;
  const lines =
    what === 'meldingen' ? await meldingLines(dataDir, gemeente) : what === 'onbeantwoord' ? await unansweredLines(dataDir) : undefined;
  if (!lines) {
    process.stderr.write('Gebruik: npm run loket -- meldingen [--gemeente GM0406] | onbeantwoord\n');
    process.exit(2);
  }
  process.stdout.write(lines.length ? `${lines.join('\n\n')}\n` : `Geen ${what} in ${dataDir}.\n`);
}
