/**
 * npm run eval: runs the labeled evaluation set (knowledge/eval/utterances.json) through the same
 * TopicRouter the bot uses and prints accuracy, per-topic precision/recall, the confusion matrix and
 * safety recall. Exit code 1 when the set is missing or below the bar (accuracy 93%, safety 100%).
 *
 *   npm run eval                  the report
 *   npm run eval -- --errors      also list the misclassified items (for debugging, not for training)
 *   npm run eval -- --cv          5-fold cross-validation on the TRAINING data, with the figures used
 *                                 to choose the temperature and band thresholds
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

/** Cross-validation on the training data: accuracy per temperature and band quality per threshold. */
function crossValidation(): number {
  const examples = loadTrainingExamples();
  for (const temperature of [1, 2, 3, 4, 6]) {
    const { report, results } = crossValidate(examples, { ...DEFAULT_CALIBRATION, temperature });
    const line = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8].map((t) => {
      const above = results.filter((r) => r.u.confidence >= t);
      const right = above.filter((r) => r.u.topic === r.item.topic).length;
      return `≥${t}: ${((above.length / results.length) * 100).toFixed(0)}% of msgs, ${((right / (above.length || 1)) * 100).toFixed(0)}% right`;
    });
    const inTop3 = results.filter((r) => r.u.candidates.some((c) => c.topic === r.item.topic)).length;
    console.log(
      `T=${temperature}: accuracy ${(report.accuracy * 100).toFixed(1)}%, safety recall ${(report.safety.recall * 100).toFixed(1)}%, ` +
        `false alarms ${report.safety.falseAlarms}, right topic in candidates ${((inTop3 / results.length) * 100).toFixed(1)}%\n  ${line.join(' | ')}`,
    );
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
