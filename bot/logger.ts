import { pino, type Logger } from 'pino';
import { redact, redactDeep } from '../knowledge/privacy/redact.js';

export type { Logger };

/** Header and field names whose values are credentials: never logged. */
const SECRET_KEYS = /^(authorization|proxy-authorization|cookie|set-cookie|x-ms-bot-agent-token|token|password|secret|microsoftapppassword|directline_secret)$/i;
/** Credentials inside free text: a bearer token, a Direct Line stream's t= parameter. */
const SECRET_TEXT = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+|([?&]t=)[^&\s"']+/gi;
const HIDDEN = '[verborgen]';
const MAX_DEPTH = 8;

function hideSecrets(text: string): string {
  return text.replace(SECRET_TEXT, (_match, bearer: string | undefined, param: string | undefined) => `${bearer ?? param}${HIDDEN}`);
}

/**
 * A copy of a log value that is safe to write: credentials removed by key and from text, also
 * inside class instances (errors, requests); errors become their type, message and stack;
 * cycles and very deep nesting are cut off instead of recursing.
 */
export function withoutSecrets(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return hideSecrets(value);
  if (!value || typeof value !== 'object') return value;
  if (seen.has(value)) return '[kringverwijzing]';
  if (depth >= MAX_DEPTH) return '[te diep]';
  seen.add(value);
  if (Array.isArray(value)) return value.slice(0, 100).map((item) => withoutSecrets(item, depth + 1, seen));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  if (value instanceof Error) {
    out.type = value.name;
    out.message = hideSecrets(value.message);
    out.stack = value.stack === undefined ? undefined : hideSecrets(value.stack);
    if (value.cause !== undefined) out.cause = withoutSecrets(value.cause, depth + 1, seen);
  }
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEYS.test(key) ? HIDDEN : withoutSecrets(item, depth + 1, seen);
  }
  return out;
}

/**
 * Structured JSON logs. Every log object and message passes redaction first, so a BSN, phone
 * number, e-mail address or IBAN a resident typed never reaches the log, and neither does a
 * token or an Authorization header.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'wmo-loket-assistant' },
      formatters: { log: (object) => redactDeep(withoutSecrets(object) as Record<string, unknown>) },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) => (typeof arg === 'string' ? redact(hideSecrets(arg)).text : arg));
          return method.apply(this, redacted as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
