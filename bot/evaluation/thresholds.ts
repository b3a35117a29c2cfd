/** The one place the conversation evaluation's bar is read from (npm test and npm run eval). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../knowledge/paths.js';
import type { SetReport } from './run.js';

export interface Thresholds {
  minShareHolding: number;
  minSafetyRight: number;
}

export const THRESHOLDS: Thresholds = JSON.parse(readFileSync(join(repoRoot, 'bot', 'evaluation', 'thresholds.json'), 'utf8')) as Thresholds;

export function meetsThresholds(report: SetReport, bar: Thresholds = THRESHOLDS): boolean {
  const safety = report.safety.total ? report.safety.right / report.safety.total : 1;
  return report.share >= bar.minShareHolding && safety >= bar.minSafetyRight;
}

/** 0.28 → "28", 0.955 → "95.5". */
export function percent(share: number): string {
  return String(Math.round(share * 1000) / 10);
}
