/**
 * The bot's wording, loaded from knowledge/content/*.json so a knowledge manager can edit it
 * without touching code. The types and the checks both come from one schema
 * (knowledge/validate/content.ts); loadContent() refuses content with problems, listing each
 * one line each naming file › key, the same list `npm run kb:check` prints.
 */
import { defaultContentDir, readContent, type Content, type PLACEHOLDERS } from '../knowledge/validate/content.js';
import { formatProblem } from '../knowledge/validate/index.js';
import { allowPublicContacts, stringsIn } from '../knowledge/privacy/redact.js';

export type { Content } from '../knowledge/validate/content.js';
export { defaultContentDir };

export type GeneralContent = Content['general'];
export type SignalsContent = Content['signals'];
export type MedewerkerContent = Content['medewerker'];
export type ContentChoice = GeneralContent['switch']['yes'];
export type GlobalWord = keyof GeneralContent['globalWords'];

/** A question from a content file: buttons when it has choices, free text otherwise. */
export interface Question {
  text: string;
  retry?: string;
  /** Said when the resident asks why this is asked or what it means. */
  why?: string;
  choices?: ContentChoice[];
}

export class ContentError extends Error {
  constructor(readonly problems: string[]) {
    super(`The content files have ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    this.name = 'ContentError';
  }
}

export function loadContent(dir: string = defaultContentDir()): Content {
  const { content, problems } = readContent(dir);
  if (!content) throw new ContentError(problems.map(formatProblem));
  // Numbers the bot's own texts give (De Luisterlijn, 113) are published, not personal data.
  allowPublicContacts(stringsIn(content));
  return content;
}

/** Fill {placeholders}; a value that is missing stays visible as "…" rather than "{name}". */
export function fill(template: string, values: Partial<Record<(typeof PLACEHOLDERS)[number], string | number>> = {}): string {
  return template.replace(/\{([^}]*)\}/g, (_, name: string) => {
    const value = (values as Record<string, string | number | undefined>)[name];
    return value === undefined || value === '' ? '…' : String(value);
  });
}
