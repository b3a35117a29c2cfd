import { expect } from 'chai';
import { computeStats, csvCell, statsCsv } from '../../bot/insight/stats.js';
import { RECORDS } from './fixture.js';

describe('insight figures from a known set of records (counted by hand)', () => {
  it('one municipality, one week: a, b, c and f count; d is another municipality, e is before the week', () => {
    const stats = computeStats(RECORDS, { from: '2026-11-01', to: '2026-11-07', gemeente: 'GM0406' });
    expect(stats.conversations).to.equal(4);
    expect(stats.messages).to.equal(10); // 3 + 2 + 4 + 1
    expect(stats.topics).to.deep.equal([
      { topic: 'huishoudelijke-hulp', messages: 4 },
      { topic: 'mantelzorg', messages: 3 },
      { topic: 'buiten-bereik', messages: 2 },
      { topic: 'wmo-melding', messages: 1 },
    ]);
    expect(stats.answeredMessages).to.equal(5); // 2 + 3
    expect(stats.answeredWithoutStaff).to.equal(1); // only a: b, c and f asked for a person
    expect(stats.answeredWithoutStaffShare).to.equal(0.25);
    // Waits 120 s (b), 300 s (c), 60 s (f): the median is 120.
    expect(stats.handoffs).to.deep.equal({ requested: 3, claimed: 3, rate: 0.75, medianWaitSeconds: 120, maxWaitSeconds: 300 });
    expect(stats.feedback).to.deep.equal({ up: 3, down: 1, score: 0.75 });
    expect(stats.unanswered).to.deep.equal({ laag: 2, geenVanDeze: 1, total: 3, rate: 0.3 });
    expect(stats.bands).to.deep.equal({ high: 6, middle: 2, low: 2 });
    expect(stats.perDay).to.deep.equal([
      { day: '2026-11-01', conversations: 0 },
      { day: '2026-11-02', conversations: 2 },
      { day: '2026-11-03', conversations: 0 },
      { day: '2026-11-04', conversations: 1 },
      { day: '2026-11-05', conversations: 1 },
      { day: '2026-11-06', conversations: 0 },
      { day: '2026-11-07', conversations: 0 },
    ]);
  });

  it('all municipalities: d joins, with a handoff nobody claimed (no wait to count)', () => {
    const stats = computeStats(RECORDS, { from: '2026-11-01', to: '2026-11-07' });
    expect(stats.conversations).to.equal(5);
    expect(stats.messages).to.equal(11);
    expect(stats.handoffs).to.deep.equal({ requested: 4, claimed: 3, rate: 0.8, medianWaitSeconds: 120, maxWaitSeconds: 300 });
    expect(stats.answeredWithoutStaff).to.equal(1);
    expect(stats.perDay[2]).to.deep.equal({ day: '2026-11-03', conversations: 1 });
  });

  it('an empty period says "no figure" (null) rather than dividing by zero', () => {
    const stats = computeStats(RECORDS, { from: '2026-12-01', to: '2026-12-01' });
    expect(stats).to.include({ conversations: 0, answeredWithoutStaffShare: null });
    expect(stats.handoffs.medianWaitSeconds).to.equal(null);
    expect(stats.feedback.score).to.equal(null);
  });

  it('CSV: a header row, the same figures, and cells that a spreadsheet cannot run as formulas', () => {
    const stats = computeStats(RECORDS, { from: '2026-11-01', to: '2026-11-07', gemeente: 'GM0406' });
    const lines = statsCsv(stats).trimEnd().split('\r\n');
    expect(lines[0]).to.equal('onderdeel,naam,waarde');
    expect(lines).to.include('totaal,gesprekken,4');
    expect(lines).to.include('overdracht,mediane wachttijd (seconden),120');
    expect(lines).to.include('onderwerp,huishoudelijke-hulp,4');
    expect(lines).to.include('dag,2026-11-02,2');
    for (const evil of ['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\tx']) {
      expect(csvCell(evil).replace(/^"/, '')).to.match(/^'/);
    }
    expect(csvCell('a "b", c')).to.equal('"a ""b"", c"');
  });
});
