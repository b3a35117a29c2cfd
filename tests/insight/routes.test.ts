import { expect } from 'chai';
import type { Stats } from '../../bot/insight/stats.js';

type ApiError = { error: { code: string; message: string } };
import { InsightStore } from '../../bot/insight/events.js';
import { BEHEERDER, MEDEWERKER, startInsightServer, type InsightServer } from './console.js';
import { RECORDS } from './fixture.js';

describe('GET /loket/api/stats and stats.csv', () => {
  let app: InsightServer;
  const week = 'from=2026-11-01&to=2026-11-07';

  before(async () => {
    app = await startInsightServer();
    for (const record of RECORDS) await app.storage.write({ [InsightStore.key(record.conversationId)]: { ...record } });
  });
  after(() => app.close());

  it('answers the beheerder with the figures of the stored records', async () => {
    const res = await fetch(`${app.url}/loket/api/stats?${week}&gemeente=GM0406`, { headers: BEHEERDER });
    expect(res.status).to.equal(200);
    const stats = (await res.json()) as Stats;
    expect(stats).to.include({ conversations: 4, messages: 10, answeredWithoutStaff: 1 });
    expect(stats.handoffs.medianWaitSeconds).to.equal(120);
    expect(stats.feedback).to.deep.include({ up: 3, down: 1 });
  });

  it('serves the same figures as a CSV download', async () => {
    const res = await fetch(`${app.url}/loket/api/stats.csv?${week}&gemeente=GM0406`, { headers: BEHEERDER });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    expect(res.headers.get('content-disposition')).to.match(/attachment; filename="wmo-loket-cijfers-2026-11-01-2026-11-07-GM0406\.csv"/);
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).to.equal('onderdeel,naam,waarde');
    expect(lines).to.include('totaal,gesprekken,4');
  });

  it('includes the counters the bot has batched but not written yet', async () => {
    let batched: InsightStore | undefined;
    const server = await startInsightServer((_server, storage) => {
      batched = new InsightStore(storage, () => new Date('2026-11-06T12:00:00.000Z'), { flushEveryMs: 60_000 });
      return { flushCounters: () => batched!.flush() };
    });
    try {
      for (const record of RECORDS) await server.storage.write({ [InsightStore.key(record.conversationId)]: { ...record } });
      await batched!.message('nog-niet-geschreven', { topic: 'vervoer', confidence: 0.9, cited: [] }, 'GM0406');
      const res = await fetch(`${server.url}/loket/api/stats?${week}&gemeente=GM0406`, { headers: BEHEERDER });
      expect(((await res.json()) as Stats).conversations).to.equal(5);
    } finally {
      await batched!.close();
      await server.close();
    }
  });

  it('without a session: 401; a medewerker: 403; both in the console error shape', async () => {
    for (const path of ['stats', 'stats.csv']) {
      const none = await fetch(`${app.url}/loket/api/${path}?${week}`);
      expect(none.status).to.equal(401);
      expect(((await none.json()) as ApiError).error.code).to.equal('Unauthorized');
      const medewerker = await fetch(`${app.url}/loket/api/${path}?${week}`, { headers: MEDEWERKER });
      expect(medewerker.status).to.equal(403);
      expect(((await medewerker.json()) as ApiError).error).to.include({ code: 'Forbidden' });
    }
  });

  it('bad parameters: 400 with a message that says what to fix', async () => {
    for (const query of ['', 'from=2026-11-01', 'from=2026-02-30&to=2026-03-01', 'from=gisteren&to=vandaag', 'from=2026-11-07&to=2026-11-01',
      'from=2020-01-01&to=2026-11-01', `${week}&gemeente=GM9999`, `${week}&gemeente=<script>`, 'from[]=1&to=2026-11-01']) {
      const res = await fetch(`${app.url}/loket/api/stats?${query}`, { headers: BEHEERDER });
      expect(res.status, query).to.equal(400);
      const body = (await res.json()) as ApiError;
      expect(body.error.code).to.equal('BadArgument');
      expect(body.error.message).to.be.a('string').with.length.above(10);
    }
  });
});
