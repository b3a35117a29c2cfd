import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchToken } from '../helpers/directline.js';
import { errorOf, rawRequest } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** A loopback stand-in for the Bot Connector service a channel provides at its serviceUrl. */
async function startConnectorStub(): Promise<{ url: string; received: Array<{ path: string; body: Record<string, unknown> }>; server: Server }> {
  const received: Array<{ path: string; body: Record<string, unknown> }> = [];
  const server = createServer((req: IncomingMessage, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(data || '{}') as Record<string, unknown> });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${received.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

const activity = (serviceUrl: string) => ({
  type: 'message',
  id: 'act-1',
  text: 'hallo',
  channelId: 'test-channel',
  serviceUrl,
  from: { id: 'user-1', name: 'Inwoner' },
  recipient: { id: 'bot', name: 'Wmo-loket assistent' },
  conversation: { id: 'conv-1' },
});

/** A server with these settings and a connector stub for the enclosing describe block. */
function useServerAndConnector(overrides: Parameters<typeof startTestServer>[0] = {}) {
  const fixture = {} as { server: TestServer; connector: Awaited<ReturnType<typeof startConnectorStub>> };
  before(async () => {
    fixture.server = await startTestServer(overrides);
    fixture.connector = await startConnectorStub();
  });
  after(async () => {
    await fixture.server.close();
    fixture.connector.server.close();
  });
  return fixture;
}

const send = (server: TestServer, body: unknown, headers: Record<string, string> = {}) =>
  rawRequest(`${server.url}/api/messages`, { headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('/api/messages (Bot Framework protocol)', () => {
  describe('without MicrosoftAppId and without ALLOW_UNSIGNED_LOCAL (the default)', () => {
    const fixture = useServerAndConnector();

    it('refuses every unsigned request with 401 and sends nothing to the serviceUrl', async () => {
      const { server, connector } = fixture;
      const response = await send(server, activity(connector.url));
      expect(response.status).to.equal(401);
      expect(errorOf(response.json)?.message).to.match(/ALLOW_UNSIGNED_LOCAL/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(connector.received).to.deep.equal([]);
    });
  });

  describe('without MicrosoftAppId, with ALLOW_UNSIGNED_LOCAL (local development)', () => {
    const fixture = useServerAndConnector({ allowUnsignedLocal: true });
    let server: TestServer;
    let connector: Awaited<ReturnType<typeof startConnectorStub>>;
    before(() => ({ server, connector } = fixture));

    it("refuses channelId \"directline\" with a resident's conversation id, and the resident's conversation is untouched", async () => {
      const resident = await fetchToken(server.url);
      const url = `${server.url}/v3/directline/conversations/${resident.conversationId}/activities`;
      const auth = { Authorization: `Bearer ${resident.token}` };
      await rawRequest(url, { headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'Ik wil een melding doen' }) });
      const before = (await rawRequest(url, { method: 'GET', headers: auth })).json as { watermark: string };
      const response = await send(server, { ...activity(connector.url), channelId: 'directline', conversation: { id: resident.conversationId }, text: 'samenvatting' });
      expect(response.status).to.equal(403);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(connector.received).to.deep.equal([]);
      const after = (await rawRequest(url, { method: 'GET', headers: auth })).json as { watermark: string };
      expect(after.watermark).to.equal(before.watermark);
    });

    it('refuses a serviceUrl that is neither loopback nor in ALLOWED_SERVICE_URLS', async () => {
      const response = await send(server, activity('http://connector.invalid/api/'));
      expect(response.status).to.equal(403);
      expect(errorOf(response.json)?.message).to.match(/serviceUrl/);
    });

    it('cleans and limits text exactly as the Direct Line does', async () => {
      const long = await send(server, { ...activity(connector.url), text: 'a'.repeat(4001) });
      expect(long.status).to.equal(400);
      expect(errorOf(long.json)?.message).to.match(/too long/);
      const notText = await send(server, { ...activity(connector.url), text: { a: 1 } });
      expect(notText.status).to.equal(400);
    });

    it('takes an activity and posts the reply to the channel at its serviceUrl', async () => {
      const response = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(activity(connector.url)),
      });
      expect(response.status).to.be.oneOf([200, 201, 202]);
      const reply = connector.received.find((r) => r.path === '/v3/conversations/conv-1/activities/act-1');
      expect(reply, JSON.stringify(connector.received.map((r) => r.path))).to.not.equal(undefined);
      expect(reply?.body.type).to.equal('message');
      expect(reply?.body.text).to.be.a('string').with.length.greaterThan(0);
      expect(reply?.body.replyToId).to.equal('act-1');
    });
  });

  describe('with MicrosoftAppId set', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({
        microsoftAppId: '00000000-0000-0000-0000-000000000001',
        microsoftAppPassword: 'not-a-real-secret',
        microsoftAppType: 'MultiTenant',
        // No network to the OpenID metadata: a closed port on loopback stands in for it.
        botOpenIdMetadata: 'http://127.0.0.1:9/v1/.well-known/openidconfiguration',
      });
    });

    it('answers 401, not 500, to a well-formed token when the OpenID metadata cannot be fetched', async () => {
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const jwt = [
        part({ alg: 'RS256', typ: 'JWT', kid: 'sleutel-1' }),
        part({ iss: 'https://api.botframework.com', aud: '00000000-0000-0000-0000-000000000001', serviceurl: 'http://127.0.0.1:9/', exp: Math.floor(Date.now() / 1000) + 600, nbf: Math.floor(Date.now() / 1000) - 60 }),
        Buffer.from('geen-echte-handtekening').toString('base64url'),
      ].join('.');
      const response = await send(server, activity('http://127.0.0.1:9/'), { Authorization: `Bearer ${jwt}` });
      expect(response.status).to.equal(401);
      expect(errorOf(response.json)?.code).to.equal('Unauthorized');
    });
    after(() => server.close());

    it('refuses an unsigned request with 401', async () => {
      const response = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(activity('http://127.0.0.1:9/')),
      });
      expect(response.status).to.equal(401);
    });

    it('refuses a request with a made-up bearer token with 401', async () => {
      const response = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' },
        body: JSON.stringify(activity('http://127.0.0.1:9/')),
      });
      expect(response.status).to.equal(401);
    });
  });
});
