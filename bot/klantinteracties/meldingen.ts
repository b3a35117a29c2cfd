/**
 * The melding hook on the bot side: a MeldingStore that tells an observer about every melding
 * it stored, and the observer that queues it for the Klantinteracties API. dialogs/ stays as it
 * is; the bot hands the dialogs this store instead of the plain one.
 */
import type { Storage } from 'botbuilder';
import type { Content } from '../../dialogs/content.js';

type MeldingContent = Content['melding'];
import { MeldingStore, type Melding, type NewMelding } from '../../dialogs/meldingen.js';
import type { LoggerView } from '../../dialogs/ports.js';
import type { ContactRegistry, MeldingRecord } from './types.js';

export class ObservedMeldingStore extends MeldingStore {
  constructor(
    storage: Storage,
    options: ConstructorParameters<typeof MeldingStore>[1],
    private readonly onCreated?: (melding: Melding) => Promise<void>,
  ) {
    super(storage, options);
  }

  override async create(input: NewMelding): Promise<Melding> {
    const melding = await super.create(input);
    await this.onCreated?.(melding);
    return melding;
  }
}

/** The melding as the resident saw it in the summary, with the labels of their choices. */
export function meldingRecord(melding: Melding, content: Pick<MeldingContent, 'questions'>): MeldingRecord {
  const label = (question: 'onderwerp' | 'spoed', id: string) => content.questions[question].choices?.find((c) => c.id === id)?.label ?? id;
  const urgency = label('spoed', melding.spoed);
  const summary = [
    `Situatie: ${melding.situatie}`,
    `Al geprobeerd: ${melding.geprobeerd}`,
    `Huishouden: ${melding.huishouden}`,
    `Hoe snel: ${urgency}`,
  ].join('\n');
  return {
    reference: melding.reference,
    gemeente: melding.gemeente,
    topic: label('onderwerp', melding.topic),
    summary,
    urgency,
    urgent: melding.spoed === 'acuut',
    createdAt: melding.createdAt,
    contact: melding.contact.method === 'email' ? { email: melding.contact.value } : { phone: melding.contact.value },
    ...(melding.contact.when ? { preferredTime: melding.contact.when } : {}),
  };
}

/**
 * Queues each new melding. Never throws: the melding is stored and the resident has their
 * reference whatever happens here; a failure to queue is logged with the reference.
 */
export function meldingObserver(registry: ContactRegistry, content: Pick<MeldingContent, 'questions'>, logger?: LoggerView) {
  return async (melding: Melding): Promise<void> => {
    try {
      await registry.recordMelding(meldingRecord(melding, content));
    } catch (error) {
      logger?.error({ reference: melding.reference, err: (error as Error).message }, 'Klantinteracties: melding could not be queued');
    }
  };
}
