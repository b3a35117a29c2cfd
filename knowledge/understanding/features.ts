/**
 * The classifier's features for one message, all from the knowledge helper's text pipeline
 * (knowledge/nlp/dutch.ts):
 * - analyze() terms: stems, compound parts, synonyms (weight 1). Without its typo correction: that
 *   searches the whole lexicon for every new word (p99 1.5 ms instead of 0.2 ms), and the
 *   character n-grams below catch most typos as well (cross-validated accuracy 77.8% vs 77.5%). The
 *   router asks for the corrected features only when it is unsure of a message (router.ts);
 * - character 4-grams of each word of 4 letters or more, < and > marking its ends, so an unseen
 *   misspelling still shares most pieces with the word it means ("scootmobil" ~ "scootmobiel")
 *   (prefix '#', 0.25);
 * - word pairs, which carry meaning single words lose ("niet eens", "eigen bijdrage",
 *   "how much") (prefix '%', weight 0.6).
 * Gram size and weights were chosen by 5-fold cross-validation on the training data. Rechecked in
 * November 2026 on 3,971 utterances (npx tsx knowledge/cli/eval.ts --cv; spread between repeats up
 * to 0.5 points): 4-grams replaced 5-grams, part of the change described in classifier.ts (with the
 * rest as now, 5-grams 91.2%, 4-grams 91.5%; 4-grams at 0.15 91.4%, at 0.35 91.5%). On the model
 * before (90.4%): 4-grams 90.6%, 4- and 5-grams together 90.2%, 3-, 4- and 5-grams (0.1, 0.15, 0.2)
 * 90.5%, 5- and 6-grams 89.8%; word triples 90.1%; word pairs at 0.4 90.2%, at 0.9 90.3%.
 */
import { defaultAnalyzer, tokenize } from '../nlp/dutch.js';

/** English function words: they say nothing about the topic but differ per sentence. */
const ENGLISH_STOPWORDS = new Set(
  'i me my you your he she it we they the a an and or of to in on at for with is are was be am do does did have has can could would will my this that so much very please'.split(
    ' ',
  ),
);

const GRAM = 4;

export function featuresOf(text: string, options: { correctTypos?: boolean } = {}): string[] {
  const features = defaultAnalyzer().analyze(text, { correctTypos: options.correctTypos ?? false }).filter((t) => !ENGLISH_STOPWORDS.has(t));
  const words = tokenize(text);
  for (const word of words) {
    if (word.length < GRAM) continue;
    const padded = `<${word}>`;
    for (let i = 0; i + GRAM <= padded.length; i++) features.push(`#${padded.slice(i, i + GRAM)}`);
  }
  for (let i = 0; i + 1 < words.length; i++) features.push(`%${words[i]}_${words[i + 1]}`);
  return features;
}

/** How much one feature counts in the classifier's score. */
export function featureWeight(feature: string): number {
  if (feature.startsWith('#')) return 0.25;
  if (feature.startsWith('%')) return 0.6;
  return 1;
}
