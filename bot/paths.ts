import { resolve } from 'node:path';
import { knowledgeDataDir, repoRoot } from '../knowledge/paths.js';

export { knowledgeDataDir, repoRoot };
export const webDir = resolve(repoRoot, 'web');
