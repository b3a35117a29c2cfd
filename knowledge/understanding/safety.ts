/**
 * Safety rules: phrases from knowledge/data/safety-signals.json that make the bot show an
 * emergency number first. Rules run before the classifier because a missed cry for help is far
 * worse than a needless number; negations ("ik word niet geslagen hoor") switch a match off.
 *
 * The patterns match on their own simple normal form (lower case, no accents, clause breaks kept),
 * not on analyze(): stemming would blur the exact phrases a knowledge manager writes down.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { knowledgeDataDir } from '../paths.js';
import { damerauLevenshtein } from '../nlp/dutch.js';

export type SafetyKind = 'acuut-gevaar' | 'suicide' | 'huiselijk-geweld' | 'dakloos';

export interface SafetySignal {
  kind: SafetyKind;
  /** The normalised words that triggered the signal (empty when only the classifier saw danger). */
  matched: string;
  /** Other kinds the same message also matched, most urgent first ("the curtains are always closed and her son shouts at her"). */
  also?: SafetyKind[];
  /** The cue group that saw this kind in several signs together (a bystander describing neglect), if one did. */
  cueGroup?: string;
}

export const SAFETY_KINDS: readonly SafetyKind[] = ['acuut-gevaar', 'suicide', 'huiselijk-geweld', 'dakloos'];

interface SafetySignalsFile {
  negations: string[];
  notNegatingNext: string[];
  clauseWords: string[];
  negationWindowBefore: number;
  kinds: Array<{ kind: SafetyKind; negationAfter: number; patterns: string[] }>;
  typoWords?: Partial<Record<SafetyKind, string[]>>;
  cueGroups?: CueGroup[];
  classifierKindHints: Partial<Record<SafetyKind, string[]>> & { $comment?: string };
}

/**
 * Signs that say little alone but a lot together: a bystander describing an elderly neighbour
 * who smells, wears the same clothes for weeks and is not eating describes neglect, in words no
 * single phrase can list. `minimum` different cues (each a pattern) in one message give the kind.
 */
export interface CueGroup {
  kind: SafetyKind;
  name: string;
  minimum: number;
  cues: Record<string, string>;
  /** Words of which one must stand in the message: it is about someone else ("buurvrouw", "hij"), not the writer's own request for help. */
  about?: string[];
}

/** Result of one scan: the signal, and whether some phrase matched but was negated. */
export interface SafetyScan {
  signal: SafetySignal | null;
  negated: boolean;
}

/** The clause-break token that punctuation turns into. */
const BREAK = '|';

export const DEFAULT_SAFETY_SIGNALS_PATH = join(knowledgeDataDir, 'safety-signals.json');

