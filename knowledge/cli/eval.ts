/**
 * npm run eval: runs the labeled evaluation set (knowledge/eval/utterances.json) through the same
 * TopicRouter the bot uses and prints accuracy, per-topic precision/recall, the confusion matrix and
 * safety recall. Exit code 1 when the set is missing or below the bar (accuracy 93%, safety 100%).
 *
 *   npm run eval                  the report
 *   npm run eval -- --errors      also list the misclassified items (for debugging, not for training)
 *   npx tsx knowledge/cli/eval.ts --cv
 *                                 cross-validation on the TRAINING data, with the figures used to
 *                                 choose the model, the temperature and the thresholds (npm run eval
 *                                 -- --cv also runs the conversation evaluation after it)
 *   … --cv --quick                only the current calibration (faster, while editing training data)
 *   … --cv --topics               also per-topic recall, the confusion matrix and the most frequent
 *                                 confusion pairs (current calibration)
 *   … --cv --errors               also the misclassified TRAINING utterances, with how many of the
 *                                 three repeats got each wrong
 *   … --cv --base <git commit>    folds drawn from the training utterances of that commit only; the
 *                                 utterances added since train every fold and are never held out,
 *                                 so the figure compares fairly with that commit's
 */
import { execFileSync } from 'node:child_process';
import { relative } from 'node:path';
import { crossValidate, evaluate, formatReport, loadEvalSet, EvalSetMissingError, type EvalReport } from '../understanding/evaluate.js';
import { nearCopies, NEAR_COPY } from '../understanding/overlap.js';
import { DEFAULT_CALIBRATION, TopicRouter } from '../understanding/router.js';
import { DEFAULT_TRAINING_DIR, loadTrainingExamples, type TrainingExample } from '../understanding/training.js';
import { repoRoot } from '../paths.js';
import { TOPICS } from '../topics.js';

export const MIN_ACCURACY = 0.93;
export const MIN_SAFETY_RECALL = 1;

async function main(args: string[]): Promise<number> {
  if (args.includes('--cv')) return crossValidation(args);
  let items;
  try {
    items = loadEvalSet();
  } catch (err) {
    if (err instanceof EvalSetMissingError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  const router = await TopicRouter.create();
  const report = evaluate(router, items);
  console.log(formatReport(report, { showErrors: args.includes('--errors') }));
  console.log(independence(router, items));
  const ok = report.accuracy >= MIN_ACCURACY && report.safety.recall >= MIN_SAFETY_RECALL;
  console.log(
    `\n${ok ? 'OK' : 'BELOW THE BAR'}: accuracy ≥ ${MIN_ACCURACY * 100}% and safety recall ≥ ${MIN_SAFETY_RECALL * 100}% required.`,
  );
  return ok ? 0 : 1;
}

/**
 * Accuracy on the items the training data holds no (near-)copy of: the figure that says how well
 * the router understands new sentences. Printed next to the overall accuracy, never instead of it.
 */
function independence(router: TopicRouter, items: ReturnType<typeof loadEvalSet>): string {
  const copied = nearCopies(items.map((i) => i.text), loadTrainingExamples().map((e) => e.text));
  const fresh = items.filter((_, i) => !copied[i]);
  const right = evaluate(router, fresh).correct;
  const n = items.length - fresh.length;
  return (
    `Items with a copy or near-copy (≥ ${NEAR_COPY * 100}% of words shared) in the training data: ${n}/${items.length}. ` +
    `Accuracy on the other ${fresh.length}: ${((right / (fresh.length || 1)) * 100).toFixed(1)}% (${right}/${fresh.length}).`
  );
}

const TEMPERATURES = [1, 1.25, 1.5, 2, 3];
const SAFETY_NETS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5];
const THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

const pct = (part: number, whole: number): string => `${((part / (whole || 1)) * 100).toFixed(1)}%`;

/**
 * How far confidence is from the share of right answers: messages in ten bins by confidence, the
 * gap between each bin's mean confidence and its share right, weighted by the bin's size (0 when a
 * confidence of 0.7 is right 70% of the time).
 */
function calibrationError(results: ReadonlyArray<{ item: { topic: string }; u: { topic: string; confidence: number } }>): number {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, confidence: 0, right: 0 }));
  for (const { item, u } of results) {
    const bin = bins[Math.min(9, Math.floor(u.confidence * 10))];
    bin.n++;
    bin.confidence += u.confidence;
    if (u.topic === item.topic) bin.right++;
  }
  return bins.reduce((sum, b) => sum + Math.abs(b.confidence - b.right), 0) / (results.length || 1);
}

/**
 * Cross-validation on the training data (5 folds, 3 repeats, fixed seeds): accuracy per temperature,
 * what each confidence threshold would mean, the classifier's safety net alone per threshold, and
 * the bands of the current calibration. Messages the safety rules take are left out of the band
 * figures (they are not the classifier's).
 */
