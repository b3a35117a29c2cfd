/**
 * Plays a conversation with the real WmoBot (real knowledge base, real topic router, a fixed
 * clock) through botbuilder's TestAdapter, as a resident on the municipal page would: the page
 * joins (welcome, municipality), then the resident types or presses buttons. Keeps what a check
 * needs to see: the replies of each turn, meldingen written to storage, warnings in the log.
 */
import { MemoryStorage, TestAdapter, type Activity, type Storage, type StoreItems } from 'botbuilder';
import { WmoBot } from '../wmoBot.js';
import { MeldingStore, type Melding } from '../../dialogs/meldingen.js';
import type { LoggerView } from '../../dialogs/ports.js';
import type { KnowledgeBase } from '../../knowledge/index.js';
import type { TopicRouter } from '../../knowledge/understanding/index.js';

export type Reply = Partial<Activity>;

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  msg: string;
}

/** MemoryStorage that also remembers every melding written, as the loket would find it. */
class RecordingStorage implements Storage {
  readonly meldingen: Melding[] = [];
  private readonly inner = new MemoryStorage();

  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }

  async write(changes: StoreItems): Promise<void> {
    await this.inner.write(changes);
    for (const [key, value] of Object.entries(changes)) if (key.startsWith(MeldingStore.PREFIX)) this.meldingen.push(value as Melding);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }
}

export class EvalChat {
  readonly log: LogLine[] = [];
  private readonly storage = new RecordingStorage();
  private readonly adapter: TestAdapter;

  constructor(kb: KnowledgeBase, router: TopicRouter, now: Date) {
    const logger: LoggerView = {
      info: (_o, msg) => this.log.push({ level: 'info', msg: msg ?? '' }),
      warn: (_o, msg) => this.log.push({ level: 'warn', msg: msg ?? '' }),
      error: (_o, msg) => this.log.push({ level: 'error', msg: msg ?? '' }),
    };
    const bot = new WmoBot({ storage: this.storage, kb, router, logger }, { now: () => now });
    this.adapter = new TestAdapter(async (context) => bot.run(context));
    this.adapter.locale = 'nl-NL';
  }

  get meldingen(): readonly Melding[] {
    return this.storage.meldingen;
  }

  /** The page opens the chat: the welcome, then the municipality when the page knows it. */
  async open(gemeente: string | null): Promise<Reply[]> {
    const welcome = await this.send({
      type: 'conversationUpdate',
      membersAdded: [{ id: 'bot', name: 'Bot' }, { id: 'user', name: 'Inwoner' }],
      recipient: { id: 'bot', name: 'Bot' },
    });
    await this.send({ type: 'event', name: 'webchat/join', value: gemeente ? { gemeente } : {} });
    return welcome;
  }

  say(text: string): Promise<Reply[]> {
    return this.send({ type: 'message', text });
  }

  /** Presses a button the way Web Chat does: imBack sends its value as text, postBack its value. */
  press(action: { type?: string; value?: unknown; title?: string; text?: string }): Promise<Reply[]> {
    if (action.type === 'messageBack' || action.type === 'postBack')
      return this.send({ type: 'message', text: action.text ?? (typeof action.value === 'string' ? action.value : undefined), value: action.value });
    return this.say(String(action.value ?? action.title ?? ''));
  }

  private async send(activity: Partial<Activity>): Promise<Reply[]> {
    await this.adapter.receiveActivity(activity);
    const replies: Reply[] = [];
    for (let next = this.adapter.activeQueue.shift(); next; next = this.adapter.activeQueue.shift()) replies.push(next);
    return replies.filter((r) => r.type === 'message');
  }
}
