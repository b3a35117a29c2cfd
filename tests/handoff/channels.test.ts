/**
 * Residents on any Bot Framework channel (here: /api/messages with a loopback stub of the Bot
 * Connector at the activity's serviceUrl) are reached by proactive messages with the stored
 * conversation reference; and with HANDOFF_TARGET=event the bot hands off to an external agent
 * hub with the standard handoff.initiate event and follows its handoff.status.
 */
import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DirectLineTestClient } from '../helpers/directline.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStaff, ConsoleClient } from './console-client.js';

interface Posted {
  path: string;
  body: Record<string, unknown> & { type?: string; text?: string; name?: string; entities?: Array<{ type: string; topic?: string }> };
}

/** A loopback stand-in for the Bot Connector service at a channel's serviceUrl. */
async function startConnectorStub(): Promise<{ url: string; received: Posted[]; server: Server }> {
  const received: Posted[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(data || '{}') as Posted['body'] });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: `activity-${received.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

/** A resident on an external channel: activities posted to /api/messages the way a channel does. */
function channelResident(server: TestServer, serviceUrl: string, conversationId: string) {
  let n = 0;
  return async (activity: Record<string, unknown>): Promise<void> => {
    n += 1;
    const response = await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        id: `${conversationId}-${n}`,
        channelId: 'test-channel',
        serviceUrl,
        from: { id: `user-${conversationId}`, name: 'Inwoner' },
        recipient: { id: 'bot', name: 'Wmo-loket assistent' },
        conversation: { id: conversationId },
        ...activity,
      }),
    });
    expect(response.status).to.be.oneOf([200, 201, 202]);
  };
}

const textsAfter = (received: Posted[], from: number) => received.slice(from).filter((p) => p.body.type === 'message').map((p) => p.body.text ?? '');

async function until<T>(find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('handoff: residents on an external Bot Framework channel', function () {
  this.timeout(60_000);
  let server: TestServer;
  let connector: Awaited<ReturnType<typeof startConnectorStub>>;
  before(async () => {
    server = await startTestServer({ allowUnsignedLocal: true });
    connector = await startConnectorStub();
    await addStaff(server, 'anna', 'medewerker', ['GM0406'], 'Anna');
  });
  after(async () => {
    await server.close();
    connector.server.close();
  });

  it('the employee reaches the resident by proactive messages to the channel, with the wmoTopic entity', async () => {
    const anna = await ConsoleClient.login(server.url, 'anna');
    await anna.ok('POST', '/loket/api/availability', { available: true });
    const send = channelResident(server, connector.url, 'ext-1');
    await send({ type: 'event', name: 'webchat/join', value: { gemeente: 'GM0406' } });
    await send({ type: 'message', text: 'Ik wil een medewerker spreken' });
    await send({ type: 'message', text: 'Ja, verbind mij door' });
    expect(textsAfter(connector.received, 0).join('\n')).to.match(/U bent nummer 1/);
    const { handoffs } = (await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: Array<{ id: string }> };
    const mark = connector.received.length;
    await anna.ok('POST', `/loket/api/handoffs/${handoffs[0].id}/claim`);
    await anna.ok('POST', `/loket/api/handoffs/${handoffs[0].id}/messages`, { text: 'Goedemiddag, waarmee kan ik helpen?' });
    const proactive = connector.received.slice(mark);
    // Proactive: posted to the conversation (sendToConversation), not as a reply to an activity.
    expect(proactive.map((p) => p.path)).to.deep.equal(['/v3/conversations/ext-1/activities', '/v3/conversations/ext-1/activities']);
    expect(proactive.map((p) => p.body.text)).to.deep.equal(['Anna van het Wmo-loket Huizen neemt het gesprek over.', 'Goedemiddag, waarmee kan ik helpen?']);
    // The whole entity arrives, topic included (the connector client's serializer used to drop it).
    for (const p of proactive) expect(p.body.entities?.map((e) => [e.type, e.topic])).to.deep.equal([['wmoTopic', 'medewerker']]);

    const stream = connector.received.length;
    await anna.openStream();
    const events = anna.events.length;
    await send({ type: 'message', text: 'Ik heb hulp nodig bij het douchen' });
    await anna.waitForEvent((e) => e.type === 'message' && (e.data.entry as { text: string }).text === 'Ik heb hulp nodig bij het douchen', events);
    expect(connector.received.slice(stream)).to.deep.equal([]); // the bot stays silent
    anna.closeStream();
    await anna.ok('POST', `/loket/api/handoffs/${handoffs[0].id}/close`, { outcome: 'geholpen' });
  });
});

describe('handoff: HANDOFF_TARGET=event for a contact centre of its own', function () {
  this.timeout(60_000);
  let server: TestServer;
  let connector: Awaited<ReturnType<typeof startConnectorStub>>;
  before(async () => {
    server = await startTestServer({ handoffTarget: 'event', allowUnsignedLocal: true });
    connector = await startConnectorStub();
  });
  after(async () => {
    await server.close();
    connector.server.close();
  });

  it('sends handoff.initiate with the reference, a Transcript attachment and the summary, then follows handoff.status', async () => {
    const send = channelResident(server, connector.url, 'hub-1');
    await send({ type: 'event', name: 'webchat/join', value: { gemeente: 'GM0406' } });
    await send({ type: 'message', text: 'Mijn BSN is 111222333, ik wil een medewerker spreken' });
    await send({ type: 'message', text: 'Ja, verbind mij door' });
    const initiate = await until(() => connector.received.find((p) => p.body.type === 'event' && p.body.name === 'handoff.initiate'));
    const body = initiate.body as unknown as {
      value: { gemeente: string; summary: string };
      relatesTo: { conversation: { id: string }; serviceUrl: string };
      attachments: Array<{ name: string; contentType: string; content: { activities: Array<{ text: string }> } }>;
    };
    expect(body.value.gemeente).to.equal('GM0406');
    expect(body.value.summary).to.match(/Huizen/);
    expect(body.relatesTo.conversation.id).to.equal('hub-1');
    expect(body.relatesTo.serviceUrl).to.equal(connector.url);
    expect(body.attachments[0]).to.include({ name: 'Transcript', contentType: 'application/json' });
    const transcript = body.attachments[0].content.activities.map((a) => a.text).join('\n');
    expect(transcript).to.contain('[BSN verwijderd]').and.not.contain('111222333');

    let mark = connector.received.length;
    await send({ type: 'event', name: 'handoff.status', value: { state: 'accepted' } });
    expect(textsAfter(connector.received, mark)).to.deep.equal(['Een medewerker van het Wmo-loket neemt het gesprek over.']);
    mark = connector.received.length;
    await send({ type: 'message', text: 'Hallo, bent u daar?' });
    expect(textsAfter(connector.received, mark)).to.deep.equal([]); // the hub's agent answers, not the bot

    mark = connector.received.length;
    await send({ type: 'event', name: 'handoff.status', value: { state: 'completed' } });
    expect(textsAfter(connector.received, mark)[0]).to.match(/weer met de digitale assistent/);
    mark = connector.received.length;
    await send({ type: 'message', text: 'Wat is respijtzorg?' });
    expect(textsAfter(connector.received, mark).join('\n')).to.match(/respijt/i);
  });

  it('handoff.status failed: the resident is offered a callback', async () => {
    const send = channelResident(server, connector.url, 'hub-2');
    await send({ type: 'event', name: 'webchat/join', value: { gemeente: 'GM0406' } });
    await send({ type: 'message', text: 'medewerker' });
    await send({ type: 'message', text: 'Ja, verbind mij door' });
    const mark = connector.received.length;
    await send({ type: 'event', name: 'handoff.status', value: { state: 'failed' } });
    expect(textsAfter(connector.received, mark)).to.deep.equal(['Het doorverbinden is niet gelukt. Sorry daarvoor.', 'Wilt u dat een medewerker u terugbelt?']);
    await send({ type: 'message', text: 'Ja, bel mij terug' });
    expect(textsAfter(connector.received, mark).at(-1)).to.match(/Wanneer belt u/);
  });

  it('a resident cannot fake handoff.status from the embedded Direct Line', async () => {
    const client = await DirectLineTestClient.connect(server.url);
    try {
      await client.send({ type: 'event', name: 'webchat/join', value: { gemeente: 'GM0406' } });
      await client.send('medewerker');
      await client.send('Ja, verbind mij door');
      await client.waitFor((a) => a.type === 'event' && a.name === 'handoff.initiate');
      await client.send({ type: 'event', name: 'handoff.status', value: { state: 'accepted' } });
      const before = client.received.length;
      const id = await client.send('Hallo?');
      const reply = await client.waitFor((a) => a.from?.role === 'bot' && a.replyToId === id, before);
      expect(reply.text).to.match(/wachtrij/); // still waiting: the fake acceptance was ignored
    } finally {
      client.end();
    }
  });
});
