import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { DeskError, HandoffEscalationDesk, type DeskEvent } from '../../bot/teams/index.js';
import type { HandoffCaseLike, HandoffEventLike, HandoffServiceLike, StaffAccountLike } from '../../bot/teams/handoffDesk.js';

class Refused extends Error {
  constructor(readonly code: string, message: string, readonly detail?: unknown) {
    super(message);
    this.name = 'Refused';
  }
}

/** The handoff service's behaviour as the adapter relies on it (claims, refusals, queue events). */
class FakeHandoff implements HandoffServiceLike {
  readonly events = new EventEmitter();
  readonly cases = new Map<string, HandoffCaseLike>();
  readonly sent: Array<{ id: string; by: string; text: string }> = [];

  add(c: Partial<HandoffCaseLike> & { id: string }): void {
    this.cases.set(c.id, { status: 'waiting', target: 'console', gemeente: 'GM0406', summary: 'Hulp bij: schoonmaken\nVoor: mijn moeder', createdAt: '2026-11-30T09:00:00.000Z', safety: false, transcript: [], ...c });
    this.emit({ type: 'queue', gemeente: 'GM0406', handoffId: c.id });
  }
  emit(event: HandoffEventLike): void {
    this.events.emit('event', event);
  }
  async openCases() {
    return [...this.cases.values()].filter((c) => c.status === 'waiting' || c.status === 'active');
  }
  async get(id: string, account: StaffAccountLike) {
    const c = this.cases.get(id);
    return c && (account.rol === 'beheerder' || account.gemeenten.includes(c.gemeente)) ? c : undefined;
  }
  async claim(id: string, account: StaffAccountLike) {
    const c = this.cases.get(id)!;
    if (c.status !== 'waiting') throw new Refused('AlreadyClaimed', `${c.assignee?.name} heeft dit gesprek al.`, c.assignee);
    return this.change(id, { status: 'active', assignee: { username: account.username, name: account.name } });
  }
  async assign(id: string, _account: StaffAccountLike, to: StaffAccountLike) {
    return this.change(id, { status: 'active', assignee: { username: to.username, name: to.name } });
  }
  async release(id: string, account: StaffAccountLike) {
    this.mine(id, account);
    return this.change(id, { status: 'returned' });
  }
  async close(id: string, account: StaffAccountLike, outcome: HandoffCaseLike['outcome']) {
    this.mine(id, account);
    return this.change(id, { status: 'closed', outcome });
  }
  async sendFromEmployee(id: string, account: StaffAccountLike, text: string) {
    this.mine(id, account);
    this.sent.push({ id, by: account.username, text });
    const entry = { at: '2026-11-30T09:05:00.000Z', from: 'medewerker' as const, name: account.name, text };
    this.cases.get(id)!.transcript.push(entry);
    this.emit({ type: 'message', gemeente: 'GM0406', handoffId: id, entry });
  }
  async typingFromEmployee(id: string, account: StaffAccountLike) {
    this.mine(id, account);
  }
  private mine(id: string, account: StaffAccountLike): void {
    const c = this.cases.get(id)!;
    if (c.status !== 'active') throw new Refused('NotActive', 'Neem het gesprek eerst over.');
    if (c.assignee?.username !== account.username) throw new Refused('AlreadyClaimed', `${c.assignee?.name} heeft dit gesprek.`, c.assignee);
  }
  private change(id: string, change: Partial<HandoffCaseLike>): HandoffCaseLike {
    const next = { ...this.cases.get(id)!, ...change };
    this.cases.set(id, next);
    this.emit({ type: 'queue', gemeente: next.gemeente, handoffId: id });
    return next;
  }
}

const ANNA = { id: 'teams:a0', name: 'Anna de Vries' };
const BRAM = { id: 'teams:b0', name: 'Bram Jansen' };

