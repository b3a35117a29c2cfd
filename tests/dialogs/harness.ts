/**
 * Drives the real WmoBot (real knowledge base, real topic router) through the botbuilder
 * TestAdapter, one turn at a time, and checks the reply contract on every message it sees:
 * exactly one wmoTopic entity with a known topic and a confidence between 0 and 1.
 */
import { expect } from 'chai';
import { MemoryStorage, TestAdapter, type Activity, type Storage } from 'botbuilder';
import { WmoBot, type BotDeps } from '../../bot/wmoBot.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../../knowledge/index.js';
import { isTopicId } from '../../knowledge/topics.js';
import { loadContent } from '../../dialogs/content.js';
import { TopicRouter } from '../../knowledge/understanding/index.js';
import { cardText } from '../helpers/cards.js';

export interface Knowledge {
  kb: KnowledgeBase;
  router: TopicRouter;
}

let shared: Promise<Knowledge> | undefined;

/** The demo knowledge base and the trained router, built once for all dialog tests. */
export function knowledge(): Promise<Knowledge> {
  shared ??= (async () => {
    const kb = await loadKnowledgeBase();
    return { kb, router: await TopicRouter.create() };
  })();
  return shared;
}

/** The wording files, so tests can look for a content key's text instead of repeating the Dutch. */
export const CONTENT = loadContent();

function escape(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** A contact block's line with this label ("Telefoon: …"), as the presenter writes it. */
export function contactLine(label: keyof typeof CONTENT.general.contactLabels): RegExp {
  return escape(`${CONTENT.general.contactLabels[label]}: `);
}

/** One of the loket texts (open now, closed now), as a pattern. */
export function contentText(text: string): RegExp {
  return escape(text);
}

/** Tuesday 24 November 2026, 10:00 in the Netherlands: lokets are open. */
export const TUESDAY_MORNING = new Date('2026-11-24T09:00:00Z');
/** Sunday 22 November 2026, 13:00 in the Netherlands: lokets are closed. */
export const SUNDAY = new Date('2026-11-22T12:00:00Z');

export type Reply = Partial<Activity>;

export interface ChatOptions {
  storage?: Storage;
  now?: Date;
  /** Sent as the webchat/join event before anything else, as the embedding page does. */
  gemeente?: string;
  conversationId?: string;
  logger?: BotDeps['logger'];
  eraser?: BotDeps['eraser'];
}

export class Chat {
  readonly transcript: Reply[] = [];

  private constructor(
    readonly bot: WmoBot,
    readonly adapter: TestAdapter,
    readonly storage: Storage,
  ) {}

  static async start(options: ChatOptions = {}): Promise<Chat> {
    const { kb, router } = await knowledge();
    const storage = options.storage ?? new MemoryStorage();
    const now = options.now ?? TUESDAY_MORNING;
    const bot = new WmoBot({ storage, kb, router, logger: options.logger, eraser: options.eraser }, { now: () => now });
    const adapter = new TestAdapter(async (context) => bot.run(context));
    if (options.conversationId) adapter.conversation.conversation.id = options.conversationId;
    adapter.locale = 'nl-NL';
    const chat = new Chat(bot, adapter, storage);
    if (options.gemeente) await chat.event('webchat/join', { gemeente: options.gemeente });
    return chat;
  }

  /** One turn with any activity; resolves with the bot's replies to it. */
  async send(activity: Partial<Activity>): Promise<Reply[]> {
    await this.adapter.receiveActivity(activity);
    const replies: Reply[] = [];
    for (let next = this.adapter.activeQueue.shift(); next; next = this.adapter.activeQueue.shift()) replies.push(next);
    for (const reply of replies) checkContract(reply);
    this.transcript.push(...replies);
    return replies;
  }

  say(text: string): Promise<Reply[]> {
    return this.send({ type: 'message', text });
  }

  /** Several messages in a row; resolves with the replies to the last one. */
  async sayAll(...texts: string[]): Promise<Reply[]> {
    let replies: Reply[] = [];
    for (const text of texts) replies = await this.say(text);
    return replies;
  }

  event(name: string, value: unknown): Promise<Reply[]> {
    return this.send({ type: 'event', name, value });
  }

  join(): Promise<Reply[]> {
    return this.send({
      type: 'conversationUpdate',
      membersAdded: [{ id: 'bot', name: 'Bot' }, { id: 'user', name: 'User1' }],
      recipient: { id: 'bot', name: 'Bot' },
    });
  }
}

/** The reply contract from contracts.md, checked on every message the tests see. */
export function checkContract(reply: Reply): void {
  if (reply.type !== 'message') return;
  const topics = (reply.entities ?? []).filter((e) => e.type === 'wmoTopic');
  expect(topics, `one wmoTopic entity on "${reply.text?.slice(0, 60)}"`).to.have.length(1);
  const [entity] = topics as unknown as Array<{ topic: unknown; confidence: unknown }>;
  expect(isTopicId(entity.topic), `known topic id: ${String(entity.topic)}`).to.equal(true);
  expect(entity.confidence).to.be.a('number').within(0, 1);
  // House rule: one point per message, at most three short paragraphs.
  expect(paragraphs(reply.text), `at most three paragraphs: "${reply.text?.slice(0, 60)}"`).to.be.at.most(3);
}

/** What a resident reads of the replies: each message's text and its cards. */
export function texts(replies: Reply[]): string {
  return replies.map(readable).join('\n---\n');
}

/** A message's text and what its Adaptive Cards show: text blocks, and facts as "Telefoon: 035 …". */
export function readable(reply: Reply): string {
  return [reply.text ?? '', cardText(reply)].filter(Boolean).join('\n');
}

export function buttons(reply: Reply | undefined): string[] {
  return (reply?.suggestedActions?.actions ?? []).map((a) => a.title ?? String(a.value));
}

export function topicOf(reply: Reply): string | undefined {
  return (reply.entities?.find((e) => e.type === 'wmoTopic') as { topic?: string } | undefined)?.topic;
}

export function last(replies: Reply[]): Reply {
  expect(replies.length, 'the bot replied').to.be.greaterThan(0);
  return replies[replies.length - 1];
}

/** Paragraphs of a message: at most three per message is the house rule. */
/** Paragraphs a resident reads: citation link definitions ("[1]: url") are footnotes, not text. */
export function paragraphs(text: string | undefined): number {
  const isDefinitions = (p: string) => p.trim().split('\n').every((line) => /^\[\d+\]: /.test(line.trim()));
  return (text ?? '').split(/\n\s*\n/).filter((p) => p.trim() && !isDefinitions(p)).length;
}
