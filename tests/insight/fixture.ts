/**
 * A known set of stored insight records for the figures tests, counted by hand in stats.test.ts.
 * Five conversations in the first week of November 2026 and one just before it.
 */
import { emptyInsight, type ConversationInsight } from '../../bot/insight/events.js';

/** A conversation that started at 10:00 Dutch time on `day`. */
function record(id: string, gemeente: string, day: string, fields: Partial<ConversationInsight>): ConversationInsight {
  return { ...emptyInsight(id, new Date(`${day}T09:00:00.000Z`)), gemeente, ...fields };
}

export const RECORDS: ConversationInsight[] = [
  record('a', 'GM0406', '2026-11-02', {
    messages: 3, topics: { mantelzorg: 2, 'wmo-melding': 1 }, bands: { high: 2, middle: 1, low: 0 }, answered: 2, cited: { respijtzorg: 2 },
    feedback: { up: 1, down: 0 },
  }),
  record('b', 'GM0406', '2026-11-02', {
    messages: 2, topics: { 'huishoudelijke-hulp': 1, 'buiten-bereik': 1 }, bands: { high: 1, middle: 0, low: 1 },
    unanswered: { laag: 1, 'geen-van-deze': 0 }, feedback: { up: 0, down: 1 },
    handoff: { requestedAt: '2026-11-02T10:00:00.000Z', claimedAt: '2026-11-02T10:02:00.000Z', closedAt: '2026-11-02T10:20:00.000Z', outcome: 'geholpen' },
  }),
  record('c', 'GM0406', '2026-11-05', {
    messages: 4, topics: { mantelzorg: 1, 'huishoudelijke-hulp': 3 }, bands: { high: 3, middle: 1, low: 0 }, answered: 3,
    unanswered: { laag: 0, 'geen-van-deze': 1 }, feedback: { up: 2, down: 0 },
    handoff: { requestedAt: '2026-11-05T14:00:00.000Z', claimedAt: '2026-11-05T14:05:00.000Z' },
  }),
  record('d', 'GM0402', '2026-11-03', {
    messages: 1, topics: { vervoer: 1 }, bands: { high: 1, middle: 0, low: 0 }, answered: 1,
    handoff: { requestedAt: '2026-11-03T11:00:00.000Z' },
  }),
  record('e', 'GM0406', '2026-10-31', { messages: 5, topics: { mantelzorg: 5 }, bands: { high: 5, middle: 0, low: 0 }, answered: 5 }),
  record('f', 'GM0406', '2026-11-04', {
    messages: 1, topics: { 'buiten-bereik': 1 }, bands: { high: 0, middle: 0, low: 1 },
    unanswered: { laag: 1, 'geen-van-deze': 0 },
    handoff: { requestedAt: '2026-11-04T09:30:00.000Z', claimedAt: '2026-11-04T09:31:00.000Z' },
  }),
];
