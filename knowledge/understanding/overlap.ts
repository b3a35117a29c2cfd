/**
 * How much of the evaluation set the training data already contains. An evaluation item with a
 * (near-)copy among the training examples measures memory, not understanding; `npm run eval`
 * reports accuracy on the items without one next to the overall figure, so the honest number
 * is always in view.
 */

/** Lower case, no diacritics or punctuation: the words a person would call "the same sentence". */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

/** Share of words two sentences have in common (Jaccard on word sets). */
function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared || 1);
}

/** Items at or above this similarity to a training example count as a near-copy. */
export const NEAR_COPY = 0.8;

/** For each evaluation text: whether the training texts hold a copy or a near-copy of it. */
export function nearCopies(evalTexts: readonly string[], trainingTexts: readonly string[]): boolean[] {
  const training = trainingTexts.map((t) => new Set(words(t)));
  const exact = new Set(trainingTexts.map((t) => words(t).join(' ')));
  return evalTexts.map((text) => {
    const list = words(text);
    if (exact.has(list.join(' '))) return true;
    const set = new Set(list);
    return training.some((t) => similarity(set, t) >= NEAR_COPY);
  });
}
