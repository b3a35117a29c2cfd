/**
 * The topic classifier: one sparse table of feature weights per topic, the sum of two models trained
 * on the same features (features.ts):
 * - Naive Bayes: log P(feature | topic) from counts of the utterances that have it (smoothing 0.1),
 *   times the feature's weight, counted at NAIVE_BAYES_SHARE;
 * - multinomial logistic regression (softmax), trained with AdaGrad and L2 in a seeded order, so the
 *   same data always gives the same model. It learns which features tell topics apart, where Naive
 *   Bayes counts every word as if it said something on its own.
 * Confidences are a softmax of the summed scores with the router's temperature, so they can be
 * compared with the band thresholds.
 *
 * Chosen by cross-validation on the training data (npx tsx knowledge/cli/eval.ts --cv: 2,055
 * utterances, 5 stratified folds × 3 repeats, whose accuracies differ by up to 0.7 points): Naive
 * Bayes alone (the model before) 79.9%, logistic regression alone 82.4%, this sum 83.4%; the right
 * topic among the three candidates 92.5% (was 90.3%). In a scratch run of the same cross-validation,
 * averaging the two models' probabilities instead gave 83.8% and fitting the regression to what
 * Naive Bayes leaves over 82.9%: no better than the sum, which keeps one table.
 *
 * Both models are trained here rather than with natural (which stays the text pipeline, features.ts):
 * natural's BayesClassifier takes a dense vector over the whole vocabulary per utterance (2,055 ×
 * ~14,000 entries), its LogisticRegressionClassifier dense matrices and one-vs-rest batch gradient
 * descent, far too slow to train at start-up.
 */
import { TOPICS, type TopicId } from '../topics.js';
import { featureWeight } from './features.js';
import { seededRandom, shuffle } from './random.js';

export interface TopicScore {
  topic: TopicId;
  confidence: number;
}

/**
 * Additive smoothing for Naive Bayes. 1 makes a word seen once in a topic only twice as telling as
 * an unseen one; with about 100 short utterances per topic a smaller value lets single words count.
 */
const SMOOTHING = 0.1;
/**
 * How much the Naive Bayes log score counts next to the regression's. CV at temperature 1.5: 0.2
 * 83.8%, 0.33 83.6%, 0.5 83.4%, 0.66 83.1%, within the spread up to 0.5. 0.5 because its veiligheid
 * probability is the better second safety net: at temperature 1.5 and the threshold where both
 * find 56.9% of veiligheid messages (the model before: 56.3%), 0.5 gives needless numbers to 0.7%
 * of other messages, 0.33 to 0.8%.
 */
const NAIVE_BAYES_SHARE = 0.5;
/**
 * Passes over the data, AdaGrad's step size and the L2 penalty. CV (with an intercept): 5 passes
 * 83.8%, 10 83.6% (and twice the training time); for the regression alone (scratch run) step 0.2 81.7%, 0.5 82.1%, 1
 * 80.5%, L2 0 81.8%, 1e-4 82.1%, 1e-3 80.1%.
 */
const REGRESSION = { passes: 5, step: 0.5, l2: 1e-4, seed: 7 };

export class TopicClassifier {
  private constructor(
    private readonly labels: readonly TopicId[],
    /** Per feature: its score for each label in labels order. */
    private readonly weights: Map<string, Float64Array>,
    /** Per label: the score before any feature (Naive Bayes's log prior). */
    private readonly prior: Float64Array,
  ) {}

  static train(examples: ReadonlyArray<{ features: string[]; topic: TopicId }>): TopicClassifier {
    const index = new Map<string, number>();
    const documents = examples.flatMap(({ features, topic }) => {
      const present = [...new Set(features)];
      if (present.length === 0) return [];
      const ids = present.map((f) => {
        let id = index.get(f);
        if (id === undefined) index.set(f, (id = index.size));
        return id;
      });
      return [{ ids, topic }];
    });
    const labels = TOPICS.filter((t) => documents.some((d) => d.topic === t));
    const values = Float64Array.from(index.keys(), featureWeight);
    const data = documents.map((d) => ({ ids: d.ids, label: labels.indexOf(d.topic) }));
    const k = labels.length;
    const weights = logisticRegression(data, values, k);
    const prior = addNaiveBayes(data, values, k, weights);
    const table = new Map<string, Float64Array>();
    for (const [feature, id] of index) table.set(feature, weights.slice(id * k, id * k + k));
    return new TopicClassifier(labels, table, prior);
  }

