/**
 * Unanswered questions grouped by similarity, so that twenty ways of asking the same thing are one
 * row for the knowledge manager. Each question becomes its set of Dutch terms (stemmed, synonyms
 * and compounds resolved: knowledge/nlp/dutch.ts); two questions are alike by the cosine of their
 * term sets; a question joins the group it is most alike on average (average linkage), when that
 * is at least the threshold, else it starts a new group.
 *
 * The threshold was chosen on knowledge/insight/paraphrases.tune.json (`npx tsx
 * knowledge/insight/tune.ts` prints pairwise precision and recall per threshold); the tests use
 * other paraphrases.
 */
import { analyze } from '../nlp/dutch.js';

export const DEFAULT_GROUP_THRESHOLD = 0.4;

export interface GroupInput {
  /** Redacted question text. */
  text: string;
}

export interface QuestionGroup<Q extends GroupInput> {
  /** Stable id from the group's first question's terms (the same question gives the same id). */
  id: string;
  /** The terms most questions share, most shared first: a label for the row. */
  terms: string[];
  count: number;
  /** The questions, oldest first as given. */
  questions: Q[];
}

/**
 * Words that say how something is asked, not what about ("krijg ik", "hoe vraag ik aan", "waar"):
 * shared by unrelated questions, so they would pull them together. Stems, as analyze() gives them.
 */
const ASKING_WORDS = new Set(['krijg', 'kom', 'mag', 'kan', 'aanvrag', 'vrag', 'war', 'wanner', 'wordt', 'helpt', 'hulp', 'lat', 'gemeent', 'wil', 'moet', 'graag', 'iemand']);

/** A question's terms, without the asking words. */
export function termsOf(text: string): Set<string> {
  return new Set(analyze(text).filter((term) => !ASKING_WORDS.has(term)));
}

/**
 * Compounds the analyser does not know ("gehandicaptenparkeerkaart", "tuinonderhoud") also count
 * as the batch's other terms they start or end with ("parkeerkaart", "tuin"), so a compound and
 * its loose words meet.
 */
function withParts(sets: Array<Set<string>>): Array<Set<string>> {
  const vocabulary = [...new Set(sets.flatMap((set) => [...set]))].filter((term) => term.length >= 4);
  return sets.map((set) => {
    const expanded = new Set(set);
    for (const term of set) {
      for (const part of vocabulary) {
        if (part !== term && term.length >= part.length + 3 && (term.startsWith(part) || term.endsWith(part))) expanded.add(part);
      }
    }
    return expanded;
  });
}

/** Cosine of two term sets: shared terms over the geometric mean of their sizes. */
export function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return shared / Math.sqrt(a.size * b.size);
}

/** Groups the questions (in the order given); largest groups first. */
export function groupQuestions<Q extends GroupInput>(questions: Q[], threshold = DEFAULT_GROUP_THRESHOLD): Array<QuestionGroup<Q>> {
  const groups: Array<{ members: Array<{ q: Q; terms: Set<string> }> }> = [];
  const allTerms = withParts(questions.map((q) => termsOf(q.text)));
  for (const [index, q] of questions.entries()) {
    const terms = allTerms[index];
    let best: { group: (typeof groups)[number]; score: number } | undefined;
    for (const group of groups) {
      const score = group.members.reduce((sum, m) => sum + similarity(terms, m.terms), 0) / group.members.length;
      if (score >= threshold && (!best || score > best.score)) best = { group, score };
    }
    if (best) best.group.members.push({ q, terms });
    else groups.push({ members: [{ q, terms }] });
  }
  return groups
    .map((g) => ({
      id: groupId(termsOf(g.members[0].q.text)),
      terms: sharedTerms(g.members.map((m) => m.terms)),
      count: g.members.length,
      questions: g.members.map((m) => m.q),
    }))
    .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
}

function sharedTerms(sets: Array<Set<string>>): string[] {
  const counts = new Map<string, number>();
  for (const set of sets) for (const term of set) counts.set(term, (counts.get(term) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 4).map(([term]) => term);
}

function groupId(terms: Set<string>): string {
  // FNV-1a over the sorted terms: short, stable, no crypto needed for a row id.
  let hash = 0x811c9dc5;
  for (const ch of [...terms].sort().join(' ')) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `g${hash.toString(36)}`;
}

/** Pairwise precision and recall of a grouping against labels (for tuning and tests). */
export function pairwiseScores(labels: string[], assigned: string[]): { precision: number; recall: number; f1: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const same = labels[i] === labels[j];
      const together = assigned[i] === assigned[j];
      if (same && together) tp++;
      else if (together) fp++;
      else if (same) fn++;
    }
  }
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}
