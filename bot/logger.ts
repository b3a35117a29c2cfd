import { pino, type Logger } from 'pino';
import { redact, redactDeep } from '../knowledge/privacy/redact.js';

export type { Logger };

/**
 * Structured JSON logs. Every log object and message passes redaction first, so a BSN, phone
 * number, e-mail address or IBAN a resident typed never reaches the log.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'wmo-loket-assistant' },
      formatters: { log: (object) => redactDeep(object) },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) => (typeof arg === 'string' ? redact(arg).text : arg));
          return method.apply(this, redacted as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
