/**
 * A test double of the handoff service's desk, until bot/handoff lands: the same contract
 * (bot/teams/desk.ts), kept in the storage layer with eTag compare-and-set like the real one (no
 * in-memory state), and wired to the resident's real Direct Line conversation: middleware on
 * the Direct Line adapter takes the resident's "medewerker" and, while with a person, their
 * messages; the consultant's replies go back by a proactive message on that conversation.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { TurnContext, type ConversationReference, type StoreItem } from 'botbuilder';
import { ETagConflictError, type LowdbStorage } from '../../bot/storage/index.js';
import type { DirectLineChannel } from '../../bot/directline/channel.js';
import {
  DeskError,
  type ClaimResult,
  type DeskEvent,
  type Escalation,
  type EscalationDesk,
  type Outcome,
  type Person,
  type TranscriptLine,
} from '../../bot/teams/index.js';
import { redact } from '../../knowledge/privacy/redact.js';

interface Stored extends Escalation {
  resident: Partial<ConversationReference>;
}

const ESC = 'desk/escalation/';
const BY_CONVERSATION = 'desk/conversation/';
const TRANSCRIPT = 'desk/transcript/';

export class StorageDeskDouble implements EscalationDesk {
  private readonly events = new EventEmitter();

  /** false: announce a new escalation only as `changed`, as the handoff service's queue event does. */
  announceCreated = true;

  constructor(private readonly storage: LowdbStorage) {}

  /** Connect the resident's side: "medewerker" opens an escalation; while open, their messages go to the desk. */
  attachResidentChannel(channel: DirectLineChannel, escalation: Pick<Escalation, 'topic' | 'gemeente' | 'summary' | 'safety'>): void {
    this.channel = channel;
    channel.adapter.use(async (context, next) => {
      const activity = context.activity;
      const open = await this.openFor(activity.conversation.id);
      if (activity.type === 'message' && !open && activity.text?.trim().toLowerCase() === 'medewerker') {
        await this.create({ ...escalation, resident: TurnContext.getConversationReference(activity) });
        await context.sendActivity('Ik zoek een medewerker voor u. Een moment.');
        return;
      }
      if (open && activity.type === 'message' && activity.text) {
        // Stand-in for the router's safety signal, which the handoff service takes from the real understanding.
        const safety = /niet meer leven/iu.test(activity.text);
        if (safety && !open.safety) await this.write(await this.mustRead(open.id), { safety: true }, false);
        await this.append(open.id, { at: new Date().toISOString(), from: 'resident', text: redact(activity.text).text });
        this.emit({ type: 'message', escalationId: open.id, text: redact(activity.text).text, at: new Date().toISOString(), ...(safety ? { safety } : {}) });
        return;
      }
      if (open && activity.type === 'typing') {
        this.emit({ type: 'typing', escalationId: open.id });
        return;
      }
      await next();
    });
  }

  private channel?: DirectLineChannel;

  async create(input: Pick<Stored, 'topic' | 'gemeente' | 'summary' | 'safety' | 'resident'>): Promise<Escalation> {
    const escalation: Stored = { id: randomUUID(), createdAt: new Date().toISOString(), state: 'waiting', ...input };
    await this.storage.write({
      [ESC + escalation.id]: { ...escalation },
      [BY_CONVERSATION + input.resident.conversation!.id]: { escalationId: escalation.id },
      [TRANSCRIPT + escalation.id]: { lines: [] },
    });
    this.emit({ type: this.announceCreated ? 'created' : 'changed', escalation: this.public(escalation) });
    return this.public(escalation);
  }

  async list(): Promise<Escalation[]> {
    const items = await this.storage.list(ESC);
    return items.map((i) => this.public(i.value as Stored)).filter((e) => e.state === 'waiting' || e.state === 'claimed');
  }

  async get(id: string): Promise<Escalation | undefined> {
    const item = await this.read(id);
    return item && this.public(item.value);
  }

  async claim(id: string, who: Person): Promise<ClaimResult> {
    const item = await this.mustRead(id);
    if (item.value.state !== 'waiting') {
      if (item.value.claimedBy) return { ok: false, takenBy: item.value.claimedBy, escalation: this.public(item.value) };
      throw new DeskError('closed', 'Dit gesprek is niet meer open.');
    }
    try {
      const changed = await this.write(item, { state: 'claimed', claimedBy: who });
      return { ok: true, escalation: changed };
    } catch (error) {
      if (!(error instanceof ETagConflictError)) throw error;
      const now = await this.mustRead(id);
      return { ok: false, takenBy: now.value.claimedBy!, escalation: this.public(now.value) };
    }
  }

  async assign(id: string, to: Person, _by: Person): Promise<Escalation> {
    const item = await this.mustRead(id);
    if (item.value.state === 'closed' || item.value.state === 'released') throw new DeskError('closed', 'Dit gesprek is niet meer open.');
    return this.write(item, { state: 'claimed', claimedBy: to });
  }

  async release(id: string, who: Person): Promise<Escalation> {
    const item = await this.mine(id, who);
    return this.write(item, { state: 'released' });
  }

  async close(id: string, who: Person, outcome: Outcome): Promise<Escalation> {
    const item = await this.mine(id, who);
    return this.write(item, { state: 'closed', outcome });
  }

  async relay(id: string, who: Person, text: string): Promise<void> {
    const item = await this.mine(id, who);
    await this.append(id, { at: new Date().toISOString(), from: 'staff', name: who.name, text: redact(text).text });
    await this.channel!.adapter.continueConversationAsync('', item.value.resident as ConversationReference, async (context) => {
      await context.sendActivity({ type: 'message', text, from: { id: 'medewerker', name: who.name } });
    });
  }

  async typing(id: string, who: Person): Promise<void> {
    const item = await this.mine(id, who);
    await this.channel!.adapter.continueConversationAsync('', item.value.resident as ConversationReference, async (context) => {
      await context.sendActivity({ type: 'typing' });
    });
  }

  async transcript(id: string): Promise<TranscriptLine[]> {
    const item = (await this.storage.read([TRANSCRIPT + id]))[TRANSCRIPT + id];
    return (item?.lines as TranscriptLine[] | undefined) ?? [];
  }

  subscribe(listener: (event: DeskEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  private emit(event: DeskEvent): void {
    this.events.emit('event', event);
  }

  private async openFor(conversationId: string): Promise<Escalation | undefined> {
    const link = (await this.storage.read([BY_CONVERSATION + conversationId]))[BY_CONVERSATION + conversationId];
    const escalation = link ? await this.get(String(link.escalationId)) : undefined;
    return escalation && (escalation.state === 'waiting' || escalation.state === 'claimed') ? escalation : undefined;
  }

  private async read(id: string): Promise<{ value: Stored; eTag: string } | undefined> {
    const item = (await this.storage.read([ESC + id]))[ESC + id] as (StoreItem & Stored) | undefined;
    return item && { value: item, eTag: item.eTag! };
  }

  private async mustRead(id: string): Promise<{ value: Stored; eTag: string }> {
    const item = await this.read(id);
    if (!item) throw new DeskError('not-found', 'Dit gesprek bestaat niet (meer).');
    return item;
  }

  private async mine(id: string, who: Person): Promise<{ value: Stored; eTag: string }> {
    const item = await this.mustRead(id);
    if (item.value.state !== 'claimed' || item.value.claimedBy?.id !== who.id) throw new DeskError('not-yours', 'Dit gesprek heeft u niet (meer).');
    return item;
  }

  /** Compare-and-set on the eTag read; a concurrent change makes this throw ETagConflictError. */
  private async write(item: { value: Stored; eTag: string }, change: Partial<Stored>, announce = true): Promise<Escalation> {
    const next: Stored = { ...item.value, ...change };
    await this.storage.write({ [ESC + next.id]: { ...next, eTag: item.eTag } });
    if (announce) this.emit({ type: 'changed', escalation: this.public(next) });
    return this.public(next);
  }

  private async append(id: string, line: TranscriptLine): Promise<void> {
    for (;;) {
      const item = (await this.storage.read([TRANSCRIPT + id]))[TRANSCRIPT + id];
      const lines = [...((item?.lines as TranscriptLine[] | undefined) ?? []), line];
      try {
        await this.storage.write({ [TRANSCRIPT + id]: { lines, eTag: item?.eTag ?? '*' } });
        return;
      } catch (error) {
        if (!(error instanceof ETagConflictError)) throw error;
      }
    }
  }

  private public(stored: Stored): Escalation {
    const copy: Partial<Stored> & StoreItem = { ...stored };
    delete copy.resident;
    delete copy.eTag;
    return copy as Escalation;
  }
}
