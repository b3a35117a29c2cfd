/**
 * Whole conversations through the real server and the embedded Direct Line channel, driven by
 * the official botframework-directlinejs client the way Web Chat drives it: one per flow, a
 * safety interruption, and a server restart in the middle of a flow. Every bot message that
 * replies to a resident's message must carry exactly one wmoTopic entity.
 */
import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Activity } from 'botbuilder';
import { DirectLineTestClient, fetchToken, useDirectLineServer } from '../helpers/directline.js';
import { cardText } from '../helpers/cards.js';
import { startTestServer } from '../helpers/server.js';

const isBotMessage = (a: Activity) => a.from?.role === 'bot' && a.type === 'message';

function wmoTopic(activity: Activity): { topic: string; confidence: number } {
  const entities = (activity.entities ?? []).filter((e) => e.type === 'wmoTopic');
  expect(entities, `one wmoTopic entity on "${activity.text?.slice(0, 60)}"`).to.have.length(1);
  return entities[0] as unknown as { topic: string; confidence: number };
}

/** Sends one message and waits until a reply to it matches `until`; returns all replies so far. */
async function turn(client: DirectLineTestClient, text: string, until: RegExp): Promise<Activity[]> {
  const id = await client.send(text);
  await client.waitFor((a) => isBotMessage(a) && a.replyToId === id && until.test(a.text ?? ''));
  const replies = client.repliesTo(id).filter(isBotMessage);
  for (const reply of replies) wmoTopic(reply);
  return replies;
}

const all = (replies: Activity[]) => replies.map((r) => r.text ?? '').join('\n');