describe('HandoffEscalationDesk (the handoff service as the Teams desk)', () => {
  let handoff: FakeHandoff;
  let desk: HandoffEscalationDesk;
  let events: DeskEvent[];
  let stop: () => void;
  beforeEach(() => {
    handoff = new FakeHandoff();
    desk = new HandoffEscalationDesk(handoff);
    events = [];
    stop = desk.subscribe((e) => events.push(e));
  });
  afterEach(() => stop());
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('shows a new case as a waiting escalation with its summary lines, via a changed event', async () => {
    handoff.add({ id: 'h1', topic: 'huishoudelijke-hulp', safety: true });
    await settle();
    expect(events).to.deep.equal([
      { type: 'changed', escalation: { id: 'h1', topic: 'huishoudelijke-hulp', gemeente: 'GM0406', createdAt: '2026-11-30T09:00:00.000Z', safety: true, summary: ['Hulp bij: schoonmaken', 'Voor: mijn moeder'], state: 'waiting' } },
    ]);
    expect((await desk.list()).map((e) => e.id)).to.deep.equal(['h1']);
  });

  it('leaves out cases that went to an external agent hub', async () => {
    handoff.add({ id: 'h2', target: 'event' });
    await settle();
    expect(events).to.deep.equal([]);
    expect(await desk.list()).to.deep.equal([]);
  });

  it('a second claim learns who has it; actions by someone else are refused as not theirs', async () => {
    handoff.add({ id: 'h1' });
    expect((await desk.claim('h1', ANNA)).ok).to.equal(true);
    const second = await desk.claim('h1', BRAM);
    expect(second).to.deep.include({ ok: false, takenBy: { id: ANNA.id, name: ANNA.name } });
    const refusal = await desk.release('h1', BRAM).then(() => undefined, (error: unknown) => error);
    expect(refusal).to.be.instanceOf(DeskError);
    expect((refusal as DeskError).code).to.equal('not-yours');
    expect((await desk.get('h1'))?.claimedBy).to.deep.equal(ANNA);
  });

  it('relays as the consultant, passes on only the resident\'s messages and typing, and maps the transcript', async () => {
    handoff.add({ id: 'h1' });
    await desk.claim('h1', ANNA);
    await settle();
    events.length = 0;
    await desk.relay('h1', ANNA, 'Ik help u.');
    expect(handoff.sent).to.deep.equal([{ id: 'h1', by: ANNA.id, text: 'Ik help u.' }]);
    handoff.emit({ type: 'message', gemeente: 'GM0406', handoffId: 'h1', entry: { at: '2026-11-30T09:06:00.000Z', from: 'inwoner', text: 'Dank u' } });
    handoff.emit({ type: 'message', gemeente: 'GM0406', handoffId: 'h1', entry: { at: '2026-11-30T09:07:00.000Z', from: 'inwoner', text: 'Ik kan niet meer', safety: true } });
    handoff.emit({ type: 'typing', gemeente: 'GM0406', handoffId: 'h1', from: 'inwoner' });
    handoff.emit({ type: 'typing', gemeente: 'GM0406', handoffId: 'h1', from: 'medewerker' });
    await settle();
    expect(events).to.deep.equal([
      { type: 'message', escalationId: 'h1', text: 'Dank u', at: '2026-11-30T09:06:00.000Z' },
      { type: 'message', escalationId: 'h1', text: 'Ik kan niet meer', at: '2026-11-30T09:07:00.000Z', safety: true },
      { type: 'typing', escalationId: 'h1' },
    ]);
    expect(await desk.transcript('h1')).to.deep.equal([{ at: '2026-11-30T09:05:00.000Z', from: 'staff', name: ANNA.name, text: 'Ik help u.' }]);
  });

  it('hand back and close map to released and closed with the outcome', async () => {
    handoff.add({ id: 'h1' });
    handoff.add({ id: 'h2' });
    await desk.claim('h1', ANNA);
    await desk.claim('h2', ANNA);
    expect((await desk.release('h1', ANNA)).state).to.equal('released');
    expect(await desk.close('h2', ANNA, 'doorverwezen')).to.deep.include({ state: 'closed', outcome: 'doorverwezen' });
  });
});
