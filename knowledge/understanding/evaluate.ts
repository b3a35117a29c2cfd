/**
 * Measuring the router: on the labeled evaluation set (knowledge/eval/utterances.json, written
 * apart from the training data) and by cross-validation on the training data (for tuning).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { knowledgeRoot } from '../paths.js';
import { TOPICS, isTopicId, type TopicId } from '../topics.js';
import { TopicRouter, type Band, type Calibration, type Understanding } from './router.js';
import { seededRandom, shuffle } from './random.js';
import { DEFAULT_SAFETY_SIGNALS_PATH, SafetyDetector } from './safety.js';
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

/** Held-out answers under one calibration: the router's, and the model's alone (safety phrases off). */
export interface HeldOut {
  calibration: Calibration;
  results: Array<{ item: EvalItem; u: Understanding; modelOnly: Understanding }>;
  /** Accuracy of each repeat, so the spread shows which differences are noise. */
  accuracyPerRepeat: number[];
  report: EvalReport;
}

/** Fold number per example: each topic shuffled (seeded) and dealt round the folds, so every fold holds every topic. */
function stratifiedFolds(examples: readonly TrainingExample[], folds: number, seed: number): number[] {
  const next = seededRandom(seed);
  const fold = new Array<number>(examples.length);
  for (const topic of TOPICS) {
    const ids = shuffle(
      examples.flatMap((e, i) => (e.topic === topic ? [i] : [])),
      next,
    );
    ids.forEach((id, n) => (fold[id] = n % folds));
  }
  return fold;
}

/** The safety rules without their phrases: only the classifier's veiligheid probability can raise a signal. */
function phrasesOff(): SafetyDetector {
  const file = JSON.parse(readFileSync(DEFAULT_SAFETY_SIGNALS_PATH, 'utf8')) as ConstructorParameters<typeof SafetyDetector>[0];
  return new SafetyDetector({ ...file, kinds: [], typoWords: {}, cueGroups: [] });
}

/**
 * Repeated stratified k-fold cross-validation on the training data: every utterance is classified
 * by a router that did not see it, once per repeat, with other folds each repeat (fixed seeds, so
 * figures are stable). One model per fold answers under every calibration given. Used to choose
 * the model, the temperature and the thresholds without touching the evaluation set.
 */
export function crossValidate(
  examples: readonly TrainingExample[],
  calibrations: readonly Calibration[],
  {
    folds = 5,
    repeats = 3,
    seed = 1,
    extra = [],
  }: {
    folds?: number;
    repeats?: number;
    seed?: number;
    /** Training for every fold, never held out: new utterances measured against the same folds as before. */
    extra?: readonly TrainingExample[];
  } = {},
): HeldOut[] {
  const bare = phrasesOff();
  const held = calibrations.map((calibration) => ({ calibration, results: [] as HeldOut['results'], accuracyPerRepeat: [] as number[] }));
  for (let r = 0; r < repeats; r++) {
    const fold = stratifiedFolds(examples, folds, seed + r);
    const right = held.map(() => 0);
    for (let f = 0; f < folds; f++) {
      const router = TopicRouter.fromExamples(
        [...examples.filter((_, i) => fold[i] !== f), ...extra],
        { calibration: calibrations[0] },
      );
      const test = examples.filter((_, i) => fold[i] === f);
      held.forEach((h, c) => {
        const withPhrases = router.recalibrated(h.calibration);
        const modelOnly = router.recalibrated(h.calibration, bare);
        for (const item of test) {
          const u = withPhrases.understand(item.text);
          if (u.topic === item.topic) right[c]++;
          h.results.push({ item, u, modelOnly: modelOnly.understand(item.text) });
        }
      });
    }
    held.forEach((h, c) => h.accuracyPerRepeat.push(right[c] / examples.length));
  }
  return held.map((h) => ({ ...h, report: report(h.results) }));
}
