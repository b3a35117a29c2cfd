/**
 * The topic classifier: natural's (Bernoulli) BayesClassifier, trained on analyze() features of
 * the training utterances.
 *
 * natural trains the model; scoring reads its learned counts into a sparse table, because
 * natural's own classify() builds a vector over the whole vocabulary per message and multiplies
 * probabilities with exp(), which underflows to 0 for long stories. The sparse table gives the same
 * ranking in log space in a few microseconds. Confidences are a softmax of the log scores with a
 * temperature (CALIBRATION.temperature), so they can be compared with the band thresholds.
 */
import { BayesClassifier } from '../nlp/natural.js';
import { TOPICS, type TopicId } from '../topics.js';
import { featureWeight } from './features.js';

export interface TopicScore {
  topic: TopicId;
  confidence: number;
}

/** The counts natural's apparatus BayesClassifier keeps after training. */
interface ApparatusBayes {
  addExample(observation: number[], label: string): void;
  train(): void;
  classFeatures: Record<string, Record<number, number>>;
  classTotals: Record<string, number>;
  totalExamples: number;
  smoothing: number;
}

/**
 * Additive smoothing. natural's default (1) makes a word seen once in a topic only twice as telling
 * as an unseen one; with about 60 short utterances per topic a smaller value lets single words count.
 */
export const DEFAULT_SMOOTHING = 0.1;

export class TopicClassifier {
  private constructor(
    private readonly labels: readonly TopicId[],
    /** Per feature: log P(feature | topic) times the feature's weight, for each label in labels order. */
    private readonly weights: Map<string, Float64Array>,
    /** Per label: log prior plus the log probability used for features it never saw. */
    private readonly priors: Float64Array,
  ) {}

  static train(
    examples: ReadonlyArray<{ features: string[]; topic: TopicId }>,
    smoothing: number = DEFAULT_SMOOTHING,
  ): TopicClassifier {
    const nb = new BayesClassifier(undefined, smoothing);
    // natural's own train() turns every document into a vector over the whole vocabulary with
    // indexOf (seconds for our thousands of features); filling its model directly is the same
    // model in milliseconds.
    const model = (nb as unknown as { classifier: ApparatusBayes }).classifier;
    const positions = new Map<string, number>();
    const documents = examples.map(({ features, topic }) => {
      const present: number[] = [];
      for (const feature of new Set(features)) {
        let position = positions.get(feature);
        if (position === undefined) positions.set(feature, (position = positions.size));
        present.push(position);
      }
      return { present, topic };
    });
    for (const { present, topic } of documents) {
      if (present.length === 0) continue;
      const vector = new Array<number>(positions.size).fill(0);
      for (const p of present) vector[p] = 1;
      model.addExample(vector, topic);
    }
    model.train();
    const labels = TOPICS.filter((t) => model.classTotals[t] !== undefined);
    const priors = new Float64Array(labels.map((t) => Math.log(model.classTotals[t] / model.totalExamples)));
    const weights = new Map<string, Float64Array>();
    for (const [feature, index] of positions) {
      const weight = featureWeight(feature);
      weights.set(
        feature,
        new Float64Array(
          labels.map((t) => weight * Math.log((model.classFeatures[t][index] ?? model.smoothing) / model.classTotals[t])),
        ),
      );
    }
    return new TopicClassifier(labels, weights, priors);
  }

  /** True when at least one feature was seen in training (otherwise the text is unknown to us). */
  knowsAny(features: readonly string[]): boolean {
    return features.some((f) => this.weights.has(f));
  }

  /** All topics, most likely first; confidences sum to 1. */
  classify(features: readonly string[], temperature: number): TopicScore[] {
    const scores = Float64Array.from(this.priors);
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
