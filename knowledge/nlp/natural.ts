/**
 * The one place that loads `natural`. Its package index also loads its storage back ends, which
 * call dotenv on import (printing tips and reading any .env into process.env); the parts we use
 * are loaded directly, file by file, so neither happens.
 */
import { createRequire } from 'node:module';
import type * as Natural from 'natural';

const require = createRequire(import.meta.url);

// Each from its own file: the folders' index files also load what we never use, e.g. the
// classifiers index loads the English and Dutch part-of-speech lexicons (16 MB of heap, ~40 MB RSS).
type N = typeof Natural;
export const PorterStemmerNl = require('natural/lib/natural/stemmers/porter_stemmer_nl.js') as N['PorterStemmerNl'];
export const AggressiveTokenizerNl = require('natural/lib/natural/tokenizers/aggressive_tokenizer_nl.js') as N['AggressiveTokenizerNl'];
export const { DamerauLevenshteinDistance } = require('natural/lib/natural/distance/levenshtein_distance.js') as Pick<N, 'DamerauLevenshteinDistance'>;
export const JaroWinklerDistance = require('natural/lib/natural/distance/jaro-winkler_distance.js') as N['JaroWinklerDistance'];
export const dutchStopwords: string[] = (
  require('natural/lib/natural/util/stopwords_nl.js') as { words: string[] }
).words;
