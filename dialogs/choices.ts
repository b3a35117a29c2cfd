/**
 * Choices as buttons (suggested actions) that also work typed: the label, a synonym from the
 * content file, a number ("2"), an ordinal word ("de tweede", "laatste") or a small typo
 * ("schoonmaaken"), another form of its word ("schoonmaak"). One recogniser is used by the prompts and by the router (to tell an answer
 * from a new question).
 */
import { ListStyle, ChoicePrompt, type Choice, type FoundChoice, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { damerauLevenshtein, maxTypoDistance, stem, STOPWORDS } from '../knowledge/nlp/dutch.js';
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
  /** A typed time ago, in months, in [from, to) picks this choice. */
  monthsAgo?: [number, number];
}

/** The words a typed number or moment is read with (content: general.numberWords, general.monthNames). */
export interface TypedWords {
  numberWords?: Record<string, number>;
  monthNames?: Record<string, number>;
}

/**
 * The index of the choice the text picks, or undefined. Order of trust: exact label or synonym,
 * number or ordinal, label/synonym contained as whole words, then typos word by word.
 */
export function recognizeChoice(
  text: string,
  choices: ChoiceLike[],
  ordinals: Record<string, string[]>,
  typed: TypedWords = {},
  options: { wholeWordsOnly?: boolean; now?: Date } = {},
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
    const number = numberIn(answer, typed.numberWords ?? {});
    const inRange = number === undefined ? -1 : choices.findIndex((c) => c.range && number >= c.range[0] && number <= c.range[1]);
    if (inRange >= 0) return inRange;
  }

  // A moment or a time where choices are periods: "sinds mijn operatie in september", "3 weken", "sinds 2024".
  if (choices.some((c) => c.monthsAgo)) {
    const months = monthsAgo(answer, typed, options.now ?? new Date());
    const inPeriod = months === undefined ? -1 : choices.findIndex((c) => c.monthsAgo && months >= c.monthsAgo[0] && months < c.monthsAgo[1]);
    if (inPeriod >= 0) return inPeriod;
  }

  // Other forms of a button's words: "schoonmaak" for "Schoonmaken". Every word of the short answer
  // must be a form of a word of the same one choice, so "andere gemeente" is not "Iemand anders".
  const byStem = sameStems(answer, terms);
  if (byStem !== undefined) return byStem;

  if (options.wholeWordsOnly) return undefined;
  // Typos: first the whole answer against whole terms ("te zwaaar"), then word by word
  // ("boodschapen" for "Boodschappen en eten"; only longer words, so that small words like
  // "de" or "met" never decide a choice).
  const whole = closest(terms.map((list) => list.map((term) => [answer, term] as [string, string])));
  if (whole.found) return whole.index;
  if (whole.tie) return undefined;
  // Word by word only in a short answer that asks nothing: in a sentence a correct word is easily one
  // typo away from a button's word ("hoe vraag ik die aan" is not "Ja, graag").
  // And only with one word that matters: "andere gemeente" is not "Iemand anders".
  const words = answer.split(' ');
  if (words.length > 3 || /\?\s*$/.test(text) || words.filter((w) => !STOPWORDS.has(w)).length > 1) return undefined;
  const byWord = closest(
    terms.map((list) =>
      list.flatMap((term) => {
        const termWords = term.split(' ').filter((w) => w.length >= 5);
        return words.filter((w) => w.length >= 4 && !STOPWORDS.has(w)).flatMap((word) => termWords.map((termWord) => [word, termWord] as [string, string]));
      }),
    ),
  );
  return byWord.found ? byWord.index : undefined;
}

/** The one choice whose words include a form of every word of a short answer, or undefined. */
function sameStems(answer: string, terms: string[][]): number | undefined {
  const words = answer.split(' ').filter((w) => !STOPWORDS.has(w));
  if (words.length === 0 || words.length > 3 || words.some((w) => w.length < 4)) return undefined;
  const hits = terms.flatMap((list, index) => {
    const stems = list.flatMap((term) => term.split(' ')).map(stem);
    return words.every((w) => stems.some((s) => sameStem(stem(w), s))) ? [index] : [];
  });
  return hits.length === 1 ? hits[0] : undefined;
}

