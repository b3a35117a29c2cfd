import { expect } from 'chai';
import { fetchToken } from '../helpers/directline.js';
import { errorOf, rawRequest, type RawResponse } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

function rawPost(url: string, headers: Record<string, string>, body: string | Buffer): Promise<RawResponse> {
  return rawRequest(url, { headers, body });
}

describe('bad input never crashes or wedges the server', () => {
  let server: TestServer;
  let activitiesUrl: string;
  let auth: Record<string, string>;
  before(async () => {
    server = await startTestServer();
    const { conversationId, token } = await fetchToken(server.url);
    activitiesUrl = `${server.url}/v3/directline/conversations/${conversationId}/activities`;
    auth = { Authorization: `Bearer ${token}` };
  });
  after(() => server.close());

  const json = { 'Content-Type': 'application/json' };
  const cases: Array<{ name: string; headers: Record<string, string>; body: string | Buffer; status: number; message: RegExp }> = [
    { name: 'invalid JSON', headers: json, body: '{"type": "message", "text": ', status: 400, message: /JSON/i },
    { name: 'a JSON array instead of an activity', headers: json, body: '[1,2,3]', status: 400, message: /object|activity/i },
    { name: 'a wrong content type', headers: { 'Content-Type': 'text/plain' }, body: 'hallo', status: 415, message: /application\/json/ },
    { name: 'a form post', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'type=message', status: 415, message: /application\/json/ },
    { name: 'a gzip content encoding', headers: { ...json, 'Content-Encoding': 'gzip' }, body: Buffer.from([0x1f, 0x8b, 0, 0]), status: 415, message: /uncompressed/ },
    { name: 'an odd content encoding', headers: { ...json, 'Content-Encoding': 'x-weird' }, body: '{}', status: 415, message: /Content-Encoding/ },
    { name: 'an activity without a type', headers: json, body: '{"text":"hallo"}', status: 400, message: /type/ },
    { name: 'an unknown activity type', headers: json, body: '{"type":"deleteUserData"}', status: 400, message: /type/ },
    { name: 'a text that is not a string', headers: json, body: '{"type":"message","text":{"a":1}}', status: 400, message: /string/ },
    { name: 'an event without a name', headers: json, body: '{"type":"event"}', status: 400, message: /name/ },
    { name: 'a text over 4000 characters', headers: json, body: JSON.stringify({ type: 'message', text: 'a'.repeat(4001) }), status: 400, message: /too long/ },
    { name: 'a body over the size limit', headers: json, body: JSON.stringify({ type: 'message', text: 'x', pad: 'y'.repeat(300 * 1024) }), status: 413, message: /.+/ },
  ];
  for (const c of cases) {
    it(`answers ${c.status} with a clear JSON error for ${c.name}`, async () => {
      const { status, json: body } = await rawPost(activitiesUrl, { ...auth, ...c.headers }, c.body);
      expect(status).to.equal(c.status);
      expect(errorOf(body)?.message, JSON.stringify(body)).to.match(c.message);
    });
  }

  it("answers restify's own refusals (404, 405) in the same error shape", async () => {
    const missing = await rawRequest(`${server.url}/nergens`, { method: 'GET' });
    expect(missing.status).to.equal(404);
    expect(errorOf(missing.json), JSON.stringify(missing.json)).to.include({ code: 'ResourceNotFound' });
    const wrongMethod = await rawRequest(`${server.url}/api/directline/token`, { method: 'DELETE' });
    expect(wrongMethod.status).to.equal(405);
    expect(errorOf(wrongMethod.json), JSON.stringify(wrongMethod.json)).to.not.equal(undefined);
  });

  it('refuses a 100,000-deep value with 400 before parsing it, and the conversation still answers', async () => {
    const deep = `{"type":"event","name":"diep","value":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const posted = await rawPost(activitiesUrl, { ...auth, ...json }, deep);
    expect(posted.status).to.equal(400);
    expect(errorOf(posted.json)?.message).to.match(/nested too deeply/);
    const list = await rawRequest(activitiesUrl, { method: 'GET', headers: auth });
    expect(list.status).to.equal(200);
    // Brackets inside a string are text, not nesting.
    const brackets = await rawPost(activitiesUrl, { ...auth, ...json }, JSON.stringify({ type: 'message', text: '['.repeat(1000) }));
    expect(brackets.status).to.equal(200);
  });

  it('keeps only what the channel needs of an activity: no large values, no client entities or attachments', async () => {
    const big = await rawPost(activitiesUrl, { ...auth, ...json }, JSON.stringify({ type: 'event', name: 'groot', value: { pad: 'x'.repeat(250 * 1024) } }));
    expect(big.status).to.equal(400);
    expect(errorOf(big.json)?.message).to.match(/value is too large/);
    const posted = await rawPost(activitiesUrl, { ...auth, ...json }, JSON.stringify({
      type: 'message',
      text: 'met bijlagen',
      channelData: { clientActivityID: 'web-1', extra: 'y'.repeat(10_000) },
      entities: [{ type: 'ClientCapabilities', pad: 'z'.repeat(10_000) }],
      attachments: [{ contentType: 'text/plain', content: 'q'.repeat(10_000) }],
    }));
    expect(posted.status).to.equal(200);
    const list = (await rawRequest(activitiesUrl, { method: 'GET', headers: auth })).json as { activities: Array<Record<string, unknown>> };
    const stored = list.activities.find((a) => a.id === (posted.json as { id: string }).id)!;
    expect(stored.channelData).to.deep.equal({ clientActivityID: 'web-1' });
    expect(stored).to.not.have.property('entities');
    expect(stored).to.not.have.property('attachments');
    expect(JSON.stringify(stored).length).to.be.lessThan(2000);
  });

  it('answers 404 for an unknown path and 401/403 for an unknown conversation', async () => {
    expect((await fetch(`${server.url}/nergens`)).status).to.equal(404);
    const unknown = `${server.url}/v3/directline/conversations/bestaat-niet/activities`;
    expect((await rawPost(unknown, json, '{"type":"message","text":"x"}')).status).to.equal(401);
    expect((await rawPost(unknown, { ...json, ...auth }, '{"type":"message","text":"x"}')).status).to.equal(403);
  });

  it('answers strange unicode (lone surrogates, control characters, RTL, emoji, zero-width) normally', async () => {
    const text = 'hallo \ud800 \u0000\u0007 \u202eabc \u200b 👵🏽 ﷽';
    const { status, json: body } = await rawPost(activitiesUrl, { ...auth, ...json }, JSON.stringify({ type: 'message', text }));
    expect(status).to.equal(200);
    expect((body as { id: string }).id).to.be.a('string');
    const list = (await (await fetch(activitiesUrl, { headers: auth })).json()) as { activities: Array<{ id: string; text?: string }> };
    const stored = list.activities.find((a) => a.id === (body as { id: string }).id);
    expect(stored?.text).to.not.include('\u0000').and.not.include('\u0007');
    expect(stored?.text?.isWellFormed()).to.equal(true);
  });

  it('keeps serving after all of that: health check and a normal message work', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).to.equal(200);
    // A fresh conversation: the one above has used up its message allowance on bad input.
    const fresh = await fetchToken(server.url);
    const url = `${server.url}/v3/directline/conversations/${fresh.conversationId}/activities`;
    const { status } = await rawPost(url, { Authorization: `Bearer ${fresh.token}`, ...json }, JSON.stringify({ type: 'message', text: 'nog steeds daar?' }));
    expect(status).to.equal(200);
  });

  it('throttles the token endpoint per client address with 429, and keeps serving', async () => {
    const statuses = await Promise.all(Array.from({ length: 40 }, async () => (await fetch(`${server.url}/api/directline/token`, { method: 'POST' })).status));
    expect(statuses.filter((s) => s === 429).length).to.be.greaterThan(0);
    expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
  });

  it('answers 400 on /api/messages for a body that is not an activity', async () => {
    const { status, json: body } = await rawPost(`${server.url}/api/messages`, json, '{"hello":"world"}');
    expect(status).to.equal(400);
    expect(JSON.stringify(body)).to.match(/activity/);
  });
});