function crossValidation(args: string[]): number {
  const all = loadTrainingExamples();
  const baseAt = args.indexOf('--base');
  const base = baseAt >= 0 ? trainingAt(args[baseAt + 1]) : undefined;
  const old = new Set(base?.map(key));
  const examples = base ? all.filter((e) => old.has(key(e))) : all;
  const extra = base ? all.filter((e) => !old.has(key(e))) : [];
  const quick = args.includes('--quick');
  const byTemperature = quick ? [] : TEMPERATURES.map((temperature) => ({ ...DEFAULT_CALIBRATION, temperature }));
  const byNet = quick ? [] : SAFETY_NETS.map((safetyNet) => ({ ...DEFAULT_CALIBRATION, safetyNet }));
  const held = crossValidate(examples, [DEFAULT_CALIBRATION, ...byTemperature, ...byNet], { extra });
  console.log(
    `Cross-validation on the training data: ${examples.length} utterances, 5 stratified folds, 3 repeats (seeds 1-3)` +
      (base ? `; folds from the ${examples.length} utterances of ${args[baseAt + 1]} still present, ${extra.length} added since train every fold.` : '.'),
  );
  for (const h of held.slice(1, 1 + TEMPERATURES.length)) {
    const { report, results, accuracyPerRepeat } = h;
    const spread = Math.max(...accuracyPerRepeat) - Math.min(...accuracyPerRepeat);
    const classified = results.filter((r) => !r.u.safety);
    const line = THRESHOLDS.map((t) => {
      const above = classified.filter((r) => r.u.confidence >= t);
      const right = above.filter((r) => r.u.topic === r.item.topic).length;
      return `≥${t}: ${pct(above.length, classified.length)} of msgs, ${pct(right, above.length)} right`;
    });
    const inCandidates = results.filter((r) => r.u.candidates.some((c) => c.topic === r.item.topic)).length;
    console.log(
      `T=${h.calibration.temperature}: calibration error ${pct(calibrationError(classified), 1)}, accuracy ${pct(report.correct, report.total)} (repeats ${accuracyPerRepeat.map((a) => pct(a, 1)).join(' ')}, spread ${pct(spread, 1)}), ` +
        `safety recall ${pct(report.safety.caught, report.safety.total)}, needless safety answers ${report.safety.falseAlarms}, ` +
        `right topic in candidates ${pct(inCandidates, results.length)}\n  ${line.join(' | ')}`,
    );
  }
  if (!quick) console.log(`The classifier's veiligheid probability alone (safety phrases off), T=${DEFAULT_CALIBRATION.temperature}:`);
  for (const h of held.slice(1 + TEMPERATURES.length)) {
    const danger = h.results.filter((r) => r.item.topic === 'veiligheid');
    const others = h.results.filter((r) => r.item.topic !== 'veiligheid');
    console.log(
      `  safetyNet ${h.calibration.safetyNet}: finds ${pct(danger.filter((r) => r.modelOnly.safety).length, danger.length)} of veiligheid messages, ` +
        `needless number for ${pct(others.filter((r) => r.modelOnly.safety).length, others.length)} of the others`,
    );
  }
  const { calibration, results, report } = held[0];
  const classified = results.filter((r) => !r.u.safety);
  const band = (b: string): string => {
    const inBand = classified.filter((r) => r.u.band === b);
    const right = inBand.filter((r) => r.u.topic === r.item.topic).length;
    const inCandidates = inBand.filter((r) => r.u.candidates.some((c) => c.topic === r.item.topic)).length;
    return `${b} ${pct(inBand.length, classified.length)} of msgs, ${pct(right, inBand.length)} right, right topic in candidates ${pct(inCandidates, inBand.length)}`;
  };
  console.log(
    `Current calibration ${JSON.stringify(calibration)}: accuracy ${pct(report.correct, report.total)}, ` +
      `safety recall ${pct(report.safety.caught, report.safety.total)}, needless safety answers ${report.safety.falseAlarms}\n  ` +
      ['high', 'middle', 'low'].map(band).join(' | '),
  );
  if (args.includes('--topics')) console.log(`\n${formatReport(report)}\n\n${confusionPairs(report)}`);
  if (args.includes('--errors')) console.log(`\n${misclassified(results)}`);
  return 0;
}

const key = (e: TrainingExample): string => `${e.topic}\t${e.text}`;

/** The training utterances as they were at a commit (git show), for --base. */
function trainingAt(commit: string | undefined): TrainingExample[] {
  if (!commit) throw new Error('--base needs a git commit, e.g. --base HEAD~3');
  const dir = relative(repoRoot, DEFAULT_TRAINING_DIR);
  return TOPICS.flatMap((topic) => {
    const file = execFileSync('git', ['-C', repoRoot, 'show', `${commit}:${dir}/${topic}.json`], { encoding: 'utf8' });
    return (JSON.parse(file) as { utterances: string[] }).utterances.map((text) => ({ text, topic }));
  });
}

/** The most frequent (expected → predicted) pairs over the three repeats. */
function confusionPairs(report: EvalReport): string {
  const pairs = TOPICS.flatMap((e) => TOPICS.filter((p) => p !== e).map((p) => ({ e, p, n: report.confusion[e][p] })));
  const top = pairs.filter((x) => x.n > 0).sort((a, b) => b.n - a.n).slice(0, 25);
  return ['Most frequent confusions (expected → predicted, over 3 repeats):', ...top.map((x) => `  ${String(x.n).padStart(4)}  ${x.e} → ${x.p}`)].join('\n');
}

/** Misclassified training utterances, each once with how many repeats got it wrong, by expected topic. */
function misclassified(results: ReadonlyArray<{ item: TrainingExample; u: { topic: string } }>): string {
  const wrong = new Map<string, { item: TrainingExample; times: number; got: Set<string> }>();
  for (const { item, u } of results) {
    if (u.topic === item.topic) continue;
    const w = wrong.get(key(item)) ?? { item, times: 0, got: new Set<string>() };
    w.times++;
    w.got.add(u.topic);
    wrong.set(key(item), w);
  }
  const lines = [...wrong.values()]
    .sort((a, b) => a.item.topic.localeCompare(b.item.topic) || b.times - a.times)
    .map((w) => `  [${w.item.topic} → ${[...w.got].join('/')} ${w.times}/3] ${w.item.text}`);
  return [`Misclassified training utterances (${wrong.size}):`, ...lines].join('\n');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