  /** True when at least one feature was seen in training (otherwise the text is unknown to us). */
  knowsAny(features: readonly string[]): boolean {
    return features.some((f) => this.weights.has(f));
  }

  /** All topics, most likely first; confidences sum to 1. */
  classify(features: readonly string[], temperature: number): TopicScore[] {
    const scores = Float64Array.from(this.prior);
    for (const feature of new Set(features)) {
      const w = this.weights.get(feature);
      if (!w) continue;
      for (let i = 0; i < scores.length; i++) scores[i] += w[i];
    }
    let max = -Infinity;
    for (const s of scores) if (s > max) max = s;
    let sum = 0;
    for (let i = 0; i < scores.length; i++) {
      scores[i] = Math.exp((scores[i] - max) / temperature);
      sum += scores[i];
    }
    return this.labels
      .map((topic, i) => ({ topic, confidence: scores[i] / sum }))
      .sort((a, b) => b.confidence - a.confidence);
  }
}

type Documents = ReadonlyArray<{ ids: readonly number[]; label: number }>;

/**
 * Softmax regression on present features (value: the feature's weight), without an intercept: the
 * topic's share of the data comes from Naive Bayes's prior. With an intercept, a message of words we
 * never saw got the largest topics' intercepts as a middle-band guess ("xqzt blorp 0612345678":
 * buiten-bereik 0.36 instead of 0.17), at the same CV accuracy (83.8% with, 83.6% without).
 * Returns the weights times the feature's value, feature by feature (k per feature).
 */
function logisticRegression(documents: Documents, values: Float64Array, k: number): Float64Array {
  const { passes, step, l2, seed } = REGRESSION;
  const weights = new Float64Array(values.length * k);
  const squares = new Float64Array(values.length * k).fill(1e-8); // AdaGrad: sum of squared gradients
  const g = new Float64Array(k); // per label: predicted probability minus 1 for the right label
  const order = documents.map((_, i) => i);
  const next = seededRandom(seed);
  for (let pass = 0; pass < passes; pass++) {
    for (const i of shuffle(order, next)) {
      const { ids, label } = documents[i];
      g.fill(0);
      for (const id of ids) {
        const value = values[id];
        for (let c = 0, at = id * k; c < k; c++, at++) g[c] += weights[at] * value;
      }
      let max = -Infinity;
      for (let c = 0; c < k; c++) if (g[c] > max) max = g[c];
      let sum = 0;
      for (let c = 0; c < k; c++) sum += g[c] = Math.exp(g[c] - max);
      for (let c = 0; c < k; c++) g[c] = g[c] / sum - (c === label ? 1 : 0);
      for (const id of ids) {
        const value = values[id];
        for (let c = 0, at = id * k; c < k; c++, at++) {
          const gw = g[c] * value + l2 * weights[at];
          squares[at] += gw * gw;
          weights[at] -= (step * gw) / Math.sqrt(squares[at]);
        }
      }
    }
  }
  for (let id = 0; id < values.length; id++) for (let c = 0; c < k; c++) weights[id * k + c] *= values[id];
  return weights;
}

/**
 * Adds NAIVE_BAYES_SHARE × log P(feature | topic) × the feature's weight to the weights; returns
 * NAIVE_BAYES_SHARE × the log prior per topic.
 */
function addNaiveBayes(documents: Documents, values: Float64Array, k: number, weights: Float64Array): Float64Array {
  const counts = new Float64Array(values.length * k);
  const perLabel = new Float64Array(k).fill(1); // one extra utterance per topic, for smoothing
  for (const d of documents) {
    perLabel[d.label]++;
    for (const id of d.ids) counts[id * k + d.label]++;
  }
  const total = documents.length + 1;
  const prior = perLabel.map((n) => NAIVE_BAYES_SHARE * Math.log(n / total));
  for (let id = 0; id < values.length; id++) {
    for (let c = 0; c < k; c++) {
      const at = id * k + c;
      weights[at] += NAIVE_BAYES_SHARE * values[id] * Math.log((counts[at] + SMOOTHING) / perLabel[c]);
    }
  }
  return prior;
}
