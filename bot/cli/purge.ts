/**
 * npm run purge: deletes from DATA_DIR what is older than its retention (RETENTION_*_DAYS), as
 * the running service does every PURGE_INTERVAL_MINUTES. For a stopped service, or once by hand.
 */
import { join } from 'node:path';
import { loadDotEnv, readConfig } from '../config.js';
import { purgeExpired } from '../retention/purge.js';
import { LowdbStorage } from '../storage/index.js';
import { corruptFileNotice } from './loket.js';

loadDotEnv();
const { dataDir, retentionDays: days } = readConfig();
const storage = new LowdbStorage(join(dataDir, 'state'), { logger: corruptFileNotice });
const purged = await purgeExpired(storage, days);
await storage.flush();
// "aantal: n" reads right for 1 as well as for 2.
process.stdout.write(
  `Verwijderd uit ${dataDir}: gesprekken ${purged.conversations}, Direct Line-gesprekken ${purged.directLine}, ` +
    `meldingen ${purged.meldingen}, onbeantwoorde vragen ${purged.unanswered}, beschadigde bestanden ${purged.corrupt}.\n` +
    `Bewaartermijnen in dagen: gesprekken ${days.conversations}, Direct Line-gesprekken ${days.directLine}, meldingen ${days.meldingen}, ` +
    `onbeantwoorde vragen ${days.unanswered}, beschadigde bestanden ${days.corrupt}.\n`,
);
