/**
 * The one place that loads `natural`. Its package index also loads its storage back ends, which
 * call dotenv on import (printing tips and reading any .env into process.env); the parts we use
 * are loaded directly so neither happens.
 */
import { createRequire } from 'node:module';
import type * as Natural from 'natural';

const require = createRequire(import.meta.url);

export const { PorterStemmerNl } = require('natural/lib/natural/stemmers/index.js') as Pick<
  typeof Natural,
  'PorterStemmerNl'
>;
export const { AggressiveTokenizerNl } = require('natural/lib/natural/tokenizers/index.js') as Pick<
  typeof Natural,
  'AggressiveTokenizerNl'
>;
export const { LogisticRegressionClassifier, BayesClassifier } = require(
  'natural/lib/natural/classifiers/index.js',
) as Pick<typeof Natural, 'LogisticRegressionClassifier' | 'BayesClassifier'>;
export const { DamerauLevenshteinDistance, JaroWinklerDistance } = require(
  'natural/lib/natural/distance/index.js',
) as Pick<typeof Natural, 'DamerauLevenshteinDistance' | 'JaroWinklerDistance'>;
export const dutchStopwords: string[] = (
  require('natural/lib/natural/util/stopwords_nl.js') as { words: string[] }
).words;
