/**
 * npm run kb:import -- FILE [--kb DIR] [--dry-run]: imports sociale-kaart services from HSDS JSON or
 * CSV into DIR/sociale-kaart.json (default knowledge/data), upserting by id, and reports what was
 * added, changed, unchanged, rejected and dropped. Exit code: 0 all imported, 1 some services
 * rejected, 2 the file could not be used (nothing imported).
 */
import path from 'node:path';
import { formatReport, ImportError, importFile } from '../import/index.js';

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const kb = argValue(args, '--kb');
  const files = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--kb');
  if (files.length !== 1) {
    console.error('usage: npm run kb:import -- FILE.json|FILE.csv [--kb DIR] [--dry-run]');
    return 2;
  }
  try {
    const report = await importFile(path.resolve(files[0]), { kbDir: kb ? path.resolve(kb) : undefined, dryRun: args.includes('--dry-run') });
    for (const line of formatReport(report)) console.log(line);
    return report.rejected.length ? 1 : 0;
  } catch (err) {
    if (err instanceof ImportError) {
      console.error(`kb:import: ${err.message}\nNothing was imported; the store is unchanged.`);
      return 2;
    }
    throw err;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`kb:import failed, the store is unchanged: ${(err as Error).message}`);
    process.exit(2);
  },
);
