/**
 * A restart in the middle of a live chat: the queue, the active chat and its transcript are all
 * read back from DATA_DIR, the employee's session still holds, and the resident's next message
 * still reaches the employee (and the answer the resident).
 */
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectLineTestClient, fetchToken } from '../helpers/directline.js';
import { startTestServer } from '../helpers/server.js';
import { addStaff, ConsoleClient } from './console-client.js';
import { botSays, joinQueue, say } from './resident.js';

describe('handoff: a restart in the middle of a live chat', function () {
  this.timeout(60_000);
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wmo-handoff-restart-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps queue, chats and transcripts; the next message still reaches the employee', async () => {
    const first = await startTestServer({ dataDir });
    await addStaff(first, 'anna', 'medewerker', ['GM0406'], 'Anna');
    const anna = await ConsoleClient.login(first.url, 'anna');
    await anna.ok('POST', '/loket/api/availability', { available: true });

    const { conversationId, token } = await fetchToken(first.url);
    const client = await DirectLineTestClient.connect(first.url, { webSocket: false, conversationId, token });
    await client.send({ type: 'event', name: 'webchat/join', value: { gemeente: 'GM0406' } });
    await botSays(client, /digitale assistent/);
    await joinQueue(client);
    // A second resident stays in the queue over the restart.
    const { conversationId: otherId, token: otherToken } = await fetchToken(first.url);
    const other = await DirectLineTestClient.connect(first.url, { webSocket: false, conversationId: otherId, token: otherToken });
    await other.send({ type: 'event', name: 'webchat/join', value: { gemeente: 'GM0406' } });
    await botSays(other, /digitale assistent/);

    const { handoffs } = (await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: Array<{ id: string }> };
    const id = handoffs[0].id;
    await anna.ok('POST', `/loket/api/handoffs/${id}/claim`);
    await botSays(client, /Anna van het Wmo-loket Huizen/);
    await client.send('Mijn moeder valt steeds');
    await anna.ok('POST', `/loket/api/handoffs/${id}/messages`, { text: 'Dat is zorgelijk. Woont zij alleen?' });
    await botSays(client, /Woont zij alleen/);
    await joinQueue(other);
    client.end();
    other.end();
    await first.close();

    const second = await startTestServer({ dataDir });
    try {
      // Same cookie: the session is in storage too.
      const again = new ConsoleClient(second.url);
      again.cookie = anna.cookie;
      again.csrf = anna.csrf;
      const list = (await again.ok('GET', '/loket/api/handoffs')) as { handoffs: Array<{ id: string; status: string }> };
      expect(list.handoffs.map((h) => h.status).sort()).to.deep.equal(['active', 'waiting']);
      const detail = (await again.ok('GET', `/loket/api/handoffs/${id}`)).handoff as { transcript: Array<{ text: string }>; assignee: { name: string } };
      expect(detail.assignee.name).to.equal('Anna');
      const texts = detail.transcript.map((e) => e.text);
      expect(texts).to.include('Mijn moeder valt steeds').and.include('Dat is zorgelijk. Woont zij alleen?');
      await again.openStream();

      const resumed = await DirectLineTestClient.connect(second.url, { webSocket: false, conversationId, token });
      try {
        const mark = again.events.length;
        const before = resumed.received.length;
        await resumed.send('Ja, zij woont alleen');
        const pushed = await again.waitForEvent((e) => e.type === 'message' && (e.data.entry as { text: string }).text === 'Ja, zij woont alleen', mark);
        expect(pushed.data.handoffId).to.equal(id);
        await again.ok('POST', `/loket/api/handoffs/${id}/messages`, { text: 'Dan bel ik haar wijkteam.' });
        await botSays(resumed, /wijkteam/, before);
        await again.ok('POST', `/loket/api/handoffs/${id}/release`);
        await botSays(resumed, /weer met de digitale assistent/, before);
        const answered = await say(resumed, 'Wat is respijtzorg?', /respijt/i);
        expect(answered.text).to.not.match(/wachtrij/);
      } finally {
        resumed.end();
        again.closeStream();
      }
    } finally {
      await second.close();
    }
  });
});
