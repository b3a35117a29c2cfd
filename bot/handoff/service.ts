/**
 * The handoff to loket staff: queue, claims, relay both ways, typing, hand back, close,
 * callbacks, timeouts. All state goes through the storage layer by compare-and-set (records.ts),
 * so it survives a restart and can later live on shared storage. In memory are only what may be
 * lost: the last messages of conversations not handed off yet (for the transcript), the push
 * listeners and the timeout sweeper.
 *
 * The resident is reached the same way on every channel: a proactive turn with the stored
 * conversation reference through a CloudAdapter (continueConversationAsync). For the embedded
 * Direct Line that adapter writes into the conversation; for any other channel it posts to the
 * channel's connector.
 */
import { EventEmitter } from 'node:events';
import { randomBytes, randomInt } from 'node:crypto';
import { TurnContext, type Activity, type CloudAdapter, type Storage } from 'botbuilder';
import { redact } from '../../knowledge/privacy/redact.js';
import type { TopicId } from '../../knowledge/topics.js';
import type { KnowledgeBase } from '../../knowledge/index.js';
import type { TopicRouter } from '../../knowledge/understanding/index.js';
import { fill, type Content } from '../../dialogs/content.js';
import type { CallbackRequest, HandoffPort, HandoffState, QueuePlace } from '../../dialogs/handoffPort.js';
import { normalizeAnswer, recognizeChoice } from '../../dialogs/choices.js';
import { setReplyTopic, stampReplies, type WmoTopicEntity } from '../../dialogs/replies.js';
import type { LoggerView } from '../../dialogs/ports.js';
import { DirectLineAdapter } from '../directline/adapter.js';
import { servesGemeente, type StaffAccount, type StaffStore } from '../staff/accounts.js';
import { handoffInitiation, HANDOFF_STATUS } from './events.js';
import { Records, Refused } from './records.js';
import { HISTORY_PREFIX, type Callback, type Employee, type HandoffCase, type HandoffEvent, type Outcome, type TranscriptEntry } from './types.js';

export { Refused };

const OPEN = 'handoff/open';
const CALLBACKS = 'handoff/callbacks';
const WAITS = 'handoff/waits';
const caseKey = (id: string) => `handoff/case/${id}`;
const conversationKey = (conversationId: string) => `handoff/conversation/${conversationId}`;
const callbackKey = (reference: string) => `handoff/callback/${reference}`;
const historyKey = (conversationId: string) => `${HISTORY_PREFIX}${conversationId}`;

/** Transcript entries kept per handoff, and messages remembered per conversation before one. */
const TRANSCRIPT_LIMIT = 500;
const HISTORY_LIMIT = 40;
const HISTORY_CONVERSATIONS = 10_000;
/** Conversations remembered as having no handoff (see `linkOf`), oldest forgotten first. */
const UNLINKED_CONVERSATIONS = 50_000;
/** How many recent waits the expected wait is computed from, and the guess before there are any. */
const RECENT_WAITS = 20;
const DEFAULT_WAIT_MS = 2 * 60_000;
const MAX_TEXT = 4000;
/** Unambiguous characters only (no 0/O, 1/I/L), so a reference can be read out on the phone. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/**
 * The open list: what a queue place needs of every waiting and active handoff, in one small
 * document, so joining or asking one's place reads one item instead of every open handoff.
 */
interface OpenEntry {
  id: string;
  gemeente: string;
  createdAt: string;
  target: HandoffCase['target'];
  waiting: boolean;
}

type Placer = (c: Pick<HandoffCase, 'id' | 'gemeente' | 'createdAt' | 'target'>, open: OpenEntry[]) => QueuePlace;

/** A message remembered before a handoff, with the buttons the bot offered and its topic (for the summary). */
type HistoryEntry = TranscriptEntry & { choices?: string[]; topic?: string };

export interface HandoffSettings {
  waitMinutes: number;
  target: 'console' | 'event';
  staffIdleMinutes: number;
  /**
   * Instances share the storage (STORAGE=blobs) and a conversation's turns may run on any of them:
   * the messages remembered for a later handoff's transcript are kept in the store too, and a
   * conversation found without a handoff is looked up again on every message (another instance may
   * hand it off meanwhile). With one process per store it is remembered so, and the lookup skipped.
   */
  sharedStorage?: boolean;
}

export interface HandoffDeps {
  storage: Storage;
  staff: StaffStore;
  kb: Pick<KnowledgeBase, 'municipality'>;
  router: Pick<TopicRouter, 'understand'>;
  content: Content;
  settings: HandoffSettings;
  logger?: LoggerView;
  now?: () => Date;
  /** Whether consultants elsewhere take this municipality's escalations (a Teams escalation channel). */
  staffedElsewhere?: (gemeente: string) => Promise<boolean>;
  /** Told of every closed handoff and every callback request (to record them in Klantinteracties). */
  onClosed?: (closed: HandoffCase) => Promise<void>;
  onCallback?: (callback: Callback) => Promise<void>;
}

/** How the resident is reached: set once the server has built its adapters. */
export interface Delivery {
  embedded: CloudAdapter;
  connector: CloudAdapter;
  appId: string;
}

