import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

describe('/api/messages (Bot Framework protocol)', () => {
  describe('without MicrosoftAppId, with ALLOW_UNSIGNED_LOCAL (local development)', () => {
    let server: TestServer;
    let connector: Awaited<ReturnType<typeof startConnectorStub>>;
    before(async () => {
      server = await startTestServer({ allowUnsignedLocal: true });
      connector = await startConnectorStub();
    });
    after(async () => {
      await server.close();
      connector.server.close();
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
      server = await startTestServer({ microsoftAppId: '00000000-0000-0000-0000-000000000001', microsoftAppPassword: 'not-a-real-secret', microsoftAppType: 'MultiTenant' });
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
