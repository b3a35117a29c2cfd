/**
 * npm run kb:check [-- --dir DIR] [--content-dir DIR]: validates the knowledge data files and the
 * wording files, and prints every problem with file, entry id or key, and field, then a summary.
 * Exit code 1 when there are errors (warnings alone pass). The server refuses to start on the same list.
 */
import path from 'node:path';
import { checkKnowledgeBase, DEFAULT_DATA_DIR } from '../load.js';
import { defaultContentDir, readContent } from '../validate/content.js';
import { formatProblem } from '../validate/index.js';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const dir = path.resolve(argValue('--dir') ?? DEFAULT_DATA_DIR);
  const contentDir = path.resolve(argValue('--content-dir') ?? defaultContentDir());
  const evalDir = argValue('--eval-dir');
  const problems = [
    ...(await checkKnowledgeBase(dir, evalDir ? { evalDir: path.resolve(evalDir) } : {})),
    ...readContent(contentDir).problems,
  ];
  for (const p of problems) console.log(formatProblem(p));
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  console.log(`${errors === 0 ? 'OK' : 'FAILED'}: ${errors} error(s), ${warnings} warning(s) in ${dir} and ${contentDir}`);
  return errors === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`kb:check could not run: ${(err as Error).message}`);
    process.exit(2);
  },
);
