import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createContactRegistry,
  type CallbackRequest,
  type ClosedHandoff,
  type ContactRegistry,
  type MeldingRecord,
  type OutboxStatus,
} from '../../bot/klantinteracties/index.js';
import { LowdbStorage } from '../../bot/storage/index.js';
import { isValidBsn } from '../../knowledge/privacy/redact.js';
import { KlantinteractiesStub } from './stub.js';

/** The uuid of the Wmo-loket's actor (organisatorische eenheid) in the municipality's API. */
export const LOKET_ACTOR = '6f1c9a8e-2b4d-4c1e-9f3a-7d5b8e2c4a10';
export const GEMEENTEN = [
  { code: 'GM0406', name: 'Huizen' },
  { code: 'GM0402', name: 'Hilversum' },
];

export interface LoggedLine {
  level: 'info' | 'warn' | 'error';
  o: object;
  msg?: string;
}

export function captureLogger(lines: LoggedLine[] = []) {
  return {
    lines,
    info: (o: object, msg?: string) => void lines.push({ level: 'info', o, msg }),
    warn: (o: object, msg?: string) => void lines.push({ level: 'warn', o, msg }),
    error: (o: object, msg?: string) => void lines.push({ level: 'error', o, msg }),
  };
}

/** A registry on real files, pointed at the stub, retrying within milliseconds. */
export class Fixture {
  readonly stub = new KlantinteractiesStub();
  readonly logger = captureLogger();
  dir = '';
  storage!: LowdbStorage;
  registry!: ContactRegistry;

  async start(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'wmo-klant-'));
    await this.stub.start();
    this.open();
  }

  /** A new registry on the same files: what a restart of the service builds. */
  open(token = this.stub.token): ContactRegistry {
    this.storage = new LowdbStorage(this.dir);
    this.registry = createContactRegistry({
      config: { region: { url: this.stub.apiRoot, token, organisatorischeEenheid: LOKET_ACTOR }, gemeenten: {} },
      gemeenten: GEMEENTEN,
      storage: this.storage,
      logger: this.logger,
      baseDelayMs: 25,
      maxDelayMs: 200,
    });
    return this.registry;
  }

  async close(): Promise<void> {
    await this.registry.stop();
    await this.storage.flush();
    await this.stub.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A fresh fixture for each test of the describe block that calls this; use the getter inside tests. */
export function useFixture(): () => Fixture {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = new Fixture();
    await fixture.start();
  });
  afterEach(() => fixture.close());
  return () => fixture;
}

export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 8_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/** POSTs the stub answered for a collection (created, or created with the answer lost). */
export function posts(stub: KlantinteractiesStub, collection: string): number {
  return stub.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/${collection}`) && (r.status === 201 || r.status === -1)).length;
}

export function waitUntilSent(registry: ContactRegistry, references: string[]): Promise<OutboxStatus> {
  return waitFor(async () => {
    const status = await registry.outboxStatus();
    const sent = new Set(status.sent.map((item) => item.reference));
    return references.every((reference) => sent.has(reference)) ? status : undefined;
  }, `${references.join(', ')} to be sent`);
}

/**
 * Every BSN hidden in text, found independently of the code under test: any nine digits (of any
 * script) joined by non-letters that pass the 11-proef. URLs, uuids and timestamps are taken out
 * first: they are ours, and their digits can line up by chance (127.0.0.1:46393 → 127001463…).
 */
export function bsnsIn(text: string): string[] {
  const plain = text
    .normalize('NFKC')
    .replace(/\p{Nd}/gu, (d) => String(Number.parseInt(d, 10) >= 0 ? d : d.charCodeAt(0) - 0x0660))
    .replace(/https?:\/\/[^"\s]*/g, ' ')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ' ')
    .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z?/g, ' ');
  const found: string[] = [];
  for (const run of plain.match(/\d(?:[^\p{L}\d]*\d)*/gu) ?? []) {
    const digits = run.replace(/\D/g, '');
    for (let i = 0; i + 9 <= digits.length; i++) if (isValidBsn(digits.slice(i, i + 9))) found.push(digits.slice(i, i + 9));
  }
  return found;
}

export function handoff(overrides: Partial<ClosedHandoff> = {}): ClosedHandoff {
  return {
    reference: 'OVD-2026-7KQ4PM',
    gemeente: 'GM0406',
    topic: 'huishoudelijke-hulp',
    summary: 'U vroeg naar hulp bij het schoonmaken. Anna van het loket legde uit hoe een melding werkt en stuurt u de folder.',
    transcript: [
      { from: 'resident', text: 'Ik kan niet meer zelf schoonmaken', at: '2026-11-30T09:02:00.000Z' },
      { from: 'employee', text: 'Dat is vervelend. Ik leg uit hoe het werkt.', at: '2026-11-30T09:04:00.000Z' },
    ],
    employee: { id: 'anna', name: 'Anna de Boer' },
    outcome: 'geholpen',
    citedArticles: [
      { id: 'huishoudelijke-hulp-wat', title: 'Wat is huishoudelijke hulp?' },
      { id: 'wmo-procedure', title: 'Zo gaat een Wmo-aanvraag' },
    ],
    startedAt: '2026-11-30T09:01:30.000Z',
    closedAt: '2026-11-30T09:15:00.000Z',
    contact: { name: 'Jan van der Berg', phone: '06-12 34 56 78' },
    ...overrides,
  };
}

export function callback(overrides: Partial<CallbackRequest> = {}): CallbackRequest {
  return {
    reference: 'TBV-2026-3HX9RT',
    gemeente: 'GM0406',
    topic: 'mantelzorg',
    summary: 'U zorgt voor uw moeder en wilt praten over respijtzorg.',
    preferredTime: 'In de ochtend',
    requestedAt: '2026-11-30T10:20:00.000Z',
    contact: { phone: '035 123 45 67' },
    ...overrides,
  };
}

export function melding(overrides: Partial<MeldingRecord> = {}): MeldingRecord {
  return {
    reference: 'WMO-2026-ABCDEF',
    gemeente: 'GM0406',
    topic: 'Hulp in het huishouden',
    summary: 'Situatie: Ik kan de was niet meer doen.\nAl geprobeerd: buren helpen soms\nHuishouden: Ik woon alleen\nHoe snel: Snel, binnen een paar dagen',
    urgency: 'Snel, binnen een paar dagen',
    urgent: false,
    createdAt: '2026-11-30T11:00:00.000Z',
    contact: { email: 'inwoner@example.nl' },
    ...overrides,
  };
}
