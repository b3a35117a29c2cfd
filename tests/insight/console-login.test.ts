/** The beheerder's figures behind the real console sign-in (not a stand-in): beheerder 200, medewerker 403, nobody 401. */
import { expect } from 'chai';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStaff, ConsoleClient } from '../handoff/console-client.js';

describe('insight behind the real console sign-in', function () {
  this.timeout(30_000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await addStaff(server, 'bea', 'beheerder', ['GM0406'], 'Bea');
    await addStaff(server, 'anna', 'medewerker', ['GM0406'], 'Anna');
  });
  after(() => server.close());

  const STATS = '/loket/api/stats?from=2026-11-01&to=2026-11-30';

  it('a beheerder gets the figures as JSON and CSV', async () => {
    const bea = await ConsoleClient.login(server.url, 'bea');
    const json = await bea.request('GET', STATS);
    expect(json.status).to.equal(200);
    expect(json.body).to.have.property('conversations');
    const csv = await fetch(`${server.url}${STATS.replace('stats?', 'stats.csv?')}`, { headers: { cookie: bea.cookie } });
    expect(csv.status).to.equal(200);
    expect(csv.headers.get('content-type')).to.match(/text\/csv/);
    expect((await csv.text()).split('\n')[0]).to.match(/^onderdeel,/);
  });

  it('a medewerker is refused (403), and without a session nobody gets anything (401)', async () => {
    const anna = await ConsoleClient.login(server.url, 'anna');
    expect((await anna.request('GET', STATS)).status).to.equal(403);
    expect((await fetch(`${server.url}${STATS}`)).status).to.equal(401);
  });
});
