/**
 * knowledge/data/safety-signals.json: the phrases that make the bot show an emergency number
 * first. Every pattern must compile as a JavaScript regular expression: one broken pattern
 * would stop the safety check for every resident.
 */
import { z } from 'zod';
import { SAFETY_KINDS, type SafetyKind } from '../understanding/safety.js';

const KIND = z.enum(SAFETY_KINDS as [SafetyKind, ...SafetyKind[]]);
const words = z.array(z.string().trim().min(1, 'empty word')).min(1, 'needs at least one word');

/** The compile error of a pattern as the detector builds it, or undefined when it compiles. */
export function regexError(pattern: string): string | undefined {
  try {
    new RegExp(`(?<![a-z0-9])(?:${pattern})(?![a-z0-9])`);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: /, '');
  }
}

const pattern = z.string().min(1, 'empty pattern').superRefine((value, ctx) => {
  const error = regexError(value);
  if (error) ctx.addIssue({ code: 'custom', message: `not a valid regular expression (${error})` });
});

export const safetySignalsSchema = z.object({
  negations: words,
  notNegatingNext: z.array(z.string()),
  clauseWords: words,
  negationWindowBefore: z.number().int().min(0),
  kinds: z.array(z.object({ kind: KIND, negationAfter: z.number().int().min(0), patterns: z.array(pattern).min(1, 'needs at least one pattern') })).min(1),
  typoWords: z.record(KIND, words).optional(),
  cueGroups: z.array(z.object({ kind: KIND, name: z.string().min(1), minimum: z.number().int().min(2, 'one cue alone is a pattern: put it in kinds'), cues: z.record(z.string(), pattern), about: words.optional() })).optional(),
  classifierKindHints: z.record(z.string(), z.union([words, z.string()])),
});