/** What relayIfWithPerson did with the turn. */
export interface RelayResult {
  /** The turn is done: the bot must not answer. */
  handled: boolean;
  /** The conversation just came back from a person: forget the dialog stack before answering. */
  resetDialog: boolean;
}

/** A summary row for the console lists. */
export interface CaseSummary {
  id: string;
  status: HandoffCase['status'];
  gemeente: string;
  gemeenteNaam: string;
  topic?: string;
  summary: string;
  safety: boolean;
  createdAt: string;
  waitingSeconds: number;
  position?: number;
  assignee?: Employee;
}

export class HandoffService implements HandoffPort {
  readonly records: Records;
  readonly events = new EventEmitter();
  private delivery?: Delivery;
  private readonly history = new Map<string, HistoryEntry[]>();
  /** Conversations known to have no handoff link (single instance only), and how many links this process wrote. */
  private readonly unlinked?: Set<string>;
  private linksWritten = 0;
  private sweeper?: NodeJS.Timeout;
  private readonly background = new Set<Promise<unknown>>();
  private readonly now: () => Date;

  constructor(private readonly deps: HandoffDeps) {
    this.records = new Records(deps.storage);
    this.now = deps.now ?? (() => new Date());
    this.events.setMaxListeners(0);
    if (!deps.settings.sharedStorage) this.unlinked = new Set();
  }

  /** Create the index documents (a first write without eTag could race) and start the timeout sweeper. */
  async start(): Promise<void> {
    if (!(await this.records.get(OPEN))) await this.records.put(OPEN, { entries: [] });
    if (!(await this.records.get(CALLBACKS))) await this.records.put(CALLBACKS, { ids: [] });
    const waitMs = this.deps.settings.waitMinutes * 60_000;
    this.sweeper = setInterval(() => {
      this.sweep().catch((error: unknown) => this.deps.logger?.error({ err: (error as Error).message }, 'handoff timeout sweep failed'));
    }, Math.max(250, Math.min(10_000, waitMs / 4)));
    this.sweeper.unref();
  }

  /** Stop the sweeper and let the queue updates that are under way finish. */
  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  /**
   * Work the caller need not wait for: telling everyone behind their new place. With a thousand
   * waiting that is a thousand messages, and the employee who claimed should not wait for them.
   */
  private later(task: () => Promise<void>): void {
    const running = task().catch((error: unknown) => this.deps.logger?.error({ err: (error as Error).message }, 'handoff queue update failed'));
    this.background.add(running);
    void running.finally(() => this.background.delete(running));
  }

  attach(delivery: Delivery): void {
    this.delivery = delivery;
  }

  /* ---- the port the medewerker flow uses ---- */

  async available(gemeente: string): Promise<boolean> {
    if (this.deps.settings.target === 'event') return true;
    if ((await this.availableStaff(gemeente)).length > 0) return true;
    return (await this.deps.staffedElsewhere?.(gemeente)) ?? false;
  }

  async join(context: TurnContext, request: { gemeente: string; topic?: TopicId }): Promise<QueuePlace> {
    const conversationId = context.activity.conversation.id;
    const existing = await this.caseFor(conversationId);
    if (existing && (existing.status === 'waiting' || existing.status === 'active')) return this.placeOf(existing);
    const history = this.history.get(conversationId) ?? [];
    const c: HandoffCase = {
      id: randomBytes(12).toString('base64url'),
      status: 'waiting',
      target: this.deps.settings.target,
      gemeente: request.gemeente,
      topic: request.topic ?? topicFromHistory(history),
      summary: this.summarize(history, request.gemeente),
      createdAt: this.now().toISOString(),
      safety: history.some((e) => e.safety),
      reference: TurnContext.getConversationReference(context.activity),
      embedded: context.adapter instanceof DirectLineAdapter,
      transcript: history.map(({ choices: _choices, topic: _topic, ...entry }) => entry),
      notes: [],
      toldPosition: undefined,
    };
    await this.records.put(caseKey(c.id), c);
    await this.records.put(conversationKey(conversationId), { id: c.id });
    // Lookups that ran meanwhile may have found no link: none of them is remembered (see linkOf).
    this.linksWritten++;
    this.unlinked?.delete(conversationId);
    await this.records.update<{ entries: OpenEntry[] }>(OPEN, (doc) => ({
      entries: [...(doc?.entries ?? []).filter((e) => e.id !== c.id), { id: c.id, gemeente: c.gemeente, createdAt: c.createdAt, target: c.target, waiting: true }],
    }));
    if (c.target === 'event') {
      await context.sendActivity(handoffInitiation(context, { gemeente: c.gemeente, topic: c.topic, summary: c.summary }, c.transcript));
    }
    this.emit({ type: 'queue', gemeente: c.gemeente, handoffId: c.id });
    const place = await this.placeOf(c);
    await this.records.update<HandoffCase>(caseKey(c.id), (cur) => ({ ...cur!, toldPosition: place.position }));
    return place;
  }

