/**
 * A restart must not confuse Web Chat: the same conversation goes on with the same activity ids
 * and watermarks, and a melding stored just before the process died still reaches the resident.
 */
import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { DirectLineTestClient, fetchToken } from '../helpers/directline.js';
import { rawRequest } from '../helpers/http.js';
import { startProcess } from '../helpers/process.js';
import { startTestServer } from '../helpers/server.js';

const isBotMessage = (a: Activity) => a.from?.role === 'bot' && a.type === 'message';
const sequenceOf = (id: string) => Number(id.split('|').pop());

async function turn(client: DirectLineTestClient, text: string, until: RegExp): Promise<void> {
  const id = await client.send(text);
  await client.waitFor((a) => isBotMessage(a) && a.replyToId === id && until.test(a.text ?? ''), 0, 20_000);
}

describe('protocol: a restart continues the same transcript', function () {
  this.timeout(90_000);
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wmo-restart-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps activity ids and the watermark: a client polling from its watermark gets what is new, numbered on', async () => {
    const first = await startTestServer({ dataDir });
    const { conversationId, token } = await fetchToken(first.url);
    const url = (server: { url: string }, watermark?: string) =>
      `${server.url}/v3/directline/conversations/${conversationId}/activities${watermark ? `?watermark=${watermark}` : ''}`;
    const auth = { Authorization: `Bearer ${token}` };
    const client = await DirectLineTestClient.connect(first.url, { webSocket: false, conversationId, token });
    await turn(client, 'Mantelzorg', /Voor wie/);
    client.end();
    const before = (await rawRequest(url(first), { method: 'GET', headers: auth })).json as { activities: Activity[]; watermark: string };
    await first.close();

    const second = await startTestServer({ dataDir });
    try {
      const after = (await rawRequest(url(second, before.watermark), { method: 'GET', headers: auth })).json as { activities: Activity[]; watermark: string };
      // Numbering goes on past the old watermark (with room for activities sent just before a crash).
      expect(Number(after.watermark)).to.be.at.least(Number(before.watermark));
      expect(after.activities).to.deep.equal([]);
      const posted = await rawRequest(url(second), { headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'Mijn partner' }) });
      expect(sequenceOf((posted.json as { id: string }).id)).to.be.greaterThan(Number(before.watermark));
      const resumed = await DirectLineTestClient.connect(second.url, { webSocket: false, conversationId, token, watermark: before.watermark });
      try {
        await resumed.waitFor((a) => isBotMessage(a) && /Hoeveel uur/.test(a.text ?? ''), 0, 20_000);
        expect(resumed.received.every((a) => sequenceOf(a.id!) > Number(before.watermark))).to.equal(true, 'an activity from before the watermark came again');
      } finally {
        resumed.end();
      }
      // The earlier transcript is still there, under the same ids.
      const all = (await rawRequest(url(second), { method: 'GET', headers: auth })).json as { activities: Activity[] };
      for (const old of before.activities.filter((a) => a.type === 'message')) expect(all.activities.map((a) => a.id)).to.include(old.id);
    } finally {
      await second.close();
    }
  });

  it('the stored transcript keeps the numbers the bot gave, and only the resident\'s own number is removed', async () => {
    const first = await startTestServer({ dataDir });
    const { conversationId, token } = await fetchToken(first.url);
    const auth = { Authorization: `Bearer ${token}` };
    const client = await DirectLineTestClient.connect(first.url, { webSocket: false, conversationId, token });
    await turn(client, 'ik voel me zo eenzaam, ik wil met iemand praten. mijn nummer is 06 23456789', /Luisterlijn/);
    client.end();
    await first.close();

    // What a client reloading the conversation gets after the restart: the stored copy.
    const second = await startTestServer({ dataDir });
    try {
      const all = (await rawRequest(`${second.url}/v3/directline/conversations/${conversationId}/activities`, { method: 'GET', headers: auth })).json as { activities: Activity[] };
      const shown = all.activities.filter((a) => a.type === 'message').map((a) => a.text ?? '').join('\n');
      expect(shown).to.contain('088 0767 000');
      expect(shown).to.contain('[telefoon verwijderd]').and.not.contain('23456789');
    } finally {
      await second.close();
    }
  });

  it('a melding stored just before SIGKILL still reaches the resident after the restart', async () => {
    const first = startProcess({ DATA_DIR: dataDir });
    const firstUrl = await first.url;
    const { conversationId, token } = await fetchToken(firstUrl);
    const client = await DirectLineTestClient.connect(firstUrl, { webSocket: false, conversationId, token });
    await client.send({ type: 'event', name: 'webchat/join', value: { gemeente: 'GM0406' } });
    await turn(client, 'Ik wil een melding doen', /Waar gaat uw melding over/);
    await turn(client, 'Hulp in het huishouden', /eigen woorden/);
    await turn(client, 'Ik kan niet meer stofzuigen', /geprobeerd/);
    await turn(client, 'niets', /Met wie woont u/);
    await turn(client, 'alleen', /Hoe snel/);
    await turn(client, '1', /Mag ik deze melding/);
    await turn(client, 'ja', /Hoe wilt u/);
    await turn(client, 'E-mail', /e-mailadres/);
    const list = (await rawRequest(`${firstUrl}/v3/directline/conversations/${conversationId}/activities`, { method: 'GET', headers: { Authorization: `Bearer ${token}` } })).json as { watermark: string };
    client.end();

    // The last answer stores the melding; the process dies the moment its file appears.
    const stateDir = join(dataDir, 'state');
    const known = new Set(await readdir(stateDir));
    const last = fetch(`${firstUrl}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ type: 'message', text: 'inwoner@example.nl', from: { id: 'inwoner-test' } }),
    }).catch(() => undefined);
    let meldingFile: string | undefined;
    const deadline = Date.now() + 20_000;
    while (!meldingFile && Date.now() < deadline) {
      meldingFile = (await readdir(stateDir)).find((name) => name.startsWith('meldingen_') && name.endsWith('.json') && !known.has(name));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    await last;
    expect(meldingFile, 'the melding was stored').to.be.a('string');
    const reference = (JSON.parse(await readFile(join(stateDir, meldingFile!), 'utf8')) as { value: { reference: string } }).value.reference;

    const second = startProcess({ DATA_DIR: dataDir });
    try {
      const secondUrl = await second.url;
      const resumed = await DirectLineTestClient.connect(secondUrl, { webSocket: false, conversationId, token, watermark: list.watermark });
      try {
        const confirmation = await resumed.waitFor((a) => isBotMessage(a) && (a.text ?? '').includes(reference), 0, 20_000);
        expect(sequenceOf(confirmation.id!)).to.be.greaterThan(Number(list.watermark));
      } finally {
        resumed.end();
      }
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
