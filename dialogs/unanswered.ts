/**
 * Questions the bot could not answer ("Geen van deze", or low confidence), kept redacted for the
 * knowledge manager. Keys: "unanswered/<conversation id>/<slot>": each conversation has at most
 * PER_CONVERSATION slots, so one client sending hundreds of unclear messages fills a handful of
 * entries, not hundreds of files; and a resident's "verwijder mijn gegevens" finds its entries
 * without listing the store. Listings sort by `at`.
 */
import type { Storage } from 'botbuilder';
import { redact } from '../knowledge/privacy/redact.js';
import type { TopicId } from '../knowledge/topics.js';

export interface UnansweredQuestion {
  text: string; // redacted
  reason: 'geen-van-deze' | 'laag';
  gemeente?: string;
  candidates: Array<{ topic: TopicId; confidence: number }>;
  at: string;
}

export class UnansweredStore {
  static readonly PREFIX = 'unanswered/';
  /** Enough examples from one conversation for the knowledge manager; more would only be noise. */
  static readonly PER_CONVERSATION = 10;

  constructor(
    private readonly storage: Storage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Every key a conversation's questions can be stored under. */
  static keysFor(conversationId: string): string[] {
    return Array.from({ length: UnansweredStore.PER_CONVERSATION }, (_, slot) => `${UnansweredStore.PREFIX}${conversationId}/${slot}`);
  }

  /** Stores the question in the conversation's first free slot; undefined when all are taken. */
  async add(question: Omit<UnansweredQuestion, 'at'> & { conversationId: string }): Promise<string | undefined> {
    const { conversationId, ...rest } = question;
    const keys = UnansweredStore.keysFor(conversationId);
    const taken = await this.storage.read(keys);
    const key = keys.find((k) => !taken[k]);
    if (!key) return undefined;
    const item: UnansweredQuestion = { ...rest, text: redact(question.text).text, at: this.now().toISOString() };
    await this.storage.write({ [key]: { ...item } });
    return key;
  }

  /** Deletes a conversation's questions; resolves with how many there were. */
  async forget(conversationId: string): Promise<number> {
    const found = Object.keys(await this.storage.read(UnansweredStore.keysFor(conversationId)));
    if (found.length) await this.storage.delete(found);
    return found.length;
  }
}
