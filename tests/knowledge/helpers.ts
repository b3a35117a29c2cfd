import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixtures = path.join(repoRoot, 'tests', 'fixtures', 'knowledge');
export const fixtureKb = path.join(fixtures, 'kb');
/** Genuine HSDS 3.0 examples (CC BY-SA 4.0, © Open Referral; see tests/fixtures/hsds/README.md). */
export const hsdsExamples = path.join(repoRoot, 'tests', 'fixtures', 'hsds');

/** A temporary copy of the fixture knowledge folder (tests never touch the real or fixture files). */
export async function tempKb(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'kb-test-'));
  const dir = path.join(root, 'data');
  await cp(fixtureKb, dir, { recursive: true });
  return { dir, cleanup: () => rm(root, { recursive: true, force: true }) };
}
