/**
 * One client must not take the process down or lock other residents out: message rates, open
 * conversations per address, memory as the cap, trusted proxies, Origin, streams and refreshes.
 * Every attack is driven at loopback addresses (127.0.0.0/8 is all this machine), bounded in
 * count and time.
 */
import { expect } from 'chai';
import { WebSocket } from 'ws';
import { fetchToken } from '../helpers/directline.js';
import { errorOf, rawRequest } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const json = { 'Content-Type': 'application/json' };

function newToken(server: TestServer, options: { headers?: Record<string, string>; localAddress?: string } = {}) {
  return rawRequest(`${server.url}/api/directline/token`, { headers: options.headers, localAddress: options.localAddress });
}

function post(server: TestServer, grant: { conversationId: string; token: string }, activity: unknown) {
  return rawRequest(`${server.url}/v3/directline/conversations/${grant.conversationId}/activities`, {
    headers: { ...json, Authorization: `Bearer ${grant.token}` },
    body: JSON.stringify(activity),
  });
}

/** Open a stream; resolves with 101 when it opened, else the HTTP status of the refusal. */
function openStream(server: TestServer, grant: { conversationId: string; token: string }): Promise<{ status: number; retryAfter?: string; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/v3/directline/conversations/${grant.conversationId}/stream?t=${grant.token}`);
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] }));
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('error', () => undefined);
  });
}

describe('limits: one client cannot take the process down or lock others out', function () {
  this.timeout(30_000);

  describe('with the default settings', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer();
    });
    after(() => server.close());

    it('rate-limits messages per conversation with 429 and Retry-After; another conversation is unaffected', async () => {
      const flooder = await fetchToken(server.url);
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 40; i++) {
        const response = await post(server, flooder, { type: 'typing' });
        statuses.push(response.status);
        if (response.status === 429) retryAfter ??= response.headers['retry-after'] as string;
      }
      expect(statuses.filter((s) => s === 429).length).to.be.greaterThan(5);
      expect(Number(retryAfter)).to.be.at.least(1);
      const other = await fetchToken(server.url);
      expect((await post(server, other, { type: 'message', text: 'hallo' })).status).to.equal(200);
    });

    it('limits open conversations per client address (429 with Retry-After); another address still gets one', async () => {
      const statuses: number[] = [];
      let refusal: Awaited<ReturnType<typeof newToken>> | undefined;
      for (let i = 0; i < 25; i++) {
        const response = await newToken(server, { localAddress: '127.0.0.3' });
        statuses.push(response.status);
        if (response.status !== 200) refusal ??= response;
      }
      expect(statuses.filter((s) => s === 200).length).to.equal(20);
      expect(refusal?.status).to.equal(429);
      expect(Number(refusal?.headers['retry-after'])).to.be.at.least(1);
      expect(errorOf(refusal?.json)?.message).to.match(/open conversations/);
      expect((await newToken(server, { localAddress: '127.0.0.4' })).status).to.equal(200);
    });

    it('refuses a token to a page on another site, allows its own page and clients without Origin', async () => {
      const foreign = await newToken(server, { headers: { Origin: 'https://evil.example' }, localAddress: '127.0.0.5' });
      expect(foreign.status).to.equal(403);
      expect(errorOf(foreign.json)?.code).to.equal('Forbidden');
      expect((await newToken(server, { headers: { Origin: 'null' }, localAddress: '127.0.0.5' })).status).to.equal(403);
      expect((await newToken(server, { headers: { Origin: server.url }, localAddress: '127.0.0.5' })).status).to.equal(200);
      expect((await newToken(server, { localAddress: '127.0.0.5' })).status).to.equal(200);
    });

    it('ignores X-Forwarded-For from a client that is not a trusted proxy', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) {
        statuses.push((await newToken(server, { headers: { 'X-Forwarded-For': `10.0.0.${i}` }, localAddress: '127.0.0.6' })).status);
      }
      expect(statuses.filter((s) => s === 429).length).to.be.greaterThan(0);
    });

    it('caps WebSocket streams per conversation', async () => {
      const grant = await fetchToken(server.url);
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await openStream(server, grant));
      for (const result of results) result.ws?.close();
      expect(results.map((r) => r.status)).to.deep.equal([101, 101, 101, 429, 429]);
      expect(Number(results[3].retryAfter)).to.be.at.least(1);
    });
  });

  describe('with small limits', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({
        directLineUnusedMinutes: 0.02, // 1.2 s
        directLineMaxRefreshes: 2,
        directLineMemoryBytes: 256 * 1024,
        directLineConversationsPerAddress: 1000,
      });
    });
    after(() => server.close());

    it('drops a conversation that never received a message after DIRECTLINE_UNUSED_MINUTES, also with a stream open', async () => {
      const grant = await fetchToken(server.url);
      const stream = await openStream(server, grant);
      expect(stream.status).to.equal(101);
      const closed = new Promise<number>((resolve) => stream.ws!.on('close', (code) => resolve(code)));
      expect(server.app.channel.store.get(grant.conversationId)).to.not.equal(undefined);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(server.app.channel.store.get(grant.conversationId)).to.equal(undefined);
      expect(await closed).to.be.a('number');
    });

    it('caps token refreshes per conversation', async () => {
      let { token } = await fetchToken(server.url);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const response = await rawRequest(`${server.url}/v3/directline/tokens/refresh`, { headers: { Authorization: `Bearer ${token}` } });
        statuses.push(response.status);
        if (response.status === 200) token = (response.json as { token: string }).token;
      }
      expect(statuses).to.deep.equal([200, 200, 403]);
    });

    it('makes the conversation cap a memory budget: 503 with Retry-After when it is spent, memory stays within it', async () => {
      const statuses: number[] = [];
      let busy: Awaited<ReturnType<typeof newToken>> | undefined;
      for (let i = 0; i < 200 && !busy; i++) {
        const response = await newToken(server, { localAddress: `127.0.1.${1 + (i % 200)}` });
        statuses.push(response.status);
        if (response.status === 503) busy = response;
        else if (response.status === 200) {
          // Fill it with the largest activities a client may send.
          await post(server, response.json as { conversationId: string; token: string }, { type: 'message', text: 'x'.repeat(4000) });
        }
      }
      expect(busy?.status).to.equal(503);
      expect(Number(busy?.headers['retry-after'])).to.be.at.least(1);
      expect(server.app.channel.store.bytes).to.be.at.most(256 * 1024 + 64 * 1024);
      expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
    });
  });

  describe('behind a trusted reverse proxy (TRUSTED_PROXIES)', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ trustedProxies: ['127.0.0.1'], allowedOrigins: ['https://www.gemeente.example'] });
    });
    after(() => server.close());

    it('throttles each resident by their X-Forwarded-For address, not everyone as the proxy', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) statuses.push((await newToken(server, { headers: { 'X-Forwarded-For': '198.51.100.7' } })).status);
      expect(statuses.filter((s) => s === 429).length).to.be.greaterThan(0);
      // A spoofed left part does not help the same resident; another resident is not affected.
      expect((await newToken(server, { headers: { 'X-Forwarded-For': '10.9.9.9, 198.51.100.7' } })).status).to.equal(429);
      expect((await newToken(server, { headers: { 'X-Forwarded-For': '198.51.100.8' } })).status).to.equal(200);
    });

    it('gives a token to a page on an origin in ALLOWED_ORIGINS, readable by that page (CORS)', async () => {
      const response = await newToken(server, { headers: { Origin: 'https://www.gemeente.example', 'X-Forwarded-For': '198.51.100.9' } });
      expect(response.status).to.equal(200);
      expect(response.headers['access-control-allow-origin']).to.equal('https://www.gemeente.example');
      const preflight = await rawRequest(`${server.url}/v3/directline/conversations`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://www.gemeente.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
      });
      expect(preflight.status).to.equal(204);
      expect(String(preflight.headers['access-control-allow-headers'])).to.match(/Authorization/);
      const other = await newToken(server, { headers: { Origin: 'https://evil.example', 'X-Forwarded-For': '198.51.100.9' } });
      expect(other.status).to.equal(403);
      expect(other.headers['access-control-allow-origin']).to.equal(undefined);
    });
  });
});
