/**
 * npm run teams:package [-- --out FILE]: writes the Teams app zip for upload in Teams or the
 * Teams admin center. Reads MicrosoftAppId and PUBLIC_URL like the service (.env or environment).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { loadDotEnv, readConfig } from '../config.js';
import { repoRoot } from '../paths.js';
import { buildAppPackage, PackageError } from '../teams/appPackage.js';

async function main(args: string[]): Promise<void> {
  loadDotEnv();
  const outAt = args.indexOf('--out');
  if (outAt >= 0 && !args[outAt + 1]) throw new PackageError('--out needs a file name, e.g. --out wmo-assistent.zip');
  const out = resolve(outAt >= 0 ? args[outAt + 1] : join(repoRoot, 'dist', 'teams', 'wmo-assistent-teams.zip'));
  const config = readConfig();
  if (!config.publicUrl) throw new PackageError('Set PUBLIC_URL to the service\'s public https address (the Azure Bot\'s messaging endpoint host).');
  const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const zip = buildAppPackage({ appId: config.microsoftAppId, publicUrl: config.publicUrl, version });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, zip);
  process.stdout.write(`Teams app package written: ${out}\nUpload it in Teams (Apps → Manage your apps → Upload an app) or in the Teams admin center.\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof PackageError || (error instanceof Error && error.name === 'ConfigError') ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
