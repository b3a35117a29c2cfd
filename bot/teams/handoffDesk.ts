/**
 * The thin adapter from the handoff service (bot/handoff, issue 10) to the EscalationDesk the
 * Teams module uses. It is written against the service's shape as a structural type, so this
 * module builds before bot/handoff lands; with it, `new HandoffEscalationDesk(handoff)` must
 * type-check against the real HandoffService, or the names below need aligning.
 *
 * A Teams consultant acts as a staff account of the escalation's municipality with the
 * username `teams:<AAD object id>`: a claim in Teams shows in the console as claimed by that
 * name, and a console claim shows on the card.
 */
import { DeskError, type ClaimResult, type DeskEvent, type Escalation, type EscalationDesk, type EscalationState, type Outcome, type Person, type TranscriptLine } from './desk.js';

/** The parts of bot/handoff's types this adapter reads. */
export interface HandoffCaseLike {
  id: string;
  status: 'waiting' | 'active' | 'timedOut' | 'returned' | 'closed';
  target: 'console' | 'event';
  gemeente: string;
  topic?: string;
  summary: string;
  createdAt: string;
  safety: boolean;
  assignee?: { username: string; name: string };
  outcome?: Outcome;
  transcript: Array<{ at: string; from: 'inwoner' | 'assistent' | 'medewerker' | 'systeem'; name?: string; text: string }>;
}

export interface StaffAccountLike {
  username: string;
  name: string;
  rol: 'medewerker' | 'beheerder';
  gemeenten: string[];
}

export type HandoffEventLike =
  | { type: 'queue'; gemeente: string; handoffId: string }
  | { type: 'message'; gemeente: string; handoffId: string; entry: HandoffCaseLike['transcript'][number] & { safety?: boolean } }
  | { type: 'typing'; gemeente: string; handoffId: string; from: 'inwoner' | 'medewerker' }
  | { type: 'callbacks'; gemeente: string };

/** HandoffService's methods as the adapter calls them (method syntax: the real account type has more fields). */
export interface HandoffServiceLike {
  readonly events: { on(event: 'event', listener: (event: HandoffEventLike) => void): unknown; off(event: 'event', listener: (event: HandoffEventLike) => void): unknown };
  openCases(): Promise<HandoffCaseLike[]>;
  get(id: string, account: StaffAccountLike): Promise<HandoffCaseLike | undefined>;
  claim(id: string, account: StaffAccountLike): Promise<HandoffCaseLike>;
  assign(id: string, account: StaffAccountLike, to: StaffAccountLike): Promise<HandoffCaseLike>;
  release(id: string, account: StaffAccountLike): Promise<HandoffCaseLike>;
  close(id: string, account: StaffAccountLike, outcome: Outcome): Promise<HandoffCaseLike>;
  sendFromEmployee(id: string, account: StaffAccountLike, text: string): Promise<unknown>;
  typingFromEmployee(id: string, account: StaffAccountLike): Promise<void>;
}

const STATE: Record<HandoffCaseLike['status'], EscalationState> = {
  waiting: 'waiting',
  active: 'claimed',
  timedOut: 'released', // nobody came in time: the bot offers a callback
  returned: 'released',
  closed: 'closed',
};

/** Reads every municipality's cases; never acts (actions go as the consultant). */
const READER: StaffAccountLike = { username: 'teams', name: 'Teams', rol: 'beheerder', gemeenten: [] };

export class HandoffEscalationDesk implements EscalationDesk {
  constructor(private readonly handoff: HandoffServiceLike) {}

  async list(): Promise<Escalation[]> {
    return (await this.handoff.openCases()).filter((c) => c.target === 'console').map(toEscalation);
  }

  async get(id: string): Promise<Escalation | undefined> {
    const c = await this.case(id);
    return c && toEscalation(c);
  }

  async claim(id: string, who: Person): Promise<ClaimResult> {
    const c = await this.mustCase(id);
    try {
      return { ok: true, escalation: toEscalation(await this.handoff.claim(id, asStaff(who, c.gemeente))) };
    } catch (error) {
      const refused = error as { name?: string; code?: string; detail?: { username?: string; name?: string } };
      if (refused.name === 'Refused' && refused.code === 'AlreadyClaimed' && refused.detail?.username) {
        return { ok: false, takenBy: { id: refused.detail.username, name: refused.detail.name ?? 'een collega' }, escalation: toEscalation(await this.mustCase(id)) };
      }
      throw asDeskError(error);
    }
  }

