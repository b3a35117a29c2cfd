/**
 * Choices as buttons (suggested actions) that also work typed: the label, a synonym from the
 * content file, a number ("2"), an ordinal word ("de tweede", "laatste") or a small typo
 * ("schoonmaaken"). One recogniser is used by the prompts and by the router (to tell an answer
 * from a new question).
 */
import { ListStyle, ChoicePrompt, type Choice, type FoundChoice, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { damerauLevenshtein, maxTypoDistance } from '../knowledge/nlp/dutch.js';
import type { ContentChoice } from './content.js';

/**
 * normalizeAnswer's recent results. A turn compares the message with the same content about 400
 * times (button labels, synonyms, ordinals, every article's follow-up questions, keywords), and the
 * message itself 30 to 50 times: 0.2 ms of regular expressions a turn. It is a pure function of
 * its text, so remembering gives the same answers. Bounded: the oldest go first. A resident's
 * message stays in this process's memory until NORMALIZED_MAX newer texts pushed it out (as the
 * router's recent messages do), is never stored or logged, and an erasure empties it at once.
 */
const normalized = new Map<string, string>();
const NORMALIZED_MAX = 4_096;

export function normalizeAnswer(text: string): string {
  let result = normalized.get(text);
  if (result === undefined) {
    result = normalize(text);
    if (normalized.size >= NORMALIZED_MAX) normalized.delete(normalized.keys().next().value!);
    normalized.set(text, result);
  }
  return result;
}

/** "Verwijder mijn gegevens": no text of the resident's stays in normalizeAnswer's memory. */
export function forgetNormalizedAnswers(): void {
  normalized.clear();
}

function normalize(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface ChoiceLike {
  value: string;
  synonyms?: string[];
  /** A typed number in [min, max] picks this choice. */
  range?: [number, number];
}

/**
 * The index of the choice the text picks, or undefined. Order of trust: exact label or synonym,
 * number or ordinal, label/synonym contained as whole words, then typos word by word.
 */
export function recognizeChoice(
  text: string,
  choices: ChoiceLike[],
  ordinals: Record<string, string[]>,
  numberWords: Record<string, number> = {},
  options: { wholeWordsOnly?: boolean } = {},
): number | undefined {
  const answer = normalizeAnswer(text);
  if (!answer || choices.length === 0) return undefined;
  const terms = choices.map((c) => [c.value, ...(c.synonyms ?? [])].map(normalizeAnswer).filter(Boolean));

  const exact = terms.findIndex((list) => list.includes(answer));
  if (exact >= 0) return exact;

  for (const [key, words] of Object.entries(ordinals)) {
    if (!words.map(normalizeAnswer).includes(answer)) continue;
    const index = key === 'last' ? choices.length - 1 : Number(key) - 1;
    return index >= 0 && index < choices.length ? index : undefined;
  }

  // Whole-word containment: "ik woon alleen hoor" → "alleen". Longest matching term wins, and
  // a tie between different choices means the answer is ambiguous.
  const padded = ` ${answer} `;
  let best: { index: number; length: number; tie: boolean } | undefined;
  terms.forEach((list, index) => {
    for (const term of list) {
      if (!padded.includes(` ${term} `)) continue;
      if (!best || term.length > best.length) best = { index, length: term.length, tie: false };
      else if (term.length === best.length && best.index !== index) best.tie = true;
    }
  });
  if (best && !best.tie) return best.index;

  // A number where choices have ranges: "ongeveer 10 uur per week", "12", "zo'n vijf uurtjes".
  if (choices.some((c) => c.range)) {
    const number = numberIn(answer, numberWords);
    const inRange = number === undefined ? -1 : choices.findIndex((c) => c.range && number >= c.range[0] && number <= c.range[1]);
    if (inRange >= 0) return inRange;
  }

  if (options.wholeWordsOnly) return undefined;
  // Typos: first the whole answer against whole terms ("te zwaaar"), then word by word
  // ("boodschapen" for "Boodschappen en eten"; only longer words, so that small words like
  // "de" or "met" never decide a choice).
  const whole = closest(terms.map((list) => list.map((term) => [answer, term] as [string, string])));
  if (whole.found) return whole.index;
  if (whole.tie) return undefined;
  // Word by word only in a short answer that asks nothing: in a sentence a correct word is easily one
  // typo away from a button's word ("hoe vraag ik die aan" is not "Ja, graag").
  const words = answer.split(' ');
  if (words.length > 3 || /\?\s*$/.test(text)) return undefined;
  const byWord = closest(
    terms.map((list) =>
      list.flatMap((term) => {
        const termWords = term.split(' ').filter((w) => w.length >= 5);
        return words.filter((w) => w.length >= 4).flatMap((word) => termWords.map((termWord) => [word, termWord] as [string, string]));
      }),
    ),
  );
  return byWord.found ? byWord.index : undefined;
}

/** The first number in the answer, in digits ("10", "7,5") or as a word ("vijf"). */
function numberIn(answer: string, numberWords: Record<string, number>): number | undefined {
  const digits = /(\d+(?:[.,]\d+)?)/.exec(answer);
  if (digits) return Number(digits[1].replace(',', '.'));
  const word = answer.split(' ').find((w) => w in numberWords);
  return word === undefined ? undefined : numberWords[word];
}

/** The choice with the cheapest pair within its typo budget; a tie between choices finds nothing. */
function closest(pairsPerChoice: Array<Array<[string, string]>>): { found: boolean; tie: boolean; index?: number } {
  let best: { index: number; cost: number; tie: boolean } | undefined;
  pairsPerChoice.forEach((pairs, index) => {
    for (const [said, wanted] of pairs) {
      // The same typo rule as the knowledge search: none below 4 letters, one up to 7, then two.
      const budget = maxTypoDistance(wanted.length);
      if (budget === 0) continue;
      const cost = damerauLevenshtein(said, wanted, budget);
      if (cost > budget) continue;
      if (!best || cost < best.cost) best = { index, cost, tie: false };
      else if (cost === best.cost && best.index !== index) best.tie = true;
    }
  });
  return { found: !!best && !best.tie, tie: !!best?.tie, index: best?.index };
}

/** Bot Framework choices for content choices: the label is the button text and the value. */
export function toChoices(list: ContentChoice[], labels: (label: string) => string = (l) => l): Choice[] {
  // The range rides along in the prompt's state, so the recogniser can read a typed number.
  return list.map((c) => ({ value: labels(c.label), synonyms: c.synonyms ?? [], ...(c.range ? { range: c.range } : {}) }));
}

/**
 * ChoicePrompt that shows suggested-action buttons and falls back to our Dutch recogniser when
 * the SDK's own matching finds nothing (it knows no Dutch ordinals and no typos).
 */
export class FuzzyChoicePrompt extends ChoicePrompt {
  constructor(
    dialogId: string,
    private readonly ordinals: Record<string, string[]>,
    private readonly numberWords: Record<string, number> = {},
  ) {
    super(dialogId, undefined, 'nl-nl');
    this.style = ListStyle.suggestedAction;
    this.recognizerOptions = { recognizeNumbers: false, recognizeOrdinals: false };
  }

  protected override async onRecognize(
    context: TurnContext,
    state: object,
    options: PromptOptions,
  ): Promise<PromptRecognizerResult<FoundChoice>> {
    const choices = (options.choices ?? []).map((c) => (typeof c === 'string' ? { value: c } : c));
    const index = recognizeChoice(context.activity.text ?? '', choices, this.ordinals, this.numberWords);
    if (index === undefined) return { succeeded: false };
    return { succeeded: true, value: { value: choices[index].value, index, score: 1 } };
  }
}
