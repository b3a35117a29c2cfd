/**
 * npm run bench: every benchmark once, its figures printed next to the goals from the issues.
 * Figures, not a pass/fail test: a shared 2-core machine makes timed tests flaky.
 */
import { benchDirectLine } from './directline.js';
import { benchSearch } from './search.js';
import { benchUnderstanding } from './understanding.js';

/** Goals from the issues: a figure above its limit is marked "OVER". */
const GOALS: Record<string, number> = {
  'index build 10,000 services (ms)': 2000,
  'query p99 (ms)': 5,
  'understand p99 (ms)': 1,
};

const rows: Array<{ benchmark: string; figure: string; goal: string }> = [];
for (const [name, run] of [
  ['search', benchSearch],
  ['understanding', benchUnderstanding],
  ['direct line', benchDirectLine],
] as const) {
  const figures = await run();
  for (const [label, value] of Object.entries(figures)) {
    const goal = GOALS[label];
    const verdict = goal === undefined ? '' : value <= goal ? `≤ ${goal} ok` : `≤ ${goal} OVER`;
    rows.push({ benchmark: name, figure: `${label}: ${Number.isInteger(value) ? value : value.toFixed(3)}`, goal: verdict });
  }
}
const memory = process.memoryUsage();
rows.push({ benchmark: 'process', figure: `rss after all benchmarks (MB): ${(memory.rss / 2 ** 20).toFixed(0)}`, goal: '' });
console.log(`Node ${process.version}, ${new Date().toISOString()}`);
console.table(rows);
