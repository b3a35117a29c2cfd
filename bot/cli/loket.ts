/**
 * For loket staff until the staff console exists:
 *   npm run loket -- meldingen [--gemeente GM0406]   meldingen, newest first, with the call-back contact
 *   npm run loket -- onbeantwoord                     questions the bot could not answer (redacted)
 * Reads the service's storage in DATA_DIR (default ./data), the same files the running server writes.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Melding } from '../../dialogs/meldingen.js';
import { MeldingStore } from '../../dialogs/meldingen.js';
import { UnansweredStore, type UnansweredQuestion } from '../../dialogs/unanswered.js';
import { loadDotEnv, readConfig } from '../config.js';
import { LowdbStorage } from '../storage/index.js';

export async function meldingLines(dataDir: string, gemeente?: string): Promise<string[]> {
  const items = await new LowdbStorage(join(dataDir, 'state')).list(MeldingStore.PREFIX);
  return items
    .map(({ value }) => value as unknown as Melding)
    .filter((m) => !gemeente || m.gemeente === gemeente)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((m) =>
      [
        `${m.reference}  ${m.createdAt.slice(0, 16).replace('T', ' ')}  ${m.gemeente}  ${m.topic}  spoed: ${m.spoed}`,
        `  contact: ${m.contact.method} ${m.contact.value}${m.contact.when ? ` (${m.contact.when})` : ''}`,
        `  situatie: ${m.situatie}`,
        `  geprobeerd: ${m.geprobeerd}`,
        `  huishouden: ${m.huishouden}`,
      ].join('\n'),
    );
}

export async function unansweredLines(dataDir: string): Promise<string[]> {
  const items = await new LowdbStorage(join(dataDir, 'state')).list(UnansweredStore.PREFIX);
  return items
    .map(({ value }) => value as unknown as UnansweredQuestion)
    .map((q) => `${q.at.slice(0, 16).replace('T', ' ')}  ${q.reason}  ${q.gemeente ?? '-'}  "${q.text}"  (${q.candidates.map((c) => c.topic).join(', ') || 'geen idee'})`);
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
