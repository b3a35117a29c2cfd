/**
 * The handoff hooks on the Klantinteracties side: a closed handoff and a callback request as the
 * port's plain input. Failures to queue are logged, never thrown: the resident and the employee
 * are not held up by the municipality's API (the outbox retries what it has queued).
 */
import type { Callback, HandoffCase, TranscriptEntry } from '../handoff/types.js';
import type { LoggerView } from '../../dialogs/ports.js';
import type { ContactRegistry, TranscriptLine } from './types.js';

const FROM: Record<TranscriptEntry['from'], TranscriptLine['from'] | undefined> = {
  inwoner: 'resident',
  assistent: 'bot',
  medewerker: 'employee',
  systeem: undefined,
};

export function handoffRecorders(contacts: ContactRegistry, logger?: LoggerView) {
  const warn = (reference: string) => (error: unknown) =>
    logger?.error({ reference, err: (error as Error).message }, 'Klantinteracties: record not queued');
  return {
    onClosed: async (c: HandoffCase): Promise<void> => {
      if (!c.assignee || !c.outcome) return; // closed without an employee: nothing took place with a person
      await contacts
        .recordClosedHandoff({
          reference: c.id,
          gemeente: c.gemeente,
          topic: c.topic ?? 'medewerker',
          summary: c.summary,
          transcript: c.transcript.flatMap((t) => (FROM[t.from] ? [{ from: FROM[t.from]!, text: t.text, at: t.at }] : [])),
          employee: { id: c.assignee.username, name: c.assignee.name },
          outcome: c.outcome,
          citedArticles: [],
          startedAt: c.claimedAt,
          closedAt: c.endedAt ?? new Date().toISOString(),
        })
        .catch(warn(c.id));
    },
    onCallback: async (cb: Callback): Promise<void> => {
      await contacts
        .recordCallback({
          reference: cb.reference,
          gemeente: cb.gemeente,
          topic: cb.topic ?? 'medewerker',
          summary: cb.summary ?? '',
          preferredTime: cb.dagdeel,
          requestedAt: cb.createdAt,
          contact: { phone: cb.phone },
        })
        .catch(warn(cb.reference));
    },
  };
}
