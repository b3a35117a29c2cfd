/**
 * Questions the bot could not answer ("Geen van deze", or low confidence), kept redacted for the
 * knowledge manager. Keys: "unanswered/<ISO time>-<random>" so a listing comes out in time order.
 */
import { randomUUID } from 'node:crypto';
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

  constructor(
    private readonly storage: Storage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async add(question: Omit<UnansweredQuestion, 'at'>): Promise<string> {
    const at = this.now().toISOString();
    const key = `${UnansweredStore.PREFIX}${at}-${randomUUID().slice(0, 8)}`;
    const item: UnansweredQuestion = { ...question, text: redact(question.text).text, at };
    await this.storage.write({ [key]: { ...item } });
    return key;
  }
}