/** Lower case, accents and apostrophes removed, punctuation as clause breaks, single spaces. */
export function normalizeForSafety(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’‘`´]/g, '')
    .replace(/[.,!?;:\n]+/g, ` ${BREAK} `)
    .replace(/[^a-z0-9|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export class SafetyDetector {
  private readonly negations: Set<string>;
  private readonly notNegatingNext: Set<string>;
  private readonly clauseWords: Set<string>;
  private readonly windowBefore: number;
  private readonly kinds: Array<{ kind: SafetyKind; negationAfter: number; regex: RegExp; whole: RegExp }>;
  private readonly hints: Array<{ kind: SafetyKind; words: Set<string> }>;
  private readonly typoWords: Array<{ kind: SafetyKind; words: string[] }>;
  private readonly cueGroups: Array<{ kind: SafetyKind; name: string; minimum: number; about?: Set<string>; cues: Array<{ name: string; regex: RegExp; whole: RegExp }> }>;

  constructor(file: SafetySignalsFile) {
    this.negations = new Set(file.negations);
    this.notNegatingNext = new Set(file.notNegatingNext);
    this.clauseWords = new Set(file.clauseWords);
    this.windowBefore = file.negationWindowBefore;
    // One regex per kind; whole words only (no letter or digit right before or after).
    this.kinds = file.kinds.map((k) => {
      const any = k.patterns.map((p) => `(?:${p})`).join('|');
      return {
        kind: k.kind,
        negationAfter: k.negationAfter,
        regex: new RegExp(`(?<![a-z0-9])(?:${any})(?![a-z0-9])`, 'g'),
        whole: new RegExp(`^(?:${any})$`),
      };
    });
    this.typoWords = SAFETY_KINDS.flatMap((kind) => {
      const words = file.typoWords?.[kind];
      return words ? [{ kind, words }] : [];
    });
    this.cueGroups = (file.cueGroups ?? []).map((g) => ({
      kind: g.kind,
      name: g.name,
      minimum: g.minimum,
      about: g.about ? new Set(g.about.map(normalizeForSafety)) : undefined,
      cues: Object.entries(g.cues).map(([name, p]) => ({ name, regex: new RegExp(`(?<![a-z0-9])(?:${p})(?![a-z0-9])`, 'g'), whole: new RegExp(`^(?:${p})$`) })),
    }));
    this.hints = SAFETY_KINDS.flatMap((kind) => {
      const words = file.classifierKindHints[kind];
      return words ? [{ kind, words: new Set(words) }] : [];
    });
  }

  static fromFile(path: string = DEFAULT_SAFETY_SIGNALS_PATH): SafetyDetector {
    return new SafetyDetector(JSON.parse(readFileSync(path, 'utf8')) as SafetySignalsFile);
  }

  /** Finds the most urgent non-negated signal; reports whether a negated match was seen. */
  scan(text: string): SafetyScan {
    const normal = normalizeForSafety(text);
    let negated = false;
    if (normal === '') return { signal: null, negated };
    let found: SafetySignal | null = null;
    for (const { kind, negationAfter, regex, whole } of this.kinds) {
      regex.lastIndex = 0;
      for (let m = regex.exec(normal); m !== null; m = regex.exec(normal)) {
        if (
          this.isNegated(normal, m.index, m.index + m[0].length, negationAfter) ||
          this.negatedInside(m[0], whole)
        ) {
          negated = true;
          continue;
        }
        // The most urgent kind leads; the others are kept so the answer can name their number too.
        if (!found) found = { kind, matched: m[0] };
        else found.also = [...(found.also ?? []), kind];
        break;
      }
    }
    // Enough different signs of one kind together (neglect) add that kind, or make the signal.
    const said = new Set(normal.split(' '));
    for (const group of this.cueGroups) {
      if (group.about && ![...group.about].some((w) => said.has(w))) continue;
      const seen = group.cues.filter(({ regex, whole }) => {
        regex.lastIndex = 0;
        for (let m = regex.exec(normal); m !== null; m = regex.exec(normal)) {
          // "hij is niet mager", "ze ruikt niet vies": a negated sign is no sign.
          if (!this.isNegated(normal, m.index, m.index + m[0].length, 0) && !this.negatedInside(m[0], whole)) return true;
        }
        return false;
      });
      if (seen.length < group.minimum) continue;
      const matched = seen.map((c) => c.name).join(', ');
      if (!found) found = { kind: group.kind, matched, cueGroup: group.name };
      else {
        found.cueGroup = group.name;
        if (found.kind !== group.kind && !found.also?.includes(group.kind)) found.also = [...(found.also ?? []), group.kind];
      }
    }
    if (found) return { signal: found, negated };
    // One typo in a strong word ("zelfmoort", "geslaggen") still counts.
    const words = normal.split(' ');
    let offset = 0;
    const starts = words.map((w) => ((offset += w.length + 1), offset - w.length - 1));
    for (const { kind, words: typoWords } of this.typoWords) {
      for (let i = 0; i < words.length; i++) {
        const word = words[i];
        if (word.length < 7) continue;
        // Typos rarely hit the first letter; checking it first keeps this loop cheap.
        if (!typoWords.some((t) => t[0] === word[0] && damerauLevenshtein(word, t, 1) <= 1)) continue;
        if (this.isNegated(normal, starts[i], starts[i] + word.length, kind === 'huiselijk-geweld' ? 2 : 0)) {
          negated = true;
          continue;
        }
        return { signal: { kind, matched: word }, negated };
      }
    }
    return { signal: null, negated };
  }

  /** Picks a kind for a message only the classifier flagged; 112 when nothing points elsewhere. */
  kindFromHints(text: string): SafetyKind {
    const words = normalizeForSafety(text).split(' ');
    for (const { kind, words: hintWords } of this.hints) {
      if (words.some((w) => hintWords.has(w))) return kind;
    }
    return 'acuut-gevaar';
  }

  /**
   * A negation inside the matched words ("ik slaap niet op straat") counts when the phrase also
   * matches without it; when it is part of the phrase itself ("zie het niet meer zitten") it does not.
   */
  private negatedInside(matched: string, whole: RegExp): boolean {
    const words = matched.split(' ');
    if (!words.some((w) => this.negations.has(w))) return false;
    return whole.test(words.filter((w) => !this.negations.has(w)).join(' '));
  }

  private isNegated(normal: string, start: number, end: number, after: number): boolean {
    const before = normal.slice(0, start).trim().split(' ').filter(Boolean);
    for (let i = before.length - 1, n = 0; i >= 0 && n < this.windowBefore; i--, n++) {
      const word = before[i];
      if (word === BREAK || this.clauseWords.has(word)) break;
      if (this.negations.has(word) && !this.notNegatingNext.has(before[i + 1] ?? '')) return true;
    }
    if (after > 0) {
      const next = normal.slice(end).trim().split(' ').filter(Boolean);
      for (let i = 0; i < next.length && i < after; i++) {
        const word = next[i];
        if (word === BREAK || this.clauseWords.has(word)) break;
        if (this.negations.has(word) && !this.notNegatingNext.has(next[i + 1] ?? '')) return true;
      }
    }
    return false;
  }
}

let defaultDetector: SafetyDetector | undefined;

/** The safety rules from knowledge/data/safety-signals.json (loaded once). */
export function defaultSafetyDetector(): SafetyDetector {
  defaultDetector ??= SafetyDetector.fromFile();
  return defaultDetector;
}

/** Rule-based safety check on one message: the most urgent signal, or null. */
export function detectSafety(text: string): SafetySignal | null {
  return defaultSafetyDetector().scan(text).signal;
}