  async state(conversationId: string): Promise<HandoffState | undefined> {
    const c = await this.caseFor(conversationId);
    if (!c) return undefined;
    if (c.status === 'waiting') return { status: 'waiting', ...(await this.placeOf(c)) };
    return { status: c.status, handoffId: c.id, employee: c.assignee?.name };
  }

  async leave(conversationId: string): Promise<void> {
    const c = await this.caseFor(conversationId);
    await this.records.remove(conversationKey(conversationId));
    if (!c || (c.status !== 'waiting' && c.status !== 'timedOut' && c.status !== 'active')) return;
    const left = await this.end(c.id, 'returned', 'inwoner');
    this.later(() => this.tellWaiting(left.gemeente));
  }

  async requestCallback(request: CallbackRequest): Promise<{ reference: string }> {
    const reference = await this.newCallbackReference();
    const c = request.conversationId ? await this.caseFor(request.conversationId) : undefined;
    const history = request.conversationId ? (this.history.get(request.conversationId) ?? []) : [];
    const callback: Callback = {
      reference,
      createdAt: this.now().toISOString(),
      gemeente: request.gemeente,
      phone: request.phone.trim().slice(0, 40),
      dagdeel: request.dagdeel,
      topic: request.topic ?? c?.topic ?? topicFromHistory(history),
      summary: c?.summary ?? this.summarize(history, request.gemeente),
      handoffId: c?.id,
      status: 'open',
    };
    await this.records.put(callbackKey(reference), callback);
    await this.records.addToIndex(CALLBACKS, reference);
    if (c) {
      await this.records.update<HandoffCase>(caseKey(c.id), (cur) => ({
        ...cur!,
        status: cur!.status === 'active' ? cur!.status : 'closed',
        outcome: cur!.outcome ?? 'terugbelverzoek',
        callbackReference: reference,
        endedAt: cur!.endedAt ?? this.now().toISOString(),
      }));
      await this.openRemove(c.id);
      await this.records.remove(conversationKey(request.conversationId!));
    }
    this.emit({ type: 'callbacks', gemeente: request.gemeente });
    await this.deps.onCallback?.(callback);
    return { reference };
  }

  /* ---- the turn handler: a conversation that is with a person ---- */

  /**
   * Call for every message before the dialogs. Remembers the last messages of every
   * conversation (redacted) for a later transcript. When the conversation is with a person,
   * the bot stays silent: the message goes to the employee (with a safety signal flagged, and
   * the numbers still given to the resident right away). While waiting in the queue the message
   * is added to the transcript and the dialog answers with the queue place.
   */
  async relayIfWithPerson(context: TurnContext): Promise<RelayResult> {
    const activity = context.activity;
    const conversationId = activity.conversation.id;
    const text = (activity.text ?? '').trim();
    const u = text ? this.deps.router.understand(text) : undefined;
    // A button the bot itself offered, pressed as is ("Mijn partner"), is an answer, not a danger signal.
    if (this.deps.settings.sharedStorage) await this.loadHistory(conversationId);
    const safety = !!u?.safety && !this.lastOffered(conversationId).some((c) => normalizeAnswer(c) === normalizeAnswer(text));
    this.remember(context, text, safety);

    const link = await this.linkOf(conversationId);
    if (!link) return { handled: false, resetDialog: false };
    const c = await this.records.get<HandoffCase>(caseKey(link.id));
    if (!c) {
      await this.records.remove(conversationKey(conversationId));
      return { handled: false, resetDialog: false };
    }
    if (c.status === 'returned' || c.status === 'closed') {
      // The employee handed back or closed: this message is for the bot again, with a fresh dialog.
      await this.records.remove(conversationKey(conversationId));
      return { handled: false, resetDialog: true };
    }
    if (c.status === 'timedOut' && !c.offerAnswered) {
      if (!this.answersCallbackOffer(text)) {
        // After the wait ran out the resident asks something else: never a dead end, the bot answers it.
        await this.leave(conversationId);
        return { handled: false, resetDialog: true };
      }
      // The flow takes it from here (part of the day, phone number).
      await this.records.update<HandoffCase>(caseKey(c.id), (cur) => ({ ...cur!, offerAnswered: true }));
    }
    if (!text) return { handled: c.status === 'active', resetDialog: false };
    const entry: TranscriptEntry = { at: this.now().toISOString(), from: 'inwoner', text: redact(text.slice(0, MAX_TEXT)).text, ...(safety ? { safety } : {}) };
    await this.append(c.id, entry, safety);
    if (c.status !== 'active') return { handled: false, resetDialog: false };

    setReplyTopic(context, 'medewerker', 1);
    if (this.isLeaveWord(text)) {
      await this.end(c.id, 'returned', 'inwoner');
      await this.records.remove(conversationKey(conversationId));
      await context.sendActivity(this.withMenu(this.deps.content.medewerker.texts.leftChat));
      return { handled: true, resetDialog: true };
    }
    if (safety && u?.safety) {
      // Safety still interrupts: the numbers now, whoever is typing on the other side.
      const s = this.deps.content.safety;
      setReplyTopic(context, 'veiligheid', 1);
      const kind = u.safety.matched ? u.safety.kind : 'general';
      await context.sendActivity(kind === 'dakloos' ? `${s.dakloos}\n\n${s.dakloosNoService}` : s[kind]);
    }
    return { handled: true, resetDialog: false };
  }

