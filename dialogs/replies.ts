/**
 * The reply contract: every message the bot sends in a turn carries exactly one
 * `{ type: 'wmoTopic', topic, confidence }` entity, and answers from the knowledge base cite
 * their sources the way Web Chat and Teams render citations (a schema.org Message entity with
 * Claim entries, and [1] markers in the text).
 *
 * The topic is recorded once per turn in turn state (setReplyTopic) and stamped on every
 * outgoing message by a single onSendActivities hook (stampReplies), so no sendActivity call
 * can forget it.
 */
import { TurnContext, type Activity, type Entity } from 'botbuilder';
import type { Source } from '../knowledge/types.js';
import type { TopicId } from '../knowledge/topics.js';

const TOPIC_KEY = Symbol('wmoReplyTopic');
const PREFACE_KEY = Symbol('wmoPrefaces');
const HELD_KEY = Symbol('wmoHeldReplies');
const SENDING_HELD_KEY = Symbol('wmoSendingHeld');
/** Web Chat and residents cope with at most this many messages in one turn. */
export const MAX_MESSAGES_PER_TURN = 4;

export interface ReplyTopic {
  topic: TopicId;
  confidence: number;
}

export interface WmoTopicEntity extends Entity {
  type: 'wmoTopic';
  topic: TopicId;
  confidence: number;
}

export function wmoTopicEntity(topic: TopicId, confidence: number): WmoTopicEntity {
  return { type: 'wmoTopic', topic, confidence: Math.max(0, Math.min(1, Math.round(confidence * 1000) / 1000)) };
}

/** Record what this turn's replies are about. Later calls in the same turn win. */
export function setReplyTopic(context: TurnContext, topic: TopicId, confidence: number): void {
  context.turnState.set(TOPIC_KEY, { topic, confidence } satisfies ReplyTopic);
}

export function getReplyTopic(context: TurnContext): ReplyTopic | undefined {
  return context.turnState.get(TOPIC_KEY) as ReplyTopic | undefined;
}

/**
 * Stamp every outgoing message of this turn with the wmoTopic entity (replacing any other
 * wmoTopic entity so there is always exactly one). `fallback` is used when nothing was recorded.
 */
export function stampReplies(context: TurnContext, fallback: ReplyTopic): void {
  context.onSendActivities(async (ctx, activities, next) => {
    if (ctx.turnState.get(SENDING_HELD_KEY)) return next(); // stamped when they were held
    activities.unshift(...takePrefaces(ctx));
    const { topic, confidence } = getReplyTopic(ctx) ?? fallback;
    for (const activity of activities) {
      if (activity.type !== 'message') continue;
      if (activity.text) activity.text = hardLineBreaks(activity.text);
      const others = (activity.entities ?? []).filter((entity) => entity.type !== 'wmoTopic');
      activity.entities = [...others, wmoTopicEntity(topic, confidence)];
    }
    const held = ctx.turnState.get(HELD_KEY) as Partial<Activity>[] | undefined;
    if (held) {
      // Held until the turn ends (sendHeldReplies), so its buttons can go on its last message.
      held.push(...activities);
      if (activities.some((a) => a.type !== 'trace')) ctx.responded = true; // prompts re-ask only when nothing was said
      return activities.map(() => ({ id: '' }));
    }
    return next();
  });
}

/**
 * Hold this turn's replies until sendHeldReplies: Web Chat shows suggested actions only on the
 * last activity of the conversation, so buttons put on an earlier message of a turn would never
 * be seen. Holding the turn lets one place move them to its last message.
 */
export function holdReplies(context: TurnContext): void {
  context.turnState.set(HELD_KEY, []);
}

/** Send what holdReplies kept, shaped for Web Chat: buttons on the last message, at most four messages. */
export async function sendHeldReplies(context: TurnContext): Promise<void> {
  const held = context.turnState.get(HELD_KEY) as Partial<Activity>[] | undefined;
  context.turnState.delete(HELD_KEY);
  if (!held?.length) return;
  context.turnState.set(SENDING_HELD_KEY, true);
  try {
    await context.sendActivities(shapeTurn(held));
  } finally {
    context.turnState.delete(SENDING_HELD_KEY);
  }
}

/**
 * One turn's messages as a resident should get them: the buttons of the turn (the last message's
 * own, else the latest earlier ones) on its last message, and at most MAX_MESSAGES_PER_TURN
 * messages, by joining neighbouring plain texts.
 */
export function shapeTurn(activities: Partial<Activity>[]): Partial<Activity>[] {
  const messages = activities.filter((a) => a.type === 'message');
  const last = messages[messages.length - 1];
  if (!last) return activities;
  if (!last.suggestedActions?.actions?.length) {
    const withButtons = [...messages].reverse().find((m) => m.suggestedActions?.actions?.length);
    if (withButtons) last.suggestedActions = withButtons.suggestedActions;
  }
  for (const message of messages) if (message !== last) delete message.suggestedActions;
  let out = activities;
  while (out.filter((a) => a.type === 'message').length > MAX_MESSAGES_PER_TURN) {
    const i = out.findIndex((a, k) => k + 1 < out.length && isPlainText(a) && isPlainText(out[k + 1]!)
      && paragraphs(a.text) + paragraphs(out[k + 1]!.text) <= 3); // one message, at most three short paragraphs
    if (i < 0) break;
    const [a, b] = [out[i]!, out[i + 1]!];
    out = [...out.slice(0, i), { ...b, text: `${a.text}\n\n${b.text}` }, ...out.slice(i + 2)];
  }
  return out;
}

