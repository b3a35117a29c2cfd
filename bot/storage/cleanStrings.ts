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

  /**
   * Redacts every string inside plain JSON data (what JSON.parse returns), in place: cheaper than a
   * JSON.stringify replacer or a JSON.parse reviver, which call back for every value. Returns
   * whether anything was redacted.
   */
  redactInPlace(data: object): boolean {
    let changed = false;
    const walk = (container: Record<string, unknown> | unknown[], key: string | number) => {
      const value = (container as Record<string | number, unknown>)[key];
      if (typeof value === 'string') {
        const text = this.redact(value);
        if (text !== value) {
          (container as Record<string | number, unknown>)[key] = text;
          changed = true;
        }
      } else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) walk(value, i);
      else if (value && typeof value === 'object') for (const inner of Object.keys(value)) walk(value as Record<string, unknown>, inner);
    };
    walk({ data }, 'data');
    return changed;
  }

  forget(): void {
    this.clean.clear();
  }
}
