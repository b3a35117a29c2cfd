import { redact } from '../../knowledge/privacy/redact.js';

/** Strings remembered as clean: a few hundred active conversations' worth. */
const CLEAN_MAX = 4_096;

/**
 * redact() for what is written again and again: strings that had nothing to redact are remembered
 * and not looked at again. Most of what the service stores is its own text over and over (prompts,
 * choices and dialog ids in state; buttons and answers in transcripts). A string once found clean
 * stays clean (published contacts are only ever added). Bounded, oldest first; forget() empties it
 * (on an erasure), so no text of an erased conversation stays.
 */
export class CleanStrings {
  private readonly clean = new Set<string>();

  redact(value: string): string {
    if (this.clean.has(value)) return value;
    const text = redact(value).text;
    if (text === value) {
      if (this.clean.size >= CLEAN_MAX) this.clean.delete(this.clean.values().next().value!);
      this.clean.add(value);
    }
    return text;
  }

  forget(): void {
    this.clean.clear();
  }
}
