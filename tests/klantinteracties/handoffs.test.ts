/** The handoff hooks hand a closed handoff and a callback to the Klantinteracties port as plain records. */
import { expect } from 'chai';
import { handoffRecorders } from '../../bot/klantinteracties/handoffs.js';
import type { CallbackRequest, ClosedHandoff, ContactRegistry } from '../../bot/klantinteracties/types.js';
import type { Callback, HandoffCase } from '../../bot/handoff/types.js';

function recorder() {
  const closed: ClosedHandoff[] = [];
  const callbacks: CallbackRequest[] = [];
  const registry = {
    recordClosedHandoff: async (h: ClosedHandoff) => (closed.push(h), 'queued' as const),
    recordCallback: async (c: CallbackRequest) => (callbacks.push(c), 'queued' as const),
  } as unknown as ContactRegistry;
  return { closed, callbacks, hooks: handoffRecorders(registry) };
}

const CASE: HandoffCase = {
  id: 'HO-1',
  status: 'closed',
  target: 'console',
  gemeente: 'GM0406',
  topic: 'huishoudelijke-hulp',
  summary: 'Hulp bij schoonmaken gevraagd.',
  createdAt: '2026-11-24T09:00:00.000Z',
  claimedAt: '2026-11-24T09:02:00.000Z',
  endedAt: '2026-11-24T09:10:00.000Z',
  endedBy: 'medewerker',
  assignee: { username: 'anna', name: 'Anna' },
  outcome: 'geholpen',
  safety: false,
  reference: {},
  embedded: true,
  transcript: [
    { at: '2026-11-24T09:00:00.000Z', from: 'inwoner', text: 'Ik kan niet meer schoonmaken' },
    { at: '2026-11-24T09:01:00.000Z', from: 'systeem', text: 'In de wachtrij.' },
    { at: '2026-11-24T09:03:00.000Z', from: 'medewerker', name: 'Anna', text: 'Ik help u.' },
  ],
  notes: [],
};

describe('klantinteracties: the handoff hooks', () => {
  it('a closed handoff becomes a ClosedHandoff with the employee, outcome and transcript (system lines left out)', async () => {
    const { closed, hooks } = recorder();
    await hooks.onClosed(CASE);
    expect(closed).to.have.length(1);
    expect(closed[0]).to.include({ reference: 'HO-1', gemeente: 'GM0406', topic: 'huishoudelijke-hulp', outcome: 'geholpen', closedAt: CASE.endedAt, startedAt: CASE.claimedAt });
    expect(closed[0]!.employee).to.deep.equal({ id: 'anna', name: 'Anna' });
    expect(closed[0]!.transcript.map((t) => t.from)).to.deep.equal(['resident', 'employee']);
  });

  it('a handoff that ended without an employee (the resident left the queue) is no contact with a person', async () => {
    const { closed, hooks } = recorder();
    await hooks.onClosed({ ...CASE, assignee: undefined, outcome: undefined, status: 'returned' });
    expect(closed).to.have.length(0);
  });

  it('a callback request carries its reference, the part of the day and the phone number', async () => {
    const { callbacks, hooks } = recorder();
    const callback: Callback = { reference: 'TB-2026-ABCDEF', createdAt: '2026-11-24T09:00:00.000Z', gemeente: 'GM0406', phone: '06 12345678', dagdeel: 'ochtend', status: 'open' };
    await hooks.onCallback(callback);
    expect(callbacks).to.deep.equal([
      { reference: 'TB-2026-ABCDEF', gemeente: 'GM0406', topic: 'medewerker', summary: '', preferredTime: 'ochtend', requestedAt: callback.createdAt, contact: { phone: '06 12345678' } },
    ]);
  });
});
