/**
 * Dutch text analysis for retrieval and topic classification: normalise, tokenise, drop stop words,
 * stem (PorterStemmerNl), split compounds, add synonyms, correct typos.
 *
 * A TextAnalyzer holds a lexicon (known surface words: the knowledge base's vocabulary plus a small
 * list of known compound parts) and a synonym list. The search index builds one from the loaded
 * knowledge base; `analyze()` uses a default instance built lazily from knowledge/data.
 * Negation is not handled here on purpose ("niet"/"geen" are stop words): that is the
 * understanding layer's job.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { knowledgeDataDir as DATA_DIR } from '../paths.js';
import { dutchStopwords, PorterStemmerNl } from './natural.js';

export const DEFAULT_SYNONYMS_FILE = path.join(DATA_DIR, 'synonyms.json');

/** Lower-case, strip accents (any combining mark) and turn everything but letters and digits into single spaces. */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Normalised words, in order, stop words included. */
export function tokenize(text: string): string[] {
  const normal = normalize(text);
  return normal === '' ? [] : normal.split(' ');
}

export const STOPWORDS: ReadonlySet<string> = new Set(dutchStopwords.filter((w) => w !== ''));

const stemCache = new Map<string, string>();
/** PorterStemmerNl on one normalised word (cached: stemming is the slow part of indexing). */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = /^\d+$/.test(word) ? word : PorterStemmerNl.stem(word);
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/**
 * Damerau-Levenshtein distance (optimal string alignment) between a and b, or max + 1 as soon as
 * the distance is known to exceed max (keeps typo lookup fast on a large vocabulary).
 */
