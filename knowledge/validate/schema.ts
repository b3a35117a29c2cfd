/** zod issues as our Problem list: one readable "file › key: what is wrong" per issue. */
import type { z } from 'zod';
import type { Problem } from '../types.js';

/** "texts.klaar", "kinds[1].patterns[3]". */
export function keyPath(path: Array<string | number>): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

export function schemaProblems(file: string, schema: z.ZodTypeAny, value: unknown): Problem[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ severity: 'error' as const, file, field: keyPath(issue.path) || undefined, message: issue.message }));
}
