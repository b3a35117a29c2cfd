/**
 * The standard Bot Framework handoff events, for municipalities whose own contact centre takes
 * over (HANDOFF_TARGET=event): `handoff.initiate` goes out with the conversation reference, the
 * redacted transcript as an attachment named Transcript and the summary; the agent hub answers
 * with `handoff.status` (accepted, failed, completed). Written here rather than with the SDK's
 * EventFactory, which its successor (the Microsoft 365 Agents SDK) does not have; the shape is
 * the same as EventFactory.createHandoffInitiation's.
 */
import { randomUUID } from 'node:crypto';
import { TurnContext, type Activity } from 'botbuilder';
import type { TranscriptEntry } from './types.js';

export const HANDOFF_INITIATE = 'handoff.initiate';
export const HANDOFF_STATUS = 'handoff.status';
export type HandoffStatusState = 'accepted' | 'failed' | 'completed';

export interface HandoffContext {
  gemeente: string;
  topic?: string;
  summary: string;
}

/** The handoff.initiate event for this turn's conversation. */
export function handoffInitiation(context: TurnContext, handoffContext: HandoffContext, transcript: TranscriptEntry[]): Partial<Activity> {
  const incoming = context.activity;
  const activities = transcript.map((entry) => ({
    type: 'message',
    timestamp: entry.at,
    text: entry.text,
    from: entry.from === 'inwoner' ? { id: incoming.from.id, role: 'user' } : { id: incoming.recipient.id, role: 'bot', name: entry.name ?? entry.from },
  }));
  return {
    type: 'event',
    name: HANDOFF_INITIATE,
    id: randomUUID(),
    timestamp: new Date(),
    value: handoffContext,
    from: incoming.from,
    relatesTo: TurnContext.getConversationReference(incoming) as Activity['relatesTo'],
    replyToId: incoming.id,
    serviceUrl: incoming.serviceUrl,
    channelId: incoming.channelId,
    conversation: incoming.conversation,
    attachments: [{ contentType: 'application/json', name: 'Transcript', content: { activities } }],
    entities: [],
  };
}

/** A handoff.status event, as an agent hub sends it (for tests and for hubs written against this bot). */
export function handoffStatus(conversation: Activity['conversation'], state: HandoffStatusState, message?: string): Partial<Activity> {
  return { type: 'event', name: HANDOFF_STATUS, id: randomUUID(), timestamp: new Date(), conversation, value: { state, ...(message ? { message } : {}) } };
}