  /** A resident's typing indicator reaches the employee who has the conversation. */
  async relayTyping(context: TurnContext): Promise<void> {
    const link = await this.linkOf(context.activity.conversation.id);
    const c = link && (await this.records.get<HandoffCase>(caseKey(link.id)));
    if (c?.status === 'active') this.emit({ type: 'typing', gemeente: c.gemeente, handoffId: c.id, from: 'inwoner' });
  }

  /** handoff.status from an external agent hub (HANDOFF_TARGET=event): accepted, failed, completed. */
  async onHandoffStatus(context: TurnContext): Promise<boolean> {
    if (context.activity.type !== 'event' || context.activity.name !== HANDOFF_STATUS) return false;
    // On the embedded Direct Line the sender is the resident's own browser, never an agent hub.
    if (context.adapter instanceof DirectLineAdapter) return true;
    const state = (context.activity.value as { state?: unknown } | undefined)?.state;
    const link = await this.linkOf(context.activity.conversation.id);
    const c = link && (await this.records.get<HandoffCase>(caseKey(link.id)));
    if (!c || c.target !== 'event') return true;
    const texts = this.deps.content.medewerker.texts;
    setReplyTopic(context, 'medewerker', 1);
    if (state === 'accepted') {
      await this.records.update<HandoffCase>(caseKey(c.id), (cur) => ({ ...cur!, status: 'active', claimedAt: this.now().toISOString() }));
      await this.openTaken(c.id);
      await context.sendActivity(texts.hubAccepted);
    } else if (state === 'failed') {
      await this.records.update<HandoffCase>(caseKey(c.id), (cur) => ({ ...cur!, status: 'timedOut', endedBy: 'hub' }));
      await this.openRemove(c.id);
      await context.sendActivity(texts.hubFailed);
      await context.sendActivity(this.callbackOffer());
    } else if (state === 'completed') {
      await this.end(c.id, 'returned', 'hub');
      await context.sendActivity(this.withMenu(texts.hubCompleted));
    } else {
      this.deps.logger?.warn({ state: String(state).slice(0, 20) }, 'unknown handoff.status state');
    }
    return true;
  }

  /* ---- the console's side ---- */

  /** Waiting and active handoffs this employee may see, oldest first. */
  async list(account: StaffAccount): Promise<CaseSummary[]> {
    const open = await this.openEntries();
    const visible = open.filter((e) => e.target === 'console' && servesGemeente(account, e.gemeente));
    const cases = await this.records.getMany<HandoffCase>(visible.map((e) => caseKey(e.id)));
    const place = await this.placer();
    return cases.map((c) => this.summaryOf(c, open, place));
  }

  /** One handoff with transcript, summary and notes; undefined when absent or not this employee's municipality. */
  async get(id: string, account: StaffAccount): Promise<HandoffCase | undefined> {
    const c = await this.records.get<HandoffCase>(caseKey(id));
    return c && servesGemeente(account, c.gemeente) ? c : undefined;
  }

  async claim(id: string, account: StaffAccount): Promise<HandoffCase> {
    const me: Employee = { username: account.username, name: account.name };
    const claimed = await this.change(id, account, (c) => {
      if (c.status !== 'waiting') {
        throw new Refused('AlreadyClaimed', c.assignee ? `${c.assignee.name} heeft dit gesprek al.` : 'Dit gesprek wacht niet meer.', c.assignee);
      }
      return { ...c, status: 'active', assignee: me, claimedAt: this.now().toISOString() };
    });
    await this.openTaken(id);
    await this.recordWait(claimed);
    await this.system(claimed.id, `${account.name} neemt het gesprek over.`);
    await this.tellResident(claimed, fill(this.deps.content.medewerker.texts.claimed, { naam: account.name, gemeente: this.gemeenteNaam(claimed.gemeente) }));
    this.later(() => this.tellWaiting(claimed.gemeente));
    return claimed;
  }

  async assign(id: string, account: StaffAccount, to: StaffAccount): Promise<HandoffCase> {
    if (!servesGemeente(to, (await this.get(id, account))?.gemeente ?? '')) {
      throw new Refused('NotForThisGemeente', `${to.name} werkt niet voor deze gemeente.`);
    }
    const wasWaiting = (await this.get(id, account))?.status === 'waiting';
    const assigned = await this.change(id, account, (c) => {
      if (c.status !== 'waiting' && c.status !== 'active') throw new Refused('NotOpen', 'Dit gesprek is niet meer open.');
      if (c.status === 'active' && account.rol !== 'beheerder' && c.assignee?.username !== account.username) {
        throw new Refused('AlreadyClaimed', `${c.assignee?.name} heeft dit gesprek.`, c.assignee);
      }
      return { ...c, status: 'active', assignee: { username: to.username, name: to.name }, claimedAt: c.claimedAt ?? this.now().toISOString() };
    });
    if (wasWaiting) {
      await this.openTaken(id);
      await this.recordWait(assigned);
    }
    await this.system(id, `${account.name} heeft het gesprek toegewezen aan ${to.name}.`);
    await this.tellResident(assigned, fill(this.deps.content.medewerker.texts.assigned, { naam: to.name, gemeente: this.gemeenteNaam(assigned.gemeente) }));
    this.later(() => this.tellWaiting(assigned.gemeente));
    return assigned;
  }