function paragraphs(text: string | undefined): number {
  return (text ?? '').split(/\n\s*\n/).filter((p) => p.trim()).length;
}

/** A message that is only text (no cards, no citations), so it can be joined with its neighbour. */
function isPlainText(activity: Partial<Activity>): boolean {
  return activity.type === 'message' && !!activity.text && !activity.attachments?.length
    && !(activity.entities ?? []).some((e) => e.type !== 'wmoTopic');
}

/**
 * Content files write one item per line ("Telefoon: …\nAdres: …"); Markdown (Web Chat, Teams)
 * would join such lines into one, so a single newline becomes a hard line break.
 */
export function hardLineBreaks(text: string): string {
  return text.replace(/([^\n ])\n(?!\n)/g, '$1  \n');
}

/*
 * A preface is a short notice that goes before this turn's replies ("I removed your BSN", the
 * English line). It is not sent at once: a prompt re-asks its question only when nothing was
 * sent yet in the turn (botbuilder checks context.responded), so an early notice would swallow
 * the retry. It rides along with the turn's first outgoing batch, or flushPrefaces sends it.
 */
export function addPreface(context: TurnContext, text: string): void {
  const prefaces = (context.turnState.get(PREFACE_KEY) as string[] | undefined) ?? [];
  context.turnState.set(PREFACE_KEY, [...prefaces, text]);
}

function takePrefaces(context: TurnContext): Partial<Activity>[] {
  const prefaces = (context.turnState.get(PREFACE_KEY) as string[] | undefined) ?? [];
  context.turnState.set(PREFACE_KEY, []);
  const reference = TurnContext.getConversationReference(context.activity);
  return prefaces.map((text) => TurnContext.applyConversationReference({ type: 'message', text }, reference));
}

/** Send prefaces that no reply carried (a turn that otherwise said nothing). */
export async function flushPrefaces(context: TurnContext): Promise<void> {
  if (((context.turnState.get(PREFACE_KEY) as string[] | undefined) ?? []).length > 0) await context.sendActivities([]);
}

/* ---- Citations (schema.org Message with Claim / DigitalDocument, as Web Chat and Teams read them) ---- */

export interface Citation {
  name: string;
  url?: string;
  /** Short extract shown in the citation pop-up (Teams allows 160 characters). */
  abstract: string;
}

export interface CitationClaim {
  '@type': 'Claim';
  position: number;
  appearance: { '@type': 'DigitalDocument'; name: string; abstract: string; url?: string };
}

export interface MessageCitationEntity extends Entity {
  type: 'https://schema.org/Message';
  '@type': 'Message';
  '@context': 'https://schema.org';
  '@id': '';
  citation: CitationClaim[];
}

export function citationEntity(citations: Citation[]): MessageCitationEntity {
  return {
    type: 'https://schema.org/Message',
    '@type': 'Message',
    '@context': 'https://schema.org',
    '@id': '',
    citation: citations.map((c, i) => ({
      '@type': 'Claim',
      position: i + 1,
      appearance: {
        '@type': 'DigitalDocument',
        name: c.name.slice(0, 80),
        abstract: c.abstract.length > 160 ? `${c.abstract.slice(0, 157)}...` : c.abstract,
        ...(c.url ? { url: c.url } : {}),
      },
    })),
  };
}

/** Citations for a list of knowledge sources, deduplicated by url. */
export function citationsFromSources(sources: Source[], abstract: string): Citation[] {
  const seen = new Set<string>();
  const out: Citation[] = [];
  for (const source of sources) {
    if (seen.has(source.url)) continue;
    seen.add(source.url);
    out.push({ name: source.title, url: source.url, abstract });
  }
  return out;
}

/**
 * A message with [n] markers for its citations, the Markdown reference definitions that make them
 * links ("[1]: url \"title\""; a source without a url gets "cite:n"), and the matching entity.
 * Web Chat renders the definitions as footnotes; channels without citation support show links.
 */
export function citedMessage(text: string, citations: Citation[]): Partial<Activity> {
  if (citations.length === 0) return { type: 'message', text };
  const markers = citations.map((_, i) => `[${i + 1}]`).join(' '); // '[1][2]' would read as one link
  const definitions = citations.map((c, i) => `[${i + 1}]: ${c.url ?? `cite:${i + 1}`} "${c.name.replace(/"/g, "'")}"`).join('\n');
  return { type: 'message', text: `${text} ${markers}\n\n${definitions}`, entities: [citationEntity(citations)] };
}
