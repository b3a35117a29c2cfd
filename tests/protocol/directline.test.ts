import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { WebSocket } from 'ws';
import { DirectLineTestClient, fetchToken, useDirectLineServer } from '../helpers/directline.js';
import type { TestServer } from '../helpers/server.js';

const isBotMessage = (a: Activity) => a.from?.role === 'bot' && a.type === 'message';

describe('embedded Direct Line 3.0 channel (botframework-directlinejs)', () => {
  const fixture = useDirectLineServer();
  const connect = fixture.connect.bind(fixture);
  let server: TestServer;
  before(() => {
    server = fixture.server;
  });

  it('round trip over the WebSocket stream: echo with id and clientActivityID, welcome, then an answer', async () => {
    const client = await connect();
    const id = await client.send({ type: 'message', text: 'hallo', channelData: { clientActivityID: 'web-chat-42' } });
    const echo = await client.waitFor((a) => a.id === id);
    expect(echo.from.role).to.equal('user');
    expect((echo.channelData as { clientActivityID?: string }).clientActivityID).to.equal('web-chat-42');
    const welcome = await client.waitFor((a) => isBotMessage(a) && /digitale assistent/i.test(a.text ?? ''));
    expect(welcome.text).to.match(/BSN/);
    const answer = await client.waitFor((a) => isBotMessage(a) && a.replyToId === id);
    expect(answer.text).to.be.a('string').with.length.greaterThan(0);
    // The welcome comes before the answer to the first message.
    expect(client.received.indexOf(welcome)).to.be.lessThan(client.received.indexOf(answer));
  });

  it("a turn's several replies arrive on the stream as one activity set, in order, numbered on, as polling shows them", async () => {
    const { conversationId, token } = await fetchToken(server.url);
    const base = `${server.url}/v3/directline/conversations/${conversationId}`;
    const frames: Array<{ activities: Activity[]; watermark: string }> = [];
    const ws = new WebSocket(`${base.replace('http', 'ws')}/stream?t=${token}`);
    ws.on('message', (data) => {
      if (String(data)) frames.push(JSON.parse(String(data)) as { activities: Activity[]; watermark: string });
    });
    await new Promise((resolve) => ws.once('open', resolve));
    try {
      const post = await fetch(`${base}/activities`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'Wat is huishoudelijke hulp?', from: { id: 'inwoner-set' } }),
      });
      const { id } = (await post.json()) as { id: string };
      const deadline = Date.now() + 10_000;
      while (!frames.some((f) => f.activities.some((a) => a.replyToId === id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const set = frames.find((f) => f.activities.some((a) => a.replyToId === id))!;
      expect(set.activities.length).to.be.greaterThan(1);
      expect(set.activities.every((a) => isBotMessage(a) && a.replyToId === id)).to.equal(true);
      const numbers = set.activities.map((a) => Number(a.id!.split('|').pop()));
      expect(numbers).to.deep.equal(numbers.map((_n, i) => numbers[0] + i));
      expect(set.watermark).to.equal(String(numbers.at(-1)));
      // The buttons are on the last message of the turn (Web Chat shows only those).
      expect(set.activities.at(-1)!.suggestedActions?.actions.length).to.be.greaterThan(0);
      const polled = (await (await fetch(`${base}/activities`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { activities: Activity[] };
      expect(polled.activities.filter((a) => a.replyToId === id).map((a) => [a.id, a.text])).to.deep.equal(set.activities.map((a) => [a.id, a.text]));
    } finally {
      ws.close();
    }
  });

  it('polling with a watermark resumes without repeating what the client already had', async () => {
    const first = await connect({ webSocket: false });
    const id = await first.send('eerste bericht');
    await first.waitFor((a) => isBotMessage(a) && a.replyToId === id);
    const { conversationId } = first;
    const token = await refreshedToken(first);
    first.end();

    const list = (await (await fetch(`${server.url}/v3/directline/conversations/${conversationId}/activities`, {
      headers: { Authorization: `Bearer ${token}` },
    })).json()) as { activities: Activity[]; watermark: string };
    expect(list.activities.length).to.be.greaterThan(1);

    const resumed = await connect({ webSocket: false, conversationId, token, watermark: list.watermark });
    const second = await resumed.send('tweede bericht');
    const answer = await resumed.waitFor((a) => isBotMessage(a) && a.replyToId === second);
    expect(answer.conversation.id).to.equal(conversationId);
    expect(resumed.received.some((a) => a.id === id)).to.equal(false, 'an activity from before the watermark came again');
  });

  it('a token grants its own conversation only', async () => {
    const a = await fetchToken(server.url);
    const b = await fetchToken(server.url);
    const get = (conversationId: string, token?: string) =>
      fetch(`${server.url}/v3/directline/conversations/${conversationId}/activities`, {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
      });
    expect((await get(a.conversationId, a.token)).status).to.equal(200);
    expect((await get(b.conversationId, a.token)).status).to.equal(403);
    expect((await get(b.conversationId)).status).to.equal(401);
    const forged = `${b.token.split('.')[0]}.${a.token.split('.')[1]}`;
    expect((await get(b.conversationId, forged)).status).to.equal(403);
    const body = (await (await get(b.conversationId, a.token)).json()) as { error: { message: string } };
    expect(body.error.message).to.match(/another conversation/);
  });

  it("a stream for another conversation's token is refused", async () => {
    const a = await fetchToken(server.url);
    const b = await fetchToken(server.url);
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/v3/directline/conversations/${b.conversationId}/stream?t=${a.token}`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('error', () => undefined);
    });
    expect(status).to.equal(403);
  });

  it('refreshes a token and reconnects from a watermark', async () => {
    const { conversationId, token } = await fetchToken(server.url);
    const refreshed = await fetch(`${server.url}/v3/directline/tokens/refresh`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    expect(refreshed.status).to.equal(200);
    const fresh = (await refreshed.json()) as { conversationId: string; token: string; expires_in: number };
    expect(fresh.conversationId).to.equal(conversationId);
    expect(fresh.expires_in).to.be.greaterThan(60);
    const reconnect = await fetch(`${server.url}/v3/directline/conversations/${conversationId}?watermark=3`, {
      headers: { Authorization: `Bearer ${fresh.token}` },
    });
    expect(reconnect.status).to.equal(200);
    const body = (await reconnect.json()) as { streamUrl: string };
    expect(new URL(body.streamUrl).searchParams.get('watermark')).to.equal('3');
    expect(body.streamUrl).to.match(/^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\//);
  });

  it('starting a conversation with a user id welcomes the user before they type', async () => {
    const { token } = await fetchToken(server.url);
    const client = await connect({ token, userId: 'inwoner-7' });
    const welcome = await client.waitFor((a) => isBotMessage(a));
    expect(welcome.text).to.match(/digitale assistent/i);
    expect(welcome.recipient?.id).to.equal('inwoner-7');
  });

  async function refreshedToken(client: DirectLineTestClient): Promise<string> {
    const current = (client.directLine as unknown as { token: string }).token;
    const response = await fetch(`${server.url}/v3/directline/tokens/refresh`, { method: 'POST', headers: { Authorization: `Bearer ${current}` } });
    return ((await response.json()) as { token: string }).token;
  }
});