  async sendFromEmployee(id: string, account: StaffAccount, text: string): Promise<TranscriptEntry> {
    const c = await this.mustHave(id, account);
    const entry: TranscriptEntry = { at: this.now().toISOString(), from: 'medewerker', name: account.name, text: redact(text).text };
    await this.append(c.id, entry, false);
    // textFormat plain: what the employee types reaches the resident as text, not as markup.
    await this.deliver(c, [{ type: 'message', text, textFormat: 'plain' }]);
    return entry;
  }

  async typingFromEmployee(id: string, account: StaffAccount): Promise<void> {
    const c = await this.mustHave(id, account);
    await this.deliver(c, [{ type: 'typing' }]);
  }

  async release(id: string, account: StaffAccount): Promise<HandoffCase> {
    await this.mustHave(id, account);
    const released = await this.end(id, 'returned', 'medewerker');
    await this.tellResident(released, this.withMenu(this.deps.content.medewerker.texts.returned));
    return released;
  }

  async close(id: string, account: StaffAccount, outcome: Outcome): Promise<HandoffCase> {
    const c = await this.get(id, account);
    if (!c) throw new Refused('NotFound', 'Dit gesprek bestaat niet of is niet van uw gemeente.');
    if (c.status === 'active' && c.assignee?.username !== account.username && account.rol !== 'beheerder') {
      throw new Refused('AlreadyClaimed', `${c.assignee?.name} heeft dit gesprek.`, c.assignee);
    }
    if (c.status !== 'active' && c.status !== 'waiting') throw new Refused('NotOpen', 'Dit gesprek is al afgesloten.');
    const closed = await this.end(id, 'closed', 'medewerker', outcome);
    await this.tellResident(closed, this.withMenu(this.deps.content.medewerker.texts.closed));
    this.later(() => this.tellWaiting(closed.gemeente));
    await this.deps.onClosed?.(closed);
    return closed;
  }

  async addNote(id: string, account: StaffAccount, text: string): Promise<HandoffCase> {
    return this.change(id, account, (c) => ({ ...c, notes: [...c.notes, { at: this.now().toISOString(), by: account.name, text: redact(text).text }] }));
  }

