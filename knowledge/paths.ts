import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the project's files are, the same whether the code runs from source (tsx) or compiled
 * (dist/): data and content files are read at run time, never copied into dist/.
 */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const repoRoot = findRoot(dirname(fileURLToPath(import.meta.url)));
/** knowledge/ in the repository: data/, content/, eval/. */
export const knowledgeRoot = resolve(repoRoot, 'knowledge');
export const knowledgeDataDir = resolve(knowledgeRoot, 'data');