describe('protocol: whole conversations per flow over Direct Line', function () {
  this.timeout(60_000);
  const fixture = useDirectLineServer();
  async function connect(gemeente?: string): Promise<DirectLineTestClient> {
    const client = await fixture.connect();
    if (gemeente) await client.send({ type: 'event', name: 'webchat/join', value: { gemeente } });
    return client;
  }

  it('huishoudelijke hulp: from the question to the next steps and a melding offer', async () => {
    const client = await connect('GM0406');
    await client.waitFor((a) => isBotMessage(a) && /digitale assistent/.test(a.text ?? ''));
    // A need that names no task: the flow asks what does not work (a named task would skip that question).
    const first = await turn(client, 'Ik red mijn huishouden niet meer', /Wat lukt niet meer/);
    expect(wmoTopic(first[first.length - 1]).topic).to.equal('huishoudelijke-hulp');
    await turn(client, 'Schoonmaken', /Sinds wanneer/);
    await turn(client, '2', /tijdelijk/i);
    await turn(client, 'de tweede', /Wie wonen er/);
    await turn(client, 'Mijn partner', /Wat is er al geregeld/);
    const end = await turn(client, 'Nog niets', /Wat wilt u nu doen/);
    expect(all(end)).to.match(/gebruikelijke hulp|€21,80/);
    expect(all(end)).to.match(/2026/);
    for (const reply of end) expect(wmoTopic(reply).topic).to.equal('huishoudelijke-hulp');
    const bye = await turn(client, 'Nee, dank u', /terugkomen/);
    expect(bye.length).to.be.greaterThan(0);
  });

  it('mantelzorg: heavy care leads to a consultant today', async () => {
    const client = await connect('GM0402');
    await turn(client, 'Mantelzorg', /Voor wie/);
    await turn(client, 'moeder', /Hoeveel uur/);
    await turn(client, 'Meer dan 20 uur', /Hoe zwaar/);
    const offer = await turn(client, 'Te zwaar', /vandaag of zo snel mogelijk/);
    expect(all(offer)).to.match(/niet alleen/);
    const contact = await turn(client, 'ja', /Waar wilt u meer over weten/);
    expect(contact.map(cardText).join('\n')).to.match(/Telefoon: /);
    expect(all(contact), 'a contact is shown once: in the card, not also in the text').not.to.match(/Telefoon: /);
    const waardering = await turn(client, 'Mantelzorgwaardering', /nog iets anders/);
    expect(all(waardering)).to.match(/Hilversum bedankt mantelzorgers/);
    await turn(client, 'Nee, dank u', /goed voor uzelf/);
  });

  it('vrijwilligerswerk: I want to volunteer, with the vrijwilligerscentrale and the vergoeding', async () => {
    const client = await connect();
    await turn(client, 'Vrijwilligerswerk', /Wat past bij u/);
    await turn(client, 'Ik wil vrijwilliger worden', /In welke gemeente/);
    await turn(client, 'Gooise Meren', /leuk om te doen/);
    await turn(client, 'Iets met ouderen', /Hoeveel tijd/);
    const centrale = await turn(client, 'Een ochtend of middag', /nog iets weten/);
    expect(all(centrale)).to.match(/vrijwilligerscentrale/i);
    const vergoeding = await turn(client, 'vergoeding', /nog iets weten/);
    expect(all(vergoeding)).to.match(/2025[\s\S]*€5,60/);
    await turn(client, 'klaar', /Succes!/);
  });

  it('melding: stored with a reference, the BSN removed and the resident told why', async () => {
    const dataDir = fixture.server.dataDir;
    const client = await connect('GM0406');
    await turn(client, 'Ik wil een melding doen', /Waar gaat uw melding over/);
    await turn(client, 'Hulp in het huishouden', /eigen woorden/);
    const story = await turn(client, 'Ik kan niet meer stofzuigen. Mijn BSN is 111222333.', /geprobeerd/);
    expect(all(story)).to.match(/Ik heb uw BSN weggehaald\. Dat hoeft hier niet\./);
    await turn(client, 'niets', /Met wie woont u/);
    await turn(client, 'alleen', /Hoe snel/);
    await turn(client, '1', /Mag ik deze melding/);
    await turn(client, 'ja', /Hoe wilt u/);
    await turn(client, 'E-mail', /e-mailadres/);
    const done = await turn(client, 'inwoner@example.nl', /WMO-2026-/);
    const reference = /WMO-2026-[A-Z0-9]{6}/.exec(all(done))![0];
    expect(all(done)).to.match(/6 weken/);
    for (const reply of done) expect(wmoTopic(reply).topic).to.equal('wmo-melding');

    const files = await listFiles(dataDir);
    // A write still in flight may have renamed its temp file meanwhile; the file it became is listed too.
    const stored = await Promise.all(files.map((f) => readFile(f, 'utf8').catch(() => '')));
    expect(stored.some((bytes) => bytes.includes(reference)), 'the melding is stored').to.equal(true);
    for (const bytes of stored) expect(bytes).not.to.contain('111222333');
  });

  it('safety interrupts a running flow: the number first, then a person; the flow goes on', async () => {
    const client = await connect('GM0406');
    await turn(client, 'Mantelzorg', /Voor wie/);
    const safety = await turn(client, 'Mijn man slaat me', /medewerker/);
    expect(safety[0].text).to.match(/^Bel Veilig Thuis: 0800-2000/);
    expect(wmoTopic(safety[0]).topic).to.equal('veiligheid');
    const back = await turn(client, 'Verder met mantelzorg', /Voor wie/);
    expect(wmoTopic(back[back.length - 1]).topic).to.equal('mantelzorg');
  });
});

describe('protocol: a restart in the middle of a flow', function () {
  this.timeout(60_000);
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wmo-restart-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the resident continues where they were, on a new server over the same DATA_DIR', async () => {
    const first = await startTestServer({ dataDir });
    // Tokens are signed with a key kept in DATA_DIR, so the same token works after the restart.
    const { conversationId, token } = await fetchToken(first.url);
    const client = await DirectLineTestClient.connect(first.url, { webSocket: false, conversationId, token });
    await turn(client, 'Mantelzorg', /Voor wie/);
    await turn(client, 'Mijn partner', /Hoeveel uur/);
    client.end();
    await first.close();

    const second = await startTestServer({ dataDir });
    try {
      const resumed = await DirectLineTestClient.connect(second.url, { webSocket: false, conversationId, token });
      try {
        const replies = await turn(resumed, '8 tot 20 uur', /Hoe zwaar/);
        expect(wmoTopic(replies[replies.length - 1]).topic).to.equal('mantelzorg');
      } finally {
        resumed.end();
      }
    } finally {
      await second.close();
    }
  });
});

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out;
}
