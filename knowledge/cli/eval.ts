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
 */
import { crossValidate, evaluate, formatReport, loadEvalSet, EvalSetMissingError } from '../understanding/evaluate.js';
import { nearCopies, NEAR_COPY } from '../understanding/overlap.js';
import { DEFAULT_CALIBRATION, TopicRouter } from '../understanding/router.js';
import { loadTrainingExamples } from '../understanding/training.js';

export const MIN_ACCURACY = 0.93;
export const MIN_SAFETY_RECALL = 1;

async function main(args: string[]): Promise<number> {
  if (args.includes('--cv')) return crossValidation();
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
function crossValidation(): number {
  const examples = loadTrainingExamples();
  const byTemperature = TEMPERATURES.map((temperature) => ({ ...DEFAULT_CALIBRATION, temperature }));
  const byNet = SAFETY_NETS.map((safetyNet) => ({ ...DEFAULT_CALIBRATION, safetyNet }));
  const held = crossValidate(examples, [DEFAULT_CALIBRATION, ...byTemperature, ...byNet]);
  console.log(`Cross-validation on the training data: ${examples.length} utterances, 5 stratified folds, 3 repeats (seeds 1-3).`);
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
  console.log(`The classifier's veiligheid probability alone (safety phrases off), T=${DEFAULT_CALIBRATION.temperature}:`);
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
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
