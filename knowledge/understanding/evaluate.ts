/**
 * Measuring the router: on the labeled evaluation set (knowledge/eval/utterances.json, written
 * apart from the training data) and by cross-validation on the training data (for tuning).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { knowledgeRoot } from '../paths.js';
import { TOPICS, isTopicId, type TopicId } from '../topics.js';
import { TopicRouter, type Band, type Calibration, type Understanding } from './router.js';
import type { TrainingExample } from './training.js';

export interface EvalItem {
  text: string;
  topic: TopicId;
}

export interface EvalReport {
  total: number;
  correct: number;
  accuracy: number;
  perTopic: Record<TopicId, { support: number; predicted: number; correct: number; precision: number; recall: number }>;
  /** confusion[expected][predicted] = count */
  confusion: Record<TopicId, Record<TopicId, number>>;
  safety: { total: number; caught: number; recall: number; misses: string[]; falseAlarms: number };
  bands: Record<Band, { count: number; correct: number }>;
  misclassified: Array<{ text: string; expected: TopicId; got: TopicId; confidence: number; band: Band }>;
}

export const DEFAULT_EVAL_PATH = join(knowledgeRoot, 'eval', 'utterances.json');

export class EvalSetMissingError extends Error {}

/** Reads the labeled set; a clear error when it is missing or malformed. */
export function loadEvalSet(path: string = DEFAULT_EVAL_PATH): EvalItem[] {
  if (!existsSync(path)) {
    throw new EvalSetMissingError(`De evaluatieset ontbreekt: ${path} (Array<{ text, topic }>).`);
  }
  const data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (!Array.isArray(data)) throw new Error(`${path}: verwacht een lijst van { text, topic }.`);
  return data.map((item: { text?: unknown; topic?: unknown }, i) => {
    if (typeof item?.text !== 'string' || !isTopicId(item.topic)) {
      throw new Error(`${path}[${i}]: verwacht { text: string, topic: TopicId }.`);
    }
    return { text: item.text, topic: item.topic };
  });
}

function emptyMatrix(): Record<TopicId, Record<TopicId, number>> {
  return Object.fromEntries(TOPICS.map((a) => [a, Object.fromEntries(TOPICS.map((b) => [b, 0]))])) as Record<
    TopicId,
    Record<TopicId, number>
  >;
}

export function evaluate(router: TopicRouter, items: readonly EvalItem[]): EvalReport {
  return report(items.map((item) => ({ item, u: router.understand(item.text) })));
}

function report(results: ReadonlyArray<{ item: EvalItem; u: Understanding }>): EvalReport {
  const confusion = emptyMatrix();
  const bands: EvalReport['bands'] = { high: { count: 0, correct: 0 }, middle: { count: 0, correct: 0 }, low: { count: 0, correct: 0 } };
  const misclassified: EvalReport['misclassified'] = [];
  const safety = { total: 0, caught: 0, recall: 1, misses: [] as string[], falseAlarms: 0 };
  let correct = 0;
  for (const { item, u } of results) {
    confusion[item.topic][u.topic]++;
    bands[u.band].count++;
    if (u.topic === item.topic) {
      correct++;
      bands[u.band].correct++;
    } else {
      misclassified.push({ text: item.text, expected: item.topic, got: u.topic, confidence: u.confidence, band: u.band });
    }
    if (item.topic === 'veiligheid') {
      safety.total++;
      if (u.safety) safety.caught++;
      else safety.misses.push(item.text);
    } else if (u.safety) {
      safety.falseAlarms++;
    }
  }
  safety.recall = safety.total === 0 ? 1 : safety.caught / safety.total;
  const perTopic = Object.fromEntries(
    TOPICS.map((t) => {
      const support = TOPICS.reduce((n, p) => n + confusion[t][p], 0);
      const predicted = TOPICS.reduce((n, e) => n + confusion[e][t], 0);
      const hit = confusion[t][t];
      return [t, { support, predicted, correct: hit, precision: predicted ? hit / predicted : 1, recall: support ? hit / support : 1 }];
    }),
  ) as EvalReport['perTopic'];
  const total = results.length;
  return { total, correct, accuracy: total ? correct / total : 0, perTopic, confusion, safety, bands, misclassified };
}

const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;

/** The printout of npm run eval (misclassified items only when asked for). */
export function formatReport(r: EvalReport, options: { showErrors?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(`Items: ${r.total}   accuracy: ${pct(r.accuracy)} (${r.correct}/${r.total})   misclassified: ${r.misclassified.length}`);
  lines.push(
    `Safety recall: ${pct(r.safety.recall)} (${r.safety.caught}/${r.safety.total})   needless safety answers: ${r.safety.falseAlarms}`,
  );
  lines.push(
    `Bands: ${(['high', 'middle', 'low'] as const)
      .map((b) => `${b} ${r.bands[b].count} (${r.bands[b].count ? pct(r.bands[b].correct / r.bands[b].count) : '-'} right)`)
      .join('   ')}`,
  );
  lines.push('', 'Topic                 support  precision  recall');
  for (const t of TOPICS) {
    const p = r.perTopic[t];
    lines.push(`${t.padEnd(22)}${String(p.support).padStart(7)}  ${pct(p.precision).padStart(9)}  ${pct(p.recall).padStart(6)}`);
  }
  const abbr = (t: string): string => t.slice(0, 5);
  lines.push('', `Confusion (rows: expected, columns: predicted)`);
  lines.push(`${''.padEnd(22)}${TOPICS.map((t) => abbr(t).padStart(6)).join('')}`);
  for (const e of TOPICS) {
    lines.push(`${e.padEnd(22)}${TOPICS.map((p) => String(r.confusion[e][p] || '.').padStart(6)).join('')}`);
  }
  if (r.safety.misses.length > 0) {
    lines.push('', 'Safety misses:', ...r.safety.misses.map((t) => `  ${t}`));
  }
  if (options.showErrors && r.misclassified.length > 0) {
    lines.push('', 'Misclassified:');
    for (const m of r.misclassified) {
      lines.push(`  [${m.expected} → ${m.got} ${m.confidence} ${m.band}] ${m.text}`);
    }
  }
  return lines.join('\n');
}

/**
 * k-fold cross-validation on the training data: every utterance is classified by a router that did
 * not see it. Used to choose the temperature and band thresholds without touching the eval set.
 */
export function crossValidate(
  examples: readonly TrainingExample[],
  calibration: Calibration,
  folds = 5,
): { report: EvalReport; results: Array<{ item: EvalItem; u: Understanding }> } {
  const results: Array<{ item: EvalItem; u: Understanding }> = [];
  for (let f = 0; f < folds; f++) {
    const train = examples.filter((_, i) => i % folds !== f);
    const test = examples.filter((_, i) => i % folds === f);
    const router = TopicRouter.fromExamples(train, { calibration });
    for (const item of test) results.push({ item, u: router.understand(item.text) });
  }
  return { report: report(results), results };
}