/**
 * The one label the typed text says again in other words: it has every word of the label that
 * matters (or another form of it) and at least three quarters of all its words, not counting the
 * subject's own words. "en als ik het
 * daarna nog steeds niet eens ben?" is "Wat als ik het daarna nog niet eens ben?"; "wat is een
 * wijkteam" is not "Wat is een pgb?".
 */
export function rephrasedLabel(text: string, labels: readonly string[], subject: readonly string[] = []): string | undefined {
  const said = normalizeAnswer(text).split(' ');
  const saidStems = said.map(stem);
  // The subject of the answer the buttons are under may be left out: "kan ik die ook lenen?" under the
  // scootmobiel is "Kan ik een hulpmiddel lenen?".
  const known = new Set(subject.flatMap((s) => normalizeAnswer(s).split(' ')).map(stem));
  const hits = labels.filter((label) => {
    const words = normalizeAnswer(label).split(' ').filter((w) => w && !known.has(stem(w)));
    const content = words.filter((w) => !STOPWORDS.has(w));
    const shared = words.filter((w) => said.includes(w)).length;
    return content.length > 0 && content.every((w) => saidStems.some((s) => sameStem(stem(w), s))) && shared >= 0.75 * words.length;
  });
  return hits.length === 1 ? hits[0] : undefined;
}

/** The stemmer leaves some forms one letter apart ("boodschap", "boodschapp"). */
function sameStem(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.length >= 5 && long.length - short.length === 1 && long.startsWith(short);
}

const UNIT_MONTHS: Record<string, number> = { dag: 1 / 30, dagen: 1 / 30, week: 12 / 52, weken: 12 / 52, maand: 1, maanden: 1, jaar: 12, jaren: 12 };

/**
 * How many months ago the answer's moment was: an amount of time ("3 weken", "twee jaar", "een
 * half jaar"), a month ("in september": the last September, this month counts as 0) or a year
 * ("sinds 2024", "vorig jaar").
 */
function monthsAgo(answer: string, words: TypedWords, now: Date): number | undefined {
  const amount = /(?:^| )(\d+(?:[.,]\d+)?|[a-z]+) (dag|dagen|week|weken|maand|maanden|jaar|jaren)\b/.exec(answer);
  if (amount) {
    const said = amount[1];
    const n = /\d/.test(said) ? Number(said.replace(',', '.')) : said === 'half' ? 0.5 : said === 'anderhalf' ? 1.5 : ['een', 'paar', 'enkele'].includes(said) ? (said === 'een' ? 1 : 3) : words.numberWords?.[said];
    if (n !== undefined) return n * UNIT_MONTHS[amount[2]];
  }
  if (/\bvorig jaar\b/.test(answer)) return 12;
  if (/\bvorige maand\b/.test(answer)) return 1;
  const month = answer.split(' ').map((w) => words.monthNames?.[w]).find((m) => m !== undefined);
  const year = /\b(19|20)\d{2}\b/.exec(answer);
  const thisMonth = now.getMonth() + 1;
  if (year) return (now.getFullYear() - Number(year[0])) * 12 + thisMonth - (month ?? 1);
  if (month !== undefined) return (thisMonth - month + 12) % 12;
  return undefined;
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
  // The range and period ride along in the prompt's state, so the recogniser can read a typed number.
  return list.map((c) => ({ value: labels(c.label), synonyms: c.synonyms ?? [], ...(c.range ? { range: c.range } : {}), ...(c.monthsAgo ? { monthsAgo: c.monthsAgo } : {}) }));
}

/**
 * ChoicePrompt that shows suggested-action buttons and falls back to our Dutch recogniser when
 * the SDK's own matching finds nothing (it knows no Dutch ordinals and no typos).
 */
export class FuzzyChoicePrompt extends ChoicePrompt {
  constructor(
    dialogId: string,
    private readonly ordinals: Record<string, string[]>,
    private readonly words: TypedWords = {},
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
    const index = recognizeChoice(context.activity.text ?? '', choices, this.ordinals, this.words);
    if (index === undefined) return { succeeded: false };
    return { succeeded: true, value: { value: choices[index].value, index, score: 1 } };
  }
}
