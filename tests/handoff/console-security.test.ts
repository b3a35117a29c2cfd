/**
 * The console API as an attacker and as a colleague of another municipality see it: nothing
 * without a session, no change without the CSRF token, lockout, idle expiry, municipality
 * scoping, and the claim race.
 */
import { expect } from 'chai';
import type { DirectLineTestClient } from '../helpers/directline.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStaff, appOf, ConsoleClient, PASSWORD } from './console-client.js';
import { joinQueue, resident } from './resident.js';

const GETS = ['/loket/api/bestaat-niet', '/loket/api/session', '/loket/api/handoffs', '/loket/api/handoffs/abc', '/loket/api/callbacks', '/loket/api/meldingen', '/loket/api/staff', '/loket/api/stream'];
const POSTS = [
  '/loket/api/logout',
  '/loket/api/availability',
  '/loket/api/handoffs/abc/claim',
  '/loket/api/handoffs/abc/assign',
  '/loket/api/handoffs/abc/messages',
  '/loket/api/handoffs/abc/typing',
  '/loket/api/handoffs/abc/notes',
  '/loket/api/handoffs/abc/release',
  '/loket/api/handoffs/abc/close',
  '/loket/api/callbacks/TB-2026-AAAAAA/done',
];

describe('handoff: the console API is closed to strangers and scoped to municipalities', function () {
  this.timeout(60_000);
  let server: TestServer;
  const clients: DirectLineTestClient[] = [];

  before(async () => {
    server = await startTestServer();
    await addStaff(server, 'anna', 'medewerker', ['GM0406'], 'Anna');
    await addStaff(server, 'bram', 'medewerker', ['GM0406', 'GM0402'], 'Bram');
    await addStaff(server, 'henk', 'medewerker', ['GM0402'], 'Henk');
    await addStaff(server, 'beheer', 'beheerder', [], 'Beheerder');
    for (let i = 0; i < 6; i++) await addStaff(server, `racer${i}`, 'medewerker', ['GM0406'], `Racer ${i}`);
  });
  after(async () => {
    for (const c of clients) c.end();
    await server.close();
  });

  /** One session per employee for the whole suite (sign-ins are limited per address, as they should be). */
  const sessions = new Map<string, Promise<ConsoleClient>>();
  function as(username: string): Promise<ConsoleClient> {
    if (!sessions.has(username)) sessions.set(username, ConsoleClient.login(server.url, username));
    return sessions.get(username)!;
  }

  /** A resident waiting in the queue of Huizen; returns the handoff id. */
  async function waitingHandoff(): Promise<string> {
    const anna = await as('anna');
    await anna.ok('POST', '/loket/api/availability', { available: true });
    const before = ((await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: Array<{ id: string }> }).handoffs.map((h) => h.id);
    const client = await resident(server);
    clients.push(client);
    await joinQueue(client);
    const after = ((await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: Array<{ id: string }> }).handoffs;
    return after.find((h) => !before.includes(h.id))!.id;
  }

  it('no route of the API or the stream answers without a session (401, JSON error)', async () => {
    const stranger = new ConsoleClient(server.url);
    for (const path of GETS) {
      const response = await stranger.request('GET', path);
      expect(response.status, path).to.equal(401);
      expect((response.body.error as { code: string }).code, path).to.be.a('string');
    }
    for (const path of POSTS) {
      const response = await stranger.request('POST', path, {});
      expect(response.status, path).to.equal(401);
    }
    // A made-up cookie is no session either.
    stranger.cookie = 'loket_sessie=verzonnen';
    expect((await stranger.request('GET', '/loket/api/handoffs')).status).to.equal(401);
  });

  it('sign-in sets an HttpOnly, SameSite=Strict cookie and answers with the CSRF token; a wrong password is 401', async () => {
    const client = new ConsoleClient(server.url);
    const wrong = await client.request('POST', '/loket/api/login', { username: 'anna', password: 'fout-wachtwoord' });
    expect(wrong.status).to.equal(401);
    expect(wrong.body).to.deep.equal({ error: { code: 'InvalidCredentials', message: 'Gebruikersnaam of wachtwoord klopt niet.' } });
    const unknown = await client.request('POST', '/loket/api/login', { username: 'niemand', password: PASSWORD });
    expect(unknown.status).to.equal(401);
    const ok = await client.request('POST', '/loket/api/login', { username: 'anna', password: PASSWORD });
    expect(ok.status).to.equal(200);
    expect(ok.body.csrfToken).to.be.a('string').with.length.greaterThan(30);
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('loket_sessie=')) ?? '';
    expect(cookie).to.match(/HttpOnly/).and.match(/SameSite=Strict/).and.match(/Path=\/loket/);
    expect(JSON.stringify(ok.body)).to.not.contain('hash').and.not.contain('salt');
  });

  it('a state-changing call without the CSRF token is refused with 403', async () => {
    const anna = await as('anna');
    for (const path of POSTS) {
      const response = await anna.request('POST', path, {}, false);
      expect(response.status, path).to.equal(403);
      expect((response.body.error as { code: string }).code).to.equal('CsrfTokenMissing');
    }
    const forged = await anna.request('POST', '/loket/api/availability', { available: true }, false);
    expect(forged.status).to.equal(403);
    const forger = new ConsoleClient(server.url);
    forger.cookie = anna.cookie;
    forger.csrf = 'x'.repeat(43);
    expect((await forger.request('POST', '/loket/api/availability', { available: true })).status).to.equal(403);
  });

  it('five wrong passwords lock the account, also against the right password', async () => {
    await addStaff(server, 'doelwit', 'medewerker', ['GM0406']);
    const client = new ConsoleClient(server.url);
    for (let i = 0; i < 5; i++) {
      expect((await client.request('POST', '/loket/api/login', { username: 'doelwit', password: `fout-${i}-wachtwoord` })).status).to.be.oneOf([401, 403]);
    }
    const locked = await client.request('POST', '/loket/api/login', { username: 'doelwit', password: PASSWORD });
    expect(locked.status).to.equal(403);
    expect((locked.body.error as { code: string }).code).to.equal('AccountLocked');
  });

  it('exactly one of many parallel claims wins; the others are told who has it (409)', async () => {
    const id = await waitingHandoff();
    const racers = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => as(`racer${i}`)));
    const attempts = racers.flatMap((r) => [r, r, r]).map((r) => r.request('POST', `/loket/api/handoffs/${id}/claim`));
    const results = await Promise.all(attempts);
    const wins = results.filter((r) => r.status === 200);
    expect(wins).to.have.length(1);
    const winner = (wins[0].body.handoff as { assignee: { name: string } }).assignee.name;
    for (const lost of results.filter((r) => r.status !== 200)) {
      expect(lost.status).to.equal(409);
      expect(lost.body.error).to.include({ code: 'AlreadyClaimed', heldBy: winner });
      expect((lost.body.error as { message: string }).message).to.contain(winner);
    }
  });

  it('an employee of another municipality cannot see or touch a conversation (404), a colleague of both and a beheerder can', async () => {
    const id = await waitingHandoff();
    const henk = await as('henk');
    const list = (await henk.ok('GET', '/loket/api/handoffs')) as { handoffs: Array<{ id: string }> };
    expect(list.handoffs.map((h) => h.id)).to.not.include(id);
    expect((await henk.request('GET', `/loket/api/handoffs/${id}`)).status).to.equal(404);
    for (const action of ['claim', 'release', 'typing']) {
      expect((await henk.request('POST', `/loket/api/handoffs/${id}/${action}`)).status, action).to.equal(404);
    }
    expect((await henk.request('POST', `/loket/api/handoffs/${id}/messages`, { text: 'hallo' })).status).to.equal(404);
    expect((await henk.request('POST', `/loket/api/handoffs/${id}/close`, { outcome: 'geholpen' })).status).to.equal(404);

    const beheer = await as('beheer');
    expect(((await beheer.ok('GET', '/loket/api/handoffs')) as { handoffs: Array<{ id: string }> }).handoffs.map((h) => h.id)).to.include(id);
    // Assigning to someone outside the municipality is refused; to a colleague of both it works.
    const anna = await as('anna');
    expect((await anna.request('POST', `/loket/api/handoffs/${id}/assign`, { username: 'henk' })).status).to.equal(403);
    const assigned = await anna.request('POST', `/loket/api/handoffs/${id}/assign`, { username: 'bram' });
    expect(assigned.status).to.equal(200);
    expect((assigned.body.handoff as { assignee: { name: string } }).assignee.name).to.equal('Bram');
    // Anna does not have it now: she cannot write in it.
    expect((await anna.request('POST', `/loket/api/handoffs/${id}/messages`, { text: 'hallo' })).status).to.equal(409);
    const bram = await as('bram');
    expect((await bram.request('POST', `/loket/api/handoffs/${id}/close`, { outcome: 'geholpen' })).status).to.equal(200);
  });

  it('bad input gets a clear 4xx error, and the service keeps running', async () => {
    const anna = await as('anna');
    expect((await anna.request('POST', '/loket/api/availability', { available: 'ja' })).status).to.equal(400);
    expect((await anna.request('POST', '/loket/api/availability', [1, 2])).status).to.equal(400);
    const id = await waitingHandoff();
    await anna.ok('POST', `/loket/api/handoffs/${id}/claim`);
    expect((await anna.request('POST', `/loket/api/handoffs/${id}/messages`, { text: 42 })).status).to.equal(400);
    expect((await anna.request('POST', `/loket/api/handoffs/${id}/messages`, { text: 'x'.repeat(4001) })).status).to.equal(400);
    expect((await anna.request('POST', `/loket/api/handoffs/${id}/close`, { outcome: 'weg' })).status).to.equal(400);
    expect((await anna.request('GET', '/loket/api/handoffs/..%2F..%2Fetc')).status).to.equal(404);
    const unknown = await anna.request('GET', '/loket/api/bestaat/niet');
    expect(unknown.status).to.equal(404);
    expect((unknown.body.error as { code: string }).code).to.equal('NotFound');
    expect((await anna.request('POST', `/loket/api/handoffs/${id}/close`, { outcome: 'geholpen' })).status).to.equal(200);
    expect((await anna.request('POST', `/loket/api/handoffs/${id}/close`, { outcome: 'geholpen' })).status).to.equal(409);
  });

  it('logging out ends the session and the availability', async () => {
    const anna = await ConsoleClient.login(server.url, 'anna');
    await anna.ok('POST', '/loket/api/availability', { available: true });
    expect((await anna.request('POST', '/loket/api/logout')).status).to.equal(204);
    expect((await anna.request('GET', '/loket/api/handoffs')).status).to.equal(401);
    expect((await appOf(server).handoff.available('GM0406'))).to.equal(false);
  });

  it('a flood of sign-ins from one address is slowed down (429, JSON error) before it costs the CPU', async () => {
    const client = new ConsoleClient(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 40 && !statuses.includes(429); i++) {
      statuses.push((await client.request('POST', '/loket/api/login', { username: `gok${i}`, password: 'raden-raden-raden' })).status);
    }
    expect(statuses).to.include(429);
    const refused = await client.request('POST', '/loket/api/login', { username: 'anna', password: PASSWORD });
    expect(refused.status).to.equal(429);
    expect((refused.body.error as { code: string }).code).to.equal('TooManyRequests');
  });
});

describe('handoff: idle console sessions expire', function () {
  this.timeout(30_000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ staffIdleMinutes: 0.02 });
    await addStaff(server, 'anna', 'medewerker', ['GM0406'], 'Anna');
  });
  after(() => server.close());

  it('after the idle time the session answers 401 and the employee no longer counts as available', async () => {
    const anna = await ConsoleClient.login(server.url, 'anna');
    await anna.ok('POST', '/loket/api/availability', { available: true });
    expect(await appOf(server).handoff.available('GM0406')).to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const expired = await anna.request('GET', '/loket/api/handoffs');
    expect(expired.status).to.equal(401);
    expect((expired.body.error as { code: string }).code).to.equal('SessionExpired');
    expect(await appOf(server).handoff.available('GM0406')).to.equal(false);
  });
});