  async assign(id: string, to: Person, by: Person): Promise<Escalation> {
    const c = await this.mustCase(id);
    return toEscalation(await this.act(() => this.handoff.assign(id, asStaff(by, c.gemeente), asStaff(to, c.gemeente))));
  }

  async release(id: string, who: Person): Promise<Escalation> {
    const c = await this.mustCase(id);
    return toEscalation(await this.act(() => this.handoff.release(id, asStaff(who, c.gemeente))));
  }

  async close(id: string, who: Person, outcome: Outcome): Promise<Escalation> {
    const c = await this.mustCase(id);
    return toEscalation(await this.act(() => this.handoff.close(id, asStaff(who, c.gemeente), outcome)));
  }

  async relay(id: string, who: Person, text: string): Promise<void> {
    const c = await this.mustCase(id);
    await this.act(() => this.handoff.sendFromEmployee(id, asStaff(who, c.gemeente), text));
  }

  async typing(id: string, who: Person): Promise<void> {
    const c = await this.mustCase(id);
    await this.act(() => this.handoff.typingFromEmployee(id, asStaff(who, c.gemeente)));
  }

  async transcript(id: string): Promise<TranscriptLine[]> {
    const c = await this.mustCase(id);
    return c.transcript.map((e) => ({ at: e.at, from: e.from === 'inwoner' ? 'resident' : e.from === 'medewerker' ? 'staff' : 'bot', ...(e.name ? { name: e.name } : {}), text: e.text }));
  }

  /** The service's queue events become `changed` (the Teams module posts the card for a new one); only the resident's messages and typing pass. */
  subscribe(listener: (event: DeskEvent) => void): () => void {
    const onEvent = (event: HandoffEventLike): void => {
      if (event.type === 'queue') {
        void this.case(event.handoffId).then((c) => {
          if (c && c.target === 'console') listener({ type: 'changed', escalation: toEscalation(c) });
        }, () => undefined);
      } else if (event.type === 'message' && event.entry.from === 'inwoner') {
        listener({ type: 'message', escalationId: event.handoffId, text: event.entry.text, at: event.entry.at, ...(event.entry.safety ? { safety: true } : {}) });
      } else if (event.type === 'typing' && event.from === 'inwoner') {
        listener({ type: 'typing', escalationId: event.handoffId });
      }
    };
    this.handoff.events.on('event', onEvent);
    return () => {
      this.handoff.events.off('event', onEvent);
    };
  }

  private async case(id: string): Promise<HandoffCaseLike | undefined> {
    return this.handoff.get(id, READER);
  }

  private async mustCase(id: string): Promise<HandoffCaseLike> {
    const c = await this.case(id);
    if (!c) throw new DeskError('not-found', 'Dit gesprek bestaat niet (meer).');
    return c;
  }

  private async act<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw asDeskError(error);
    }
  }
}

function toEscalation(c: HandoffCaseLike): Escalation {
  return {
    id: c.id,
    topic: c.topic ?? 'medewerker',
    gemeente: c.gemeente,
    createdAt: c.createdAt,
    safety: c.safety,
    summary: c.summary.split('\n').filter((line) => line.trim()),
    state: STATE[c.status],
    ...(c.assignee ? { claimedBy: { id: c.assignee.username, name: c.assignee.name } } : {}),
    ...(c.outcome ? { outcome: c.outcome } : {}),
  };
}

/** A Teams consultant as a staff account of this escalation's municipality. */
function asStaff(who: Person, gemeente: string): StaffAccountLike {
  return { username: who.id, name: who.name, rol: 'medewerker', gemeenten: [gemeente] };
}

/** The service's refusals (Refused: code and a Dutch message) as the desk's. */
function asDeskError(error: unknown): unknown {
  const refused = error as { name?: string; code?: string; message?: string };
  if (refused?.name !== 'Refused') return error;
  const code = refused.code === 'NotFound' ? 'not-found' : refused.code === 'NotOpen' || refused.code === 'NotWaiting' ? 'closed' : 'not-yours';
  return new DeskError(code, refused.message ?? 'Dat kan nu niet.');
}
