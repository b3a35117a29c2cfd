/**
 * Durable Wmo-meldingen over a botbuilder Storage (the raw store, not the redacting one: the
 * contact the resident gave for the call-back must survive). Free text is redacted here once
 * more, whatever the dialog did, so a BSN, phone number or medical term typed in the story
 * never reaches disk. Keys: "meldingen/WMO-2026-XXXXXX".
 */
import { randomInt } from 'node:crypto';
import type { Storage } from 'botbuilder';
import { redact, redactMedical, type PersonalDataKind } from '../knowledge/privacy/redact.js';
import type { TopicId } from '../knowledge/topics.js';

export type ContactMethod = 'telefoon' | 'email';

export interface Melding {
  reference: string;
  createdAt: string; // ISO timestamp
  gemeente: string; // CBS code
  topic: TopicId | 'anders';
  situatie: string;
  geprobeerd: string;
  huishouden: string;
  spoed: 'normaal' | 'snel' | 'acuut';
  consent: { given: true; at: string; wording: string };
  contact: { method: ContactMethod; value: string; when?: string };
  channelId?: string;
  conversationId?: string;
}

export type NewMelding = Omit<Melding, 'reference' | 'createdAt'>;

export interface TextRedaction {
  text: string;
  found: PersonalDataKind[];
  medical: boolean;
}

/** Redact personal data (redact()) and the medical terms from content (redactMedical()). */
export function redactStory(text: string, medicalTerms: string[]): TextRedaction {
  const personal = redact(text);
  const { text: clean, medical } = redactMedical(personal.text, medicalTerms);
  return { text: clean, found: personal.found, medical };
}

/** Unambiguous characters only (no 0/O, 1/I/L), so a reference can be read out on the phone. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export class MeldingStore {
  static readonly PREFIX = 'meldingen/';

  constructor(
    private readonly storage: Storage,
    private readonly options: { medicalTerms?: string[]; now?: () => Date } = {},
  ) {}

  static key(reference: string): string {
    return `${MeldingStore.PREFIX}${reference}`;
  }

  newReference(): string {
    const year = (this.options.now?.() ?? new Date()).getFullYear();
    let code = '';
    for (let i = 0; i < 6; i++) code += ALPHABET[randomInt(ALPHABET.length)];
    return `WMO-${year}-${code}`;
  }

  /** Stores the melding under a fresh reference and returns what was stored. */
  async create(input: NewMelding): Promise<Melding> {
    const terms = this.options.medicalTerms ?? [];
    let reference = this.newReference();
    for (let tries = 0; tries < 5; tries++) {
      const existing = await this.storage.read([MeldingStore.key(reference)]);
      if (!existing[MeldingStore.key(reference)]) break;
      reference = this.newReference();
    }
    const melding: Melding = {
      ...input,
      reference,
      createdAt: (this.options.now?.() ?? new Date()).toISOString(),
      situatie: redactStory(input.situatie, terms).text,
      geprobeerd: redactStory(input.geprobeerd, terms).text,
      huishouden: redact(input.huishouden).text,
      // The contact is kept as given: it is what the resident asked us to use for the call-back.
      contact: { ...input.contact, ...(input.contact.when ? { when: redact(input.contact.when).text } : {}) },
    };
    await this.storage.write({ [MeldingStore.key(reference)]: { ...melding } });
    return melding;
  }

  async get(reference: string): Promise<Melding | undefined> {
    const items = await this.storage.read([MeldingStore.key(reference)]);
    const item = items[MeldingStore.key(reference)] as (Melding & { eTag?: string }) | undefined;
    if (!item) return undefined;
    const melding: Melding & { eTag?: string } = { ...item };
    delete melding.eTag;
    return melding;
  }
}
