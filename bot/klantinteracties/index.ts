/**
 * The ContactRegistry port and its adapter for the VNG Klantinteracties API. Build it with
 * createContactRegistry(); without configuration it records nothing and says so once.
 */
import type { LoggerView } from '../../dialogs/ports.js';
import { isConfigured, resolveTargets, type KlantinteractiesConfig, type KlantinteractiesTarget } from './config.js';
import { Outbox, type ListableStorage } from './outbox.js';
import { prepareCallback, prepareHandoff, prepareMelding, type Prepared } from './records.js';
import type { ContactRegistry, OutboxStatus, RecordResult } from './types.js';

export type * from './types.js';
export { KlantinteractiesConfigError, readKlantinteractiesConfig, type KlantinteractiesConfig } from './config.js';
export { RecordInputError } from './records.js';
export { meldingObserver, ObservedMeldingStore } from './meldingen.js';

export interface ContactRegistryOptions {
  config: KlantinteractiesConfig;
  /** CBS codes of the region's municipalities (from the knowledge base). */
  gemeenten: Array<{ code: string; name: string }>;
  storage: ListableStorage;
  logger?: LoggerView;
  /** Retry timing (tests use milliseconds). */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Throws KlantinteractiesConfigError (a clear message for start-up) on incomplete settings. */
export function createContactRegistry(options: ContactRegistryOptions): ContactRegistry {
  const { config, gemeenten, logger } = options;
  if (!isConfigured(config)) {
    resolveTargets(config, gemeenten.map((g) => g.code)); // still reports stray settings
    logger?.info({}, 'KLANTINTERACTIES_URL is not set: handoffs, callback requests and meldingen are not recorded in a Klantinteracties API.');
    return new UnconfiguredRegistry();
  }
  const targets = resolveTargets(config, gemeenten.map((g) => g.code));
  const without = gemeenten.filter((g) => !targets.has(g.code)).map((g) => g.code);
  logger?.info(
    { gemeenten: [...targets.values()].map((t) => `${t.gemeente} → ${t.apiRoot}`), without },
    'Klantinteracties: handoffs, callback requests and meldingen are recorded in the municipality’s API',
  );
  const registry = new KlantinteractiesRegistry(targets, new Outbox({ ...options, targets }), logger);
  registry.start();
  return registry;
}

class UnconfiguredRegistry implements ContactRegistry {
  async recordClosedHandoff(): Promise<RecordResult> {
    return 'not-configured';
  }
  async recordCallback(): Promise<RecordResult> {
    return 'not-configured';
  }
  async recordMelding(): Promise<RecordResult> {
    return 'not-configured';
  }
  async outboxStatus(): Promise<OutboxStatus> {
    return { configured: false, pending: [], failing: [], sent: [] };
  }
  async stop(): Promise<void> {}
}

class KlantinteractiesRegistry implements ContactRegistry {
  constructor(
    private readonly targets: Map<string, KlantinteractiesTarget>,
    private readonly outbox: Outbox,
    private readonly logger?: LoggerView,
  ) {}

  start(): void {
    this.outbox.start();
  }

  recordClosedHandoff(handoff: Parameters<ContactRegistry['recordClosedHandoff']>[0]): Promise<RecordResult> {
    return this.queue(() => prepareHandoff(handoff));
  }

  recordCallback(callback: Parameters<ContactRegistry['recordCallback']>[0]): Promise<RecordResult> {
    return this.queue(() => prepareCallback(callback));
  }

  recordMelding(melding: Parameters<ContactRegistry['recordMelding']>[0]): Promise<RecordResult> {
    return this.queue(() => prepareMelding(melding));
  }

  async outboxStatus(limit?: number): Promise<OutboxStatus> {
    return { configured: true, ...(await this.outbox.status(limit)) };
  }

  stop(): Promise<void> {
    return this.outbox.stop();
  }

  /** Prepare (throws RecordInputError on bad input) and queue, unless the municipality has no API. */
  private async queue(prepare: () => Prepared): Promise<RecordResult> {
    const { record, caughtBsn } = prepare();
    if (caughtBsn) {
      // The number itself is gone; this tells the privacy owners a spelling got past redact().
      this.logger?.warn({ kind: record.kind, reference: record.reference }, 'Klantinteracties: a BSN got past redaction and was removed before queuing');
    }
    if (!this.targets.has(record.gemeente)) return 'not-configured';
    return this.outbox.enqueue(record);
  }
}