export function damerauLevenshtein(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/** How many edits a word of this length may contain and still count as a typo of a known word. */
export function maxTypoDistance(length: number): number {
  if (length < 4) return 0;
  if (length < 8) return 1;
  return 2;
}

/**
 * The known word nearest to `term` within the length-scaled distance, or null. Only words with the
 * same first letter count (typos rarely hit the first letter; this avoids "graag" → "vraag").
 * Ties go to the more frequent word (a Map's values are counts), then alphabetical order.
 */
export function correctTerm(term: string, vocabulary: Iterable<string> | Map<string, number>): string | null {
  const max = maxTypoDistance(term.length);
  if (max === 0) return null;
  const counts = vocabulary instanceof Map ? vocabulary : null;
  const words: Iterable<string> = counts ? counts.keys() : (vocabulary as Iterable<string>);
  let best: string | null = null;
  let bestDistance = max + 1;
  let bestCount = -1;
  for (const word of words) {
    if (word === term) return term;
    if (word[0] !== term[0]) continue;
    const d = damerauLevenshtein(term, word, Math.min(max, bestDistance));
    if (d > max) continue;
    const count = counts?.get(word) ?? 0;
    if (d < bestDistance || (d === bestDistance && (count > bestCount || (count === bestCount && best !== null && word < best)))) {
      best = word;
      bestDistance = d;
      bestCount = count;
    }
  }
  return best;
}

/** Compound parts that may not occur on their own in the knowledge text. */
export const KNOWN_PARTS: readonly string[] = [
  'mantelzorg', 'mantelzorger', 'ondersteuning', 'huishoudelijke', 'huishoudelijk', 'huishoud', 'hulp',
  'vrijwilliger', 'vrijwilligers', 'vacature', 'vacatures', 'werk', 'zorg', 'wijk', 'team', 'woning',
  'aanpassing', 'vervoer', 'taxi', 'budget', 'persoon', 'dag', 'besteding', 'maaltijd', 'service',
  'alarm', 'alarmering', 'middel', 'middelen', 'hulpmiddel', 'steun', 'punt', 'centrale', 'loket',
  'gemeente', 'huis', 'thuis', 'jonge', 'ouderen', 'respijt', 'logeer', 'opvang', 'kinder', 'gesprek',
  'keuken', 'tafel', 'client', 'advies', 'informatie', 'vraag', 'aanvraag', 'melding', 'bijdrage',
  'kosten', 'rol', 'stoel', 'scoot', 'mobiel', 'trap', 'lift', 'douche', 'toilet', 'sociaal', 'sociale',
  'kaart', 'buurt', 'welzijn', 'bank', 'verzekering', 'vergoeding', 'makelaar', 'waardering',
  'compliment', 'bezwaar', 'schrift', 'plan', 'regio', 'voorziening', 'voorzieningen', 'maatwerk',
  'algemene', 'begeleiding', 'verzorging', 'beschermd', 'wonen', 'schoonmaak', 'poets', 'boodschappen',
  'was', 'rust', 'pauze', 'verblijf', 'inloop', 'spreekuur', 'schuld', 'schulden', 'geld', 'zaken',
];

/** Everyday words residents use that the knowledge text may lack: known, so never "corrected". */
export const COMMON_WORDS: readonly string[] = [
  'graag', 'nodig', 'hallo', 'hoi', 'goedemorgen', 'goedemiddag', 'goedenavond', 'help', 'helpen', 'bedankt',
  'dank', 'dankjewel', 'alstublieft', 'zoek', 'zoeken', 'vraag', 'vragen', 'weet', 'weten', 'moeder', 'vader',
  'ouders', 'man', 'vrouw', 'partner', 'kind', 'kinderen', 'zoon', 'dochter', 'buurman', 'buurvrouw', 'oma',
  'opa', 'ziek', 'zieke', 'oud', 'oude', 'alleen', 'moe', 'zwaar', 'lopen', 'trap', 'boodschappen', 'koken',
  'wassen', 'douchen', 'aankleden', 'geld', 'betalen', 'kost', 'kosten', 'duur', 'gratis', 'aanvragen',
  'krijgen', 'mag', 'mogen', 'kunt', 'waar', 'wanneer', 'waarom', 'welke', 'hulpje', 'bellen', 'mail',
];

/** Longer "words" (pasted codes, keyboard mashing) are not split or corrected: it would only cost time. */
const MAX_WORD = 40;

export type TermOrigin = 'word' | 'compound' | 'synonym' | 'typo';

/** One term with the reason it is there (the search uses this to explain a hit). */
export interface AnalyzedTerm {
  term: string;
  origin: TermOrigin;
  /** The word or phrase of the input that produced the term. */
  source: string;
  /** Human-readable derivation for compound/synonym/typo, e.g. "poetshulp → huishoudelijke hulp". */
  note?: string;
}

export interface SynonymEntry {
  canonical: string;
  variants: string[];
}

export interface AnalyzeOptions {
  /** Add the nearest known word for words not in the lexicon (default true). */
  correctTypos?: boolean;
}

interface SynonymRule {
  tokens: string[];
  phrase: string;
  canonical: string;
  terms: string[];
}

/** Reads a synonyms file ({ synonyms: [{ canonical, variants }] }); throws on unreadable or invalid JSON. */
export function loadSynonyms(file = DEFAULT_SYNONYMS_FILE): SynonymEntry[] {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { synonyms?: unknown };
  if (!Array.isArray(data.synonyms)) throw new Error(`${file}: "synonyms" must be a list`);
  return (data.synonyms as SynonymEntry[]).filter(
    (s) => s && typeof s.canonical === 'string' && Array.isArray(s.variants),
  );
}

export class TextAnalyzer {
  /** Known surface words with counts: for compound splitting and typo correction. */
  private readonly lexicon = new Map<string, number>();
  private readonly knownParts = new Set<string>();
  private readonly synonymRules = new Map<string, SynonymRule[]>();
  private readonly compoundCache = new Map<string, string[] | null>();
  private readonly typoCache = new Map<string, string | null>();

  constructor(options: { vocabulary?: Iterable<string>; synonyms?: SynonymEntry[]; knownParts?: Iterable<string> } = {}) {
    for (const part of options.knownParts ?? KNOWN_PARTS) {
      const p = normalize(part);
      this.knownParts.add(p);
      this.addWord(p);
    }
    for (const word of COMMON_WORDS) this.addWord(word);
    for (const entry of options.synonyms ?? []) this.addSynonym(entry);
    if (options.vocabulary) this.addVocabulary(options.vocabulary);
  }

  /** Feed texts (or single words) whose words count as known: they are not "corrected" and can be compound parts. */
  addVocabulary(texts: Iterable<string>): void {
    for (const text of texts) for (const word of tokenize(text)) this.addWord(word);
    this.compoundCache.clear();
    this.typoCache.clear();
  }

  addSynonym(entry: SynonymEntry): void {
    const canonicalTokens = tokenize(entry.canonical);
    const terms = canonicalTokens.filter((t) => !STOPWORDS.has(t)).map(stem);
    for (const t of canonicalTokens) this.addWord(t);
    for (const variant of entry.variants) {
      const tokens = tokenize(variant);
      if (tokens.length === 0) continue;
      for (const t of tokens) this.addWord(t);
      const rule: SynonymRule = { tokens, phrase: tokens.join(' '), canonical: canonicalTokens.join(' '), terms };
      const list = this.synonymRules.get(tokens[0]) ?? [];
      list.push(rule);
      this.synonymRules.set(tokens[0], list);
    }
  }

  /** Whether a normalised word is known (in the lexicon). */
  knows(word: string): boolean {
    return this.lexicon.has(word);
  }

  /** The known words (normalised surface forms) with how often they were seen. */
  vocabulary(): ReadonlyMap<string, number> {
    return this.lexicon;
  }

  /** Splits a normalised compound into known parts ("mantelzorgondersteuning" → mantelzorg, ondersteuning), or null. */
  splitCompound(word: string): string[] | null {
    let parts = this.compoundCache.get(word);
    if (parts === undefined) {
      parts = word.length >= 7 && word.length <= MAX_WORD && !/\d/.test(word) ? this.split(word, 0) : null;
      this.compoundCache.set(word, parts);
    }
    return parts;
  }

  /** The nearest known word for an unknown word (typo), or null. */
  correct(word: string): string | null {
    if (this.lexicon.has(word) || word.length > MAX_WORD || /\d/.test(word)) return null;
    let fixed = this.typoCache.get(word);
    if (fixed === undefined) {
      fixed = correctTerm(word, this.lexicon);
      if (this.typoCache.size > 50_000) this.typoCache.clear();
      this.typoCache.set(word, fixed);
    }
    return fixed;
  }

  /** Terms with their origin, in input order; repeated words give repeated terms (term frequency). */
  analyzeDetailed(text: string, options: AnalyzeOptions = {}): AnalyzedTerm[] {
    const correctTypos = options.correctTypos ?? true;
    const tokens = tokenize(text);
    const out: AnalyzedTerm[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      this.addPhraseSynonyms(tokens, i, out);
      if (STOPWORDS.has(token)) continue;
      out.push({ term: stem(token), origin: 'word', source: token });
      const parts = this.splitCompound(token);
      if (parts) {
        const note = `${token} → ${parts.join(' + ')}`;
        for (const part of parts) {
          out.push({ term: stem(part), origin: 'compound', source: token, note });
          this.addWordSynonyms(part, token, out);
        }
        continue;
      }
      if (!correctTypos || this.lexicon.has(token)) continue;
      const fixed = this.correct(token);
      if (!fixed) continue;
      const note = `${token} → ${fixed}`;
      out.push({ term: stem(fixed), origin: 'typo', source: token, note });
      this.addWordSynonyms(fixed, token, out);
      for (const part of this.splitCompound(fixed) ?? []) out.push({ term: stem(part), origin: 'typo', source: token, note });
    }
    return out;
  }

  /** Stemmed terms incl. compound parts, synonyms and typo corrections (see analyzeDetailed). */
  analyze(text: string, options: AnalyzeOptions = {}): string[] {
    return this.analyzeDetailed(text, options).map((t) => t.term);
  }

  private addWord(word: string): void {
    if (word === '') return;
    this.lexicon.set(word, (this.lexicon.get(word) ?? 0) + 1);
  }

  /** A usable compound part: a known part, or a known word of at least 4 letters that is no stop word. */
  private isPart(word: string): boolean {
    if (this.knownParts.has(word)) return word.length >= 3;
    return word.length >= 4 && this.lexicon.has(word) && !STOPWORDS.has(word);
  }

  private split(word: string, depth: number): string[] | null {
    for (let i = word.length - 3; i >= 3; i--) {
      const head = word.slice(0, i);
      if (!this.isPart(head)) continue;
      const rest = word.slice(i);
      // Dutch linking -s- (vrijwilligerSvacature): try the rest without it as well.
      for (const tail of rest.length > 4 && rest[0] === 's' ? [rest, rest.slice(1)] : [rest]) {
        if (this.isPart(tail)) return [head, tail];
        if (depth < 1) {
          const more = this.split(tail, depth + 1);
          if (more) return [head, ...more];
        }
      }
    }
    return null;
  }

  private addPhraseSynonyms(tokens: string[], i: number, out: AnalyzedTerm[]): void {
    for (const rule of this.synonymRules.get(tokens[i]) ?? []) {
      if (rule.tokens.length === 1 || rule.tokens.every((t, k) => tokens[i + k] === t)) {
        const note = `${rule.phrase} → ${rule.canonical}`;
        for (const term of rule.terms) out.push({ term, origin: 'synonym', source: rule.phrase, note });
      }
    }
  }

  private addWordSynonyms(word: string, source: string, out: AnalyzedTerm[]): void {
    for (const rule of this.synonymRules.get(word) ?? []) {
      if (rule.tokens.length !== 1) continue;
      const note = `${word} → ${rule.canonical}`;
      for (const term of rule.terms) out.push({ term, origin: 'synonym', source, note });
    }
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // kb:check reports unreadable files; the analyzer just knows fewer words
  }
}

/** All string values in a JSON value (the knowledge files' words, for the default lexicon). */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsIn(v, out);
  return out;
}

/** The analyzer over knowledge/data's vocabulary and synonyms (what the search index uses for the same files). */
export function createDefaultAnalyzer(dataDir = DATA_DIR): TextAnalyzer {
  let synonyms: SynonymEntry[] = [];
  try {
    synonyms = loadSynonyms(path.join(dataDir, 'synonyms.json'));
  } catch {
    synonyms = [];
  }
  const vocabulary: string[] = [];
  for (const file of ['articles.json', 'provisions.json', 'sociale-kaart.json', 'municipalities.json']) {
    const data = readJson(path.join(dataDir, file));
    if (data !== undefined) stringsIn(data, vocabulary);
  }
  return new TextAnalyzer({ vocabulary: vocabulary.filter((s) => !/^https?:|@/.test(s)), synonyms });
}

let defaultInstance: TextAnalyzer | undefined;
/** The shared default analyzer (built on first use). */
export function defaultAnalyzer(): TextAnalyzer {
  defaultInstance ??= createDefaultAnalyzer();
  return defaultInstance;
}

/** Normalised, stemmed terms of a text incl. compound parts, synonyms and typo corrections. */
export function analyze(text: string): string[] {
  return defaultAnalyzer().analyze(text);
}