  async callbacks(account: StaffAccount): Promise<Callback[]> {
    const all = await this.records.getMany<Callback>((await this.records.index(CALLBACKS)).map(callbackKey));
    return all.filter((cb) => servesGemeente(account, cb.gemeente)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async callbackDone(reference: string, account: StaffAccount): Promise<Callback> {
    const cb = await this.records.get<Callback>(callbackKey(reference));
    if (!cb || !servesGemeente(account, cb.gemeente)) throw new Refused('NotFound', 'Dit terugbelverzoek bestaat niet of is niet van uw gemeente.');
    const done = await this.records.update<Callback>(callbackKey(reference), (cur) => ({ ...cur!, status: 'done', doneBy: account.name, doneAt: this.now().toISOString() }));
    this.emit({ type: 'callbacks', gemeente: done.gemeente });
    return done;
  }

  /** Employees marked available for this municipality, with a session alive. */
  async availableStaff(gemeente: string): Promise<StaffAccount[]> {
    return (await this.liveStaff()).filter((a) => servesGemeente(a, gemeente));
  }

  /** Employees marked available whose console was in use within the idle time. */
  private async liveStaff(): Promise<StaffAccount[]> {
    const idleMs = this.deps.settings.staffIdleMinutes * 60_000;
    const now = this.now().getTime();
    return (await this.deps.staff.list()).filter((a) => a.available && !!a.lastSeen && now - new Date(a.lastSeen).getTime() < idleMs);
  }

  /** Offer a callback to residents who waited longer than HANDOFF_WAIT_MINUTES. */
  async sweep(): Promise<void> {
    const limit = this.deps.settings.waitMinutes * 60_000;
    const now = this.now().getTime();
    for (const c of await this.openEntries()) {
      if (!c.waiting || c.target !== 'console' || now - new Date(c.createdAt).getTime() < limit) continue;
      let timedOut: HandoffCase;
      try {
        timedOut = await this.records.update<HandoffCase>(caseKey(c.id), (cur) => {
          if (cur?.status !== 'waiting') throw new Refused('NotWaiting', 'claimed meanwhile');
          return { ...cur, status: 'timedOut', endedBy: 'timeout' };
        });
      } catch (error) {
        if (error instanceof Refused) continue;
        throw error;
      }
      await this.openRemove(c.id);
      await this.system(c.id, 'Niemand nam het gesprek op tijd over: de inwoner krijgt een terugbelverzoek aangeboden.');
      const minutes = Math.round(this.deps.settings.waitMinutes);
      await this.deliver(timedOut, [{ type: 'message', text: fill(this.deps.content.medewerker.texts.timeout, { minuten: Math.max(1, minutes) }) }, this.callbackOffer()]);
      this.emit({ type: 'queue', gemeente: c.gemeente, handoffId: c.id });
      this.later(() => this.tellWaiting(c.gemeente));
    }
  }

  /** Waiting and active cases, in the order they joined. */
  async openCases(): Promise<HandoffCase[]> {
    return this.records.getMany<HandoffCase>((await this.openEntries()).map((e) => caseKey(e.id)));
  }

  private async openEntries(): Promise<OpenEntry[]> {
    return (await this.records.get<{ entries: OpenEntry[] }>(OPEN))?.entries ?? [];
  }

  private async openRemove(id: string): Promise<void> {
    await this.records.update<{ entries: OpenEntry[] }>(OPEN, (doc) => ({ entries: (doc?.entries ?? []).filter((e) => e.id !== id) }));
  }

  /** Taken by someone: no longer counts for the places of those behind. */
  private async openTaken(id: string): Promise<void> {
    await this.records.update<{ entries: OpenEntry[] }>(OPEN, (doc) => ({ entries: (doc?.entries ?? []).map((e) => (e.id === id ? { ...e, waiting: false } : e)) }));
  }

  /* ---- inside ---- */

  private emit(event: HandoffEvent): void {
    this.events.emit('event', event);
  }

  private async caseFor(conversationId: string): Promise<HandoffCase | undefined> {
    const link = await this.linkOf(conversationId);
    return link ? this.records.get<HandoffCase>(caseKey(link.id)) : undefined;
  }

  /**
   * The conversation's link to its handoff, read on every message. Almost every conversation has
   * none: with a single instance that answer is remembered, unless join wrote a link while the
   * read ran (the read may predate it).
   */
  private async linkOf(conversationId: string): Promise<{ id: string } | undefined> {
    if (this.unlinked?.has(conversationId)) return undefined;
    const written = this.linksWritten;
    const link = await this.records.get<{ id: string }>(conversationKey(conversationId));
    if (!link && this.unlinked && written === this.linksWritten) {
      if (this.unlinked.size >= UNLINKED_CONVERSATIONS) this.unlinked.delete(this.unlinked.values().next().value!);
      this.unlinked.add(conversationId);
    }
    return link;
  }

  private async change(id: string, account: StaffAccount, fn: (c: HandoffCase) => HandoffCase): Promise<HandoffCase> {
    const result = await this.records.update<HandoffCase>(caseKey(id), (c) => {
      if (!c || !servesGemeente(account, c.gemeente)) throw new Refused('NotFound', 'Dit gesprek bestaat niet of is niet van uw gemeente.');
      return fn(c);
    });
    this.emit({ type: 'queue', gemeente: result.gemeente, handoffId: id });
    return result;
  }

  /** The case, which this employee must have claimed (a beheerder may step in). */
  private async mustHave(id: string, account: StaffAccount): Promise<HandoffCase> {
    const c = await this.get(id, account);
    if (!c) throw new Refused('NotFound', 'Dit gesprek bestaat niet of is niet van uw gemeente.');
    if (c.status !== 'active') throw new Refused('NotActive', 'Neem het gesprek eerst over.');
    if (c.assignee?.username !== account.username && account.rol !== 'beheerder') {
      throw new Refused('AlreadyClaimed', `${c.assignee?.name} heeft dit gesprek.`, c.assignee);
    }
    return c;
  }

  private async end(id: string, status: 'returned' | 'closed', by: HandoffCase['endedBy'], outcome?: Outcome): Promise<HandoffCase> {
    const ended = await this.records.update<HandoffCase>(caseKey(id), (c) => ({ ...c!, status, endedBy: by, endedAt: this.now().toISOString(), ...(outcome ? { outcome } : {}) }));
    await this.openRemove(id);
    const what = by === 'inwoner' ? 'De inwoner heeft het gesprek verlaten.' : status === 'closed' ? `Afgesloten: ${outcome ?? 'zonder uitkomst'}.` : 'Teruggegeven aan de assistent.';
    await this.system(id, what);
    this.emit({ type: 'queue', gemeente: ended.gemeente, handoffId: id });
    return ended;
  }

  private async append(id: string, entry: TranscriptEntry, safety: boolean): Promise<void> {
    const c = await this.records.update<HandoffCase>(caseKey(id), (cur) => ({
      ...cur!,
      safety: cur!.safety || safety,
      transcript: [...cur!.transcript, entry].slice(-TRANSCRIPT_LIMIT),
    }));
    this.emit({ type: 'message', gemeente: c.gemeente, handoffId: id, entry });
  }

  private system(id: string, text: string): Promise<void> {
    return this.append(id, { at: this.now().toISOString(), from: 'systeem', text }, false);
  }

  private async tellResident(c: HandoffCase, message: string | Partial<Activity>): Promise<void> {
    const activity = typeof message === 'string' ? { type: 'message', text: message } : message;
    await this.append(c.id, { at: this.now().toISOString(), from: 'assistent', text: redact(shownText(activity)).text }, false);
    await this.deliver(c, [activity]);
  }

  /** Tell every waiting resident of this municipality their new place, when it moved up. */
  private async tellWaiting(gemeente: string): Promise<void> {
    const open = await this.openEntries();
    const placeOf = await this.placer();
    const waiting = open.filter((e) => e.waiting && e.gemeente === gemeente && e.target === 'console');
    for (const c of await this.records.getMany<HandoffCase>(waiting.map((e) => caseKey(e.id)))) {
      if (c.status !== 'waiting') continue;
      const place = placeOf(c, open);
      if (c.toldPosition !== undefined && place.position >= c.toldPosition) continue;
      await this.records.update<HandoffCase>(caseKey(c.id), (cur) => ({ ...cur!, toldPosition: place.position }));
      await this.deliver(c, [{ type: 'message', text: fill(this.deps.content.medewerker.texts.positionUpdate, { positie: place.position, minuten: place.expectedMinutes }) }]);
    }
  }

  /** Write to the resident through their own channel; a channel that is gone is logged, not fatal. */
  private async deliver(c: HandoffCase, activities: Array<Partial<Activity>>): Promise<void> {
    if (!this.delivery) throw new Error('HandoffService: attach() the adapters before delivering.');
    const adapter = c.embedded ? this.delivery.embedded : this.delivery.connector;
    try {
      await adapter.continueConversationAsync(this.delivery.appId, c.reference, async (context) => {
        stampReplies(context, { topic: 'medewerker', confidence: 1 });
        // Not a reply: the SDK would name the made-up id of the continuation activity, which the
        // connector takes as a reply and Web Chat holds back for seconds waiting for that activity.
        context.onSendActivities(async (_ctx, activities, next) => {
          for (const activity of activities) delete activity.replyToId;
          return next();
        });
        await context.sendActivities(activities);
      });
    } catch (error) {
      this.deps.logger?.warn({ err: (error as Error).message, handoff: c.id }, 'could not reach the resident');
    }
  }

  private async placeOf(c: HandoffCase): Promise<QueuePlace> {
    return (await this.placer())(c, await this.openEntries());
  }

  /**
   * Queue place and expected wait, with what they need read once (for a list of many waiting):
   * the median of the recent waits times the place, shared by the employees available for it.
   */
  private async placer(): Promise<Placer> {
    const staff = this.deps.settings.target === 'event' ? [] : await this.liveStaff();
    const waits = (await this.records.get<{ waits: number[] }>(WAITS))?.waits ?? [];
    const typical = waits.length ? median(waits) : DEFAULT_WAIT_MS;
    return (c, open) => {
      const ahead = open.filter((x) => x.waiting && x.gemeente === c.gemeente && x.target === c.target && x.createdAt <= c.createdAt && x.id !== c.id);
      const position = ahead.length + 1;
      const serving = c.target === 'event' ? 1 : Math.max(1, staff.filter((a) => servesGemeente(a, c.gemeente)).length);
      return { handoffId: c.id, position, expectedMinutes: Math.max(1, Math.ceil((typical * position) / serving / 60_000)) };
    };
  }

  private summaryOf(c: HandoffCase, open: OpenEntry[], place: Placer): CaseSummary {
    return {
      id: c.id,
      status: c.status,
      gemeente: c.gemeente,
      gemeenteNaam: this.gemeenteNaam(c.gemeente),
      topic: c.topic,
      summary: c.summary,
      safety: c.safety,
      createdAt: c.createdAt,
      waitingSeconds: Math.round((this.now().getTime() - new Date(c.createdAt).getTime()) / 1000),
      ...(c.status === 'waiting' ? { position: place(c, open).position } : {}),
      ...(c.assignee ? { assignee: c.assignee } : {}),
    };
  }

  private async recordWait(c: HandoffCase): Promise<void> {
    const waited = new Date(c.claimedAt ?? c.createdAt).getTime() - new Date(c.createdAt).getTime();
    await this.records.update<{ waits: number[] }>(WAITS, (cur) => ({ waits: [...(cur?.waits ?? []), waited].slice(-RECENT_WAITS) }));
  }

  private gemeenteNaam(code: string): string {
    return this.deps.kb.municipality(code)?.name ?? code;
  }

  private isLeaveWord(text: string): boolean {
    const answer = normalizeAnswer(text);
    const leave = this.deps.content.medewerker.leave;
    return [leave.label, ...leave.words].some((w) => normalizeAnswer(w) === answer);
  }

  private answersCallbackOffer(text: string): boolean {
    const choices = this.deps.content.medewerker.callback.choices.map((c) => ({ value: c.label, synonyms: c.synonyms }));
    return recognizeChoice(text, choices, this.deps.content.general.ordinals) !== undefined;
  }

  private withMenu(text: string): Partial<Activity> {
    const buttons = this.deps.content.general.menu.map((c) => ({ type: 'imBack', title: c.label, value: c.label }));
    return { type: 'message', text, suggestedActions: { actions: buttons, to: [] } };
  }

  private callbackOffer(): Partial<Activity> {
    const q = this.deps.content.medewerker.callback;
    return { type: 'message', text: q.text, suggestedActions: { actions: q.choices.map((c) => ({ type: 'imBack', title: c.label, value: c.label })), to: [] } };
  }

  private async newCallbackReference(): Promise<string> {
    const year = this.now().getFullYear();
    for (;;) {
      let code = '';
      for (let i = 0; i < 6; i++) code += ALPHABET[randomInt(ALPHABET.length)];
      const reference = `TB-${year}-${code}`;
      if (!(await this.records.get(callbackKey(reference)))) return reference;
    }
  }

  /** Remember the turn's messages (redacted), both ways, for the transcript of a later handoff. */
  private remember(context: TurnContext, text: string, safety: boolean): void {
    const id = context.activity.conversation.id;
    let entries = this.history.get(id);
    if (!entries) {
      if (this.history.size >= HISTORY_CONVERSATIONS) this.history.delete(this.history.keys().next().value!);
      entries = [];
      this.history.set(id, entries);
    }
    const list = entries;
    const push = (entry: HistoryEntry) => {
      list.push(entry);
      if (list.length > HISTORY_LIMIT) list.splice(0, list.length - HISTORY_LIMIT);
    };
    if (text) push({ at: this.now().toISOString(), from: 'inwoner', text: redact(text.slice(0, MAX_TEXT)).text, ...(safety ? { safety } : {}) });
    context.onSendActivities(async (_ctx, activities, next) => {
      const responses = await next();
      for (const a of activities) {
        const shown = shownText(a);
        if (a.type !== 'message' || !shown) continue;
        const topic = (a.entities ?? []).find((e): e is WmoTopicEntity => e.type === 'wmoTopic')?.topic;
        push({ at: this.now().toISOString(), from: 'assistent', text: redact(shown).text, choices: a.suggestedActions?.actions.map((x) => String(x.title ?? x.value)), topic });
      }
      // Shared: written with the bot's answer (the resident's message comes along); one write a send.
      // Not when the resident's data were deleted in this turn (the list is no longer remembered).
      if (this.deps.settings.sharedStorage && this.history.get(id) === list) await this.records.put(historyKey(id), { entries: list, at: this.now().toISOString() });
      return responses;
    });
  }

  /** "Verwijder mijn gegevens": the messages remembered for a later handoff go too (in memory and, when shared, in storage). */
  async forgetHistory(conversationId: string): Promise<void> {
    this.history.delete(conversationId);
    if (this.deps.settings.sharedStorage) await this.records.remove(historyKey(conversationId));
  }

  /** Shared storage: what every instance remembered of this conversation so far. */
  private async loadHistory(conversationId: string): Promise<void> {
    const stored = await this.records.get<{ entries: HistoryEntry[] }>(historyKey(conversationId));
    if (!stored) return void this.history.delete(conversationId);
    if (!this.history.has(conversationId) && this.history.size >= HISTORY_CONVERSATIONS) this.history.delete(this.history.keys().next().value!);
    this.history.set(conversationId, stored.entries);
  }

  private lastOffered(conversationId: string): string[] {
    const history = this.history.get(conversationId) ?? [];
    for (let i = history.length - 1; i >= 0; i--) if (history[i].from === 'assistent') return history[i].choices ?? [];
    return [];
  }

  /** What the resident chose in the flow: the topic and the buttons they picked, in order (not the handoff's own questions). */
  private summarize(history: HistoryEntry[], gemeente: string): string {
    const picked: string[] = [];
    let offered: string[] = [];
    for (const entry of history) {
      if (entry.from === 'assistent') offered = entry.topic === 'medewerker' ? [] : (entry.choices ?? []);
      else if (entry.from === 'inwoner' && offered.some((c) => normalizeAnswer(c) === normalizeAnswer(entry.text))) picked.push(entry.text);
    }
    const topic = topicFromHistory(history);
    const parts = [`Gemeente: ${this.gemeenteNaam(gemeente)}.`];
    if (topic) parts.push(`Onderwerp: ${topic}.`);
    if (picked.length) parts.push(`Keuzes: ${picked.join(' · ')}.`);
    if (history.some((e) => e.safety)) parts.push('Let op: veiligheidssignaal in het gesprek.');
    return parts.join(' ');
  }
}

/** What a message showed the resident: its text and the plain version of its cards (the contacts given). */
function shownText(activity: Partial<Activity>): string {
  const cards = (activity.attachments ?? []).map((a) => (a.content as { fallbackText?: unknown } | undefined)?.fallbackText).filter((t): t is string => typeof t === 'string');
  return [activity.text ?? '', ...cards].filter(Boolean).join('\n');
}

function topicFromHistory(history: HistoryEntry[]): string | undefined {
  const skip = new Set(['medewerker', 'groet', 'buiten-bereik', undefined]);
  return [...history].reverse().find((e) => !skip.has(e.topic))?.topic;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
