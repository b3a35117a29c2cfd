/**
 * Two instances of the service, two real processes on two loopback ports, on one Azurite
 * (STORAGE=blobs) and nothing else in common (each its own DATA_DIR). A resident whose requests
 * alternate between them, as a proxy without sticky sessions sends them, keeps one conversation,
 * a guided flow and a live chat with an employee; writes at the same moment on both instances
 * are refused by eTag and retried or refused to the user, never lost.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { StaffStore } from '../../bot/staff/accounts.js';
import { BlobStorage } from '../../bot/storage/index.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { DirectLineTestClient, fetchToken } from '../helpers/directline.js';
import { repoRoot, startProcess, type ServiceProcess } from '../helpers/process.js';
import { collectPageErrors, launchChromium } from '../helpers/browser.js';
import { startRoundRobinProxy } from '../helpers/roundRobinProxy.js';
import { ConsoleClient, PASSWORD } from '../handoff/console-client.js';

const CONTAINER = 'wmo-gedeeld';
const isBotMessage = (a: Activity) => a.from?.role === 'bot' && a.type === 'message';
const sequenceOf = (id: string | undefined) => Number(String(id).split('|').pop());

/**
 * A resident on the Direct Line protocol (as Web Chat polls it) whose every request goes to the
 * next instance in turn: A, B, A, B...
 */
class AlternatingResident {
  readonly received: Activity[] = [];
  /** Which instance served each request, in order. */
  readonly served: string[] = [];
  watermark?: string;
  private turn = 0;

  constructor(
    readonly urls: string[],
    readonly conversationId: string,
    readonly token: string,
  ) {}

  next(): string {
    const url = this.urls[this.turn++ % this.urls.length];
    this.served.push(url);
    return url;
  }

  async request(method: string, path: string, body?: unknown, url = this.next()): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${url}/v3/directline${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  async post(activity: string | Record<string, unknown>, url?: string): Promise<string> {
    const body = typeof activity === 'string' ? { type: 'message', text: activity, from: { id: 'inwoner-1' } } : { from: { id: 'inwoner-1' }, ...activity };
    const { status, json } = await this.request('POST', `/conversations/${this.conversationId}/activities`, body, url);
    expect(status, JSON.stringify(json)).to.equal(200);
    return json.id as string;
  }

  /** GET activities from the watermark on the next instance, as a polling client does. */
  async poll(url?: string): Promise<Activity[]> {
    const query = this.watermark ? `?watermark=${this.watermark}` : '';
    const { status, json } = await this.request('GET', `/conversations/${this.conversationId}/activities${query}`, undefined, url);
    expect(status).to.equal(200);
    const activities = json.activities as Activity[];
    this.received.push(...activities);
    this.watermark = json.watermark as string;
    return activities;
  }

  async waitFor(predicate: (a: Activity) => boolean, from = 0, timeoutMs = 20_000): Promise<Activity> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.slice(from).find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`not received; got:\n${this.received.map((a) => `${a.from?.role}: ${a.text ?? a.type}`).join('\n')}`);
      await this.poll();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Send a message on the next instance and wait (polling both in turn) for the bot's answer that matches. */
  async say(text: string, answer: RegExp, url?: string): Promise<Activity> {
    const from = this.received.length;
    const id = await this.post(text, url);
    return this.waitFor((a) => isBotMessage(a) && a.replyToId === id && answer.test(a.text ?? ''), from);
  }
}

describe('two instances on one shared store: a resident alternating between them', function () {
  this.timeout(180_000);
  let azurite: Azurite;
  const dataDirs: string[] = [];
  const services: ServiceProcess[] = [];
  const clients: DirectLineTestClient[] = [];
  const consoles: ConsoleClient[] = [];
  let a: string;
  let b: string;

  before(async () => {
    azurite = await startAzurite();
    const shared = {
      STORAGE: 'blobs',
      BLOB_CONNECTION_STRING: azurite.connectionString,
      BLOB_CONTAINER: CONTAINER,
      DIRECTLINE_TOKEN_KEY: randomBytes(32).toString('base64'),
      SHARED_POLL_MS: '250',
      HANDOFF_WAIT_MINUTES: '30',
    };
    for (let i = 0; i < 2; i++) {
      const dataDir = await mkdtemp(join(tmpdir(), `wmo-instance-${i}-`));
      dataDirs.push(dataDir);
      services.push(startProcess({ ...shared, DATA_DIR: dataDir }));
    }
    [a, b] = await Promise.all(services.map((service) => service.url));
    // Staff accounts live in the shared store, like everything the console reads: `npm run staff`
    // writes there with the same settings (Anna), or the store is used directly (Bert).
    const cli = spawnSync(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/staff/cli.ts', 'add', 'anna', '--rol', 'medewerker', '--gemeente', 'GM0406', '--naam', 'Anna'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...shared, DATA_DIR: dataDirs[0] },
      input: `${PASSWORD}\n`,
      encoding: 'utf8',
    });
    expect(cli.stderr).to.equal('');
    expect(cli.stdout).to.match(/Account anna \(medewerker, GM0406\) is aangemaakt/);
    const staff = new StaffStore(new BlobStorage(azurite.connectionString, CONTAINER));
    await staff.add({ username: 'bert', name: 'Bert', rol: 'medewerker', gemeenten: ['GM0406'], password: PASSWORD });
  });

  after(async () => {
    for (const client of clients) client.end();
    for (const console of consoles) console.closeStream();
    for (const service of services) service.child.kill('SIGTERM');
    const codes = await Promise.all(services.map((service) => service.exited));
    await azurite?.stop();
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
    expect(codes).to.deep.equal([0, 0]);
  });

  afterEach(function () {
    // Nothing went wrong unnoticed: no error or warning in either instance's log, nothing on stderr.
    for (const service of services) {
      // (Teams is not set up here: its warning that escalations have no channel is expected.)
      const problems = service.stdout.filter((line) => {
        const entry = JSON.parse(line) as { level: number; msg: string };
        return entry.level >= 40 && !entry.msg.startsWith('teams: no escalation channel set');
      });
      expect(problems, 'warnings and errors logged').to.deep.equal([]);
      expect(service.stderr.join('')).to.equal('');
    }
  });

  it('keeps one transcript and one flow: ids and watermarks go on across instances, the welcome comes once', async () => {
    const { conversationId, token } = await fetchToken(a);
    const resident = new AlternatingResident([b, a], conversationId, token);
    // Start the conversation (B) and say which municipality (A), as Web Chat does.
    const started = await resident.request('POST', '/conversations', { user: { id: 'inwoner-1' } });
    expect(started.status).to.be.oneOf([200, 201]);
    await resident.post({ type: 'event', name: 'webchat/join', value: { gemeente: 'GM0406' } });
    await resident.waitFor((x) => isBotMessage(x) && /digitale assistent/.test(x.text ?? ''));

    // The guided flow goes on whichever instance takes the next answer (its state is in the store).
    await resident.say('Mantelzorg', /Voor wie/);
    await resident.say('Mijn partner', /Hoeveel uur/);
    await resident.say('Meer dan 8 uur per week', /./);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await resident.poll();
    await resident.poll();

    expect(new Set(resident.served)).to.deep.equal(new Set([a, b]));
    const ids = resident.received.map((x) => x.id);
    expect(new Set(ids).size, 'no activity twice, no id given twice').to.equal(ids.length);
    const sequences = ids.map(sequenceOf);
    expect(sequences, 'numbered in order, whichever instance numbered them').to.deep.equal([...sequences].sort((x, y) => x - y));
    expect(Number(resident.watermark)).to.equal(sequences.at(-1));
    expect(resident.received.filter((x) => isBotMessage(x) && /digitale assistent/.test(x.text ?? '')), 'one welcome').to.have.length(1);
    // Every message of the resident got its answer, in the order asked.
    const mine = resident.received.filter((x) => x.from?.role === 'user' && x.type === 'message');
    expect(mine.map((x) => x.text)).to.deep.equal(['Mantelzorg', 'Mijn partner', 'Meer dan 8 uur per week']);
    for (const message of mine) expect(resident.received.some((x) => isBotMessage(x) && x.replyToId === message.id), `an answer to "${message.text}"`).to.equal(true);

    // Both instances give a client from the same watermark the same (nothing new).
    const fromA = await resident.request('GET', `/conversations/${conversationId}/activities?watermark=${resident.watermark}`, undefined, a);
    const fromB = await resident.request('GET', `/conversations/${conversationId}/activities?watermark=${resident.watermark}`, undefined, b);
    expect(fromA.json).to.deep.equal({ activities: [], watermark: resident.watermark });
    expect(fromB.json).to.deep.equal({ activities: [], watermark: resident.watermark });
  });

  it('a live chat: asked for on A, claimed on B, relayed both ways whichever instance each side is on; a claim at the same moment on both is refused for one', async () => {
    const anna = await ConsoleClient.login(a, 'anna');
    const bert = await ConsoleClient.login(b, 'bert');
    consoles.push(anna, bert);
    // Anna's push stream is on A; Bert's on B.
    await anna.openStream();
    await bert.openStream();
    await anna.ok('POST', '/loket/api/availability', { available: true });
    await bert.ok('POST', '/loket/api/availability', { available: true });

    const { conversationId, token } = await fetchToken(b);
    const resident = new AlternatingResident([a, b], conversationId, token);
    await resident.post({ type: 'event', name: 'webchat/join', value: { gemeente: 'GM0406' } });
    await resident.waitFor((x) => isBotMessage(x) && /digitale assistent/.test(x.text ?? ''));
    await resident.say('Mantelzorg', /Voor wie/, b);
    await resident.say('Mijn partner', /Hoeveel uur/, a);
    await resident.say('Ik wil een medewerker spreken', /Wilt u dat\?/, a);
    const queued = await resident.say('Ja, verbind mij door', /wachtrij/, b);
    expect(queued.text).to.match(/nummer 1/);

    // Both employees hear of it, each on their own instance's stream.
    const annaQueued = await anna.waitForEvent((e) => e.type === 'queue');
    const bertQueued = await bert.waitForEvent((e) => e.type === 'queue');
    const id = annaQueued.data.handoffId as string;
    expect(bertQueued.data.handoffId).to.equal(id);
    // The employee gets the whole conversation before the handoff, whichever instance took each turn.
    const { handoffs } = (await bert.ok('GET', '/loket/api/handoffs')) as { handoffs: Array<{ id: string; topic: string; summary: string }> };
    expect(handoffs.map((h) => h.id)).to.deep.equal([id]);
    expect(handoffs[0].topic).to.equal('mantelzorg');
    expect(handoffs[0].summary).to.match(/Keuzes: Mijn partner\./);
    const before = ((await anna.ok('GET', `/loket/api/handoffs/${id}`)).handoff as { transcript: Array<{ from: string; text: string }> }).transcript;
    expect(before.filter((e) => e.from === 'inwoner').map((e) => e.text)).to.include.members(['Mantelzorg', 'Mijn partner']);

    // A resident's official Web Chat client, on a WebSocket to A, from here on.
    const web = await DirectLineTestClient.connect(a, { conversationId, token, watermark: resident.watermark, userId: 'inwoner-1' });
    clients.push(web);

    // Anna (on A) and Bert (on B) claim at the same moment: one gets it, the other is told who has it.
    const [annaClaim, bertClaim] = await Promise.all([anna.request('POST', `/loket/api/handoffs/${id}/claim`), bert.request('POST', `/loket/api/handoffs/${id}/claim`)]);
    expect([annaClaim.status, bertClaim.status].sort()).to.deep.equal([200, 409]);
    const [winner, loser, winnerName] = annaClaim.status === 200 ? [anna, bert, 'Anna'] : [bert, anna, 'Bert'];
    const refused = (annaClaim.status === 200 ? bertClaim : annaClaim).body.error as { code: string; heldBy: string };
    expect(refused).to.include({ code: 'AlreadyClaimed', heldBy: winnerName });
    const intro = new RegExp(`${winnerName} van het Wmo-loket Huizen neemt het gesprek over`);
    await resident.waitFor((x) => isBotMessage(x) && intro.test(x.text ?? ''));
    await web.waitFor((x) => isBotMessage(x) && intro.test(x.text ?? ''));
    // The resident is told once, not by both instances.
    await resident.poll();
    await resident.poll();
    expect(resident.received.filter((x) => isBotMessage(x) && /neemt het gesprek over/.test(x.text ?? ''))).to.have.length(1);

    // Resident → employee: a message on each instance reaches the winner's stream, wherever it is open.
    const mark = winner.events.length;
    await resident.post('Goedemorgen, mijn partner heeft veel zorg nodig', a);
    await resident.post('Vooral bij het douchen', b);
    for (const text of ['Goedemorgen, mijn partner heeft veel zorg nodig', 'Vooral bij het douchen']) {
      await winner.waitForEvent((e) => e.type === 'message' && (e.data.entry as { from: string; text: string }).text === text, mark);
    }
    expect(loser.events.slice(mark).filter((e) => e.type === 'message' && (e.data.entry as { text: string }).text === 'Vooral bij het douchen')).to.have.length.at.most(1);

    // Employee → resident: the employee's session works on either instance (it is in the store); sent
    // on B, the message reaches the polling resident and Web Chat's WebSocket on A.
    const fromWeb = web.received.length;
    const winnerOnB = Object.assign(new ConsoleClient(b), { cookie: winner.cookie, csrf: winner.csrf });
    await winnerOnB.ok('POST', `/loket/api/handoffs/${id}/messages`, { text: 'Dag! Hoeveel uur per week zorgt u?' });
    await resident.waitFor((x) => isBotMessage(x) && x.text === 'Dag! Hoeveel uur per week zorgt u?');
    await web.waitFor((x) => isBotMessage(x) && x.text === 'Dag! Hoeveel uur per week zorgt u?', fromWeb);

    // Six messages at the same moment, three on each instance: every one kept, numbered apart, relayed
    // (the writes that lose the eTag race are tried again on what the other wrote, not dropped).
    const at = winner.events.length;
    const burst = ['Ongeveer twintig uur', 'Soms meer', 'Ook s nachts', 'In het weekend minder', 'Mijn dochter helpt soms', 'Zij woont ver weg'];
    const ids = await Promise.all(burst.map((text, i) => resident.post(text, i % 2 ? b : a)));
    expect(new Set(ids.map(sequenceOf)).size).to.equal(burst.length);
    for (const text of burst) {
      await winner.waitForEvent((e) => e.type === 'message' && (e.data.entry as { text: string }).text === text, at);
    }
    const transcript = ((await loser.ok('GET', `/loket/api/handoffs/${id}`)).handoff as { transcript: Array<{ from: string; text: string }> }).transcript;
    const said = transcript.filter((e) => e.from === 'inwoner').map((e) => e.text);
    expect(said).to.include.members(['Goedemorgen, mijn partner heeft veel zorg nodig', 'Vooral bij het douchen', ...burst]);
    for (const text of burst) await web.waitFor((x) => x.from?.role === 'user' && x.text === text, fromWeb);

    // Hand back on the other instance: the bot is back for the resident, on both instances.
    await winner.ok('POST', `/loket/api/handoffs/${id}/release`);
    await resident.waitFor((x) => isBotMessage(x) && /weer met de digitale assistent/.test(x.text ?? ''));
    await resident.say('Wat is respijtzorg?', /respijt/i);

    // One transcript throughout: no id twice, in order.
    const seen = resident.received.map((x) => x.id);
    expect(new Set(seen).size).to.equal(seen.length);
    const sequences = seen.map(sequenceOf);
    expect(sequences).to.deep.equal([...sequences].sort((x, y) => x - y));
    const streamed = web.received.map((x) => x.id).filter((x) => !String(x).includes('.'));
    expect(new Set(streamed).size, 'nothing twice on the WebSocket either').to.equal(streamed.length);
  });
  for (const webSocket of [true, false]) {
    it(`the official Direct Line client behind a round-robin proxy (${webSocket ? 'WebSocket' : 'polling'}): a whole flow, nothing twice, nothing missing`, async () => {
      const proxy = await startRoundRobinProxy([a, b]);
      try {
        const client = await DirectLineTestClient.connect(proxy.url, { webSocket, userId: 'inwoner-2' });
        clients.push(client);
        await client.send({ type: 'event', name: 'webchat/join', value: { gemeente: 'GM0406' } });
        await client.waitFor((x) => isBotMessage(x) && /digitale assistent/.test(x.text ?? ''), 0, 20_000);
        const answer = async (text: string, expected: RegExp) => {
          const id = await client.send(text);
          await client.waitFor((x) => isBotMessage(x) && x.replyToId === id && expected.test(x.text ?? ''), 0, 20_000);
        };
        await answer('Mantelzorg', /Voor wie/);
        await answer('Mijn partner', /Hoeveel uur/);
        await answer('Wat is respijtzorg?', /respijt/i);
        await new Promise((resolve) => setTimeout(resolve, 600));
        // Both instances served this resident; the client saw each activity once, in order.
        for (const [backend, count] of proxy.counts) expect(count, backend).to.be.greaterThan(1);
        const ids = client.received.map((x) => x.id);
        expect(new Set(ids).size).to.equal(ids.length);
        const sequences = ids.map(sequenceOf);
        expect(sequences).to.deep.equal([...sequences].sort((x, y) => x - y));
        expect(client.received.filter((x) => isBotMessage(x) && /digitale assistent/.test(x.text ?? ''))).to.have.length(1);
        const echoed = client.received.filter((x) => x.from?.role === 'user' && x.type === 'message').map((x) => x.text);
        expect(echoed).to.deep.equal(['Mantelzorg', 'Mijn partner', 'Wat is respijtzorg?']);
        client.end();
      } finally {
        await proxy.close();
      }
    });
  }
  it('the official Web Chat in Chromium behind the round-robin proxy: a resident goes through a flow and notices nothing', async function () {
    const browser = await launchChromium(this);
    const proxy = await startRoundRobinProxy([a, b]);
    try {
      const page = await browser.newPage({ locale: 'nl-NL' });
      const errors: string[] = [];
      collectPageErrors(page, errors);
      await page.goto(`${proxy.url}/?gemeente=GM0406`);
      const transcript = page.locator('[role="log"]');
      await transcript.getByText(/digitale assistent/i).first().waitFor({ timeout: 20_000 });
      const input = page.getByRole('textbox').last();
      await input.fill('Mantelzorg');
      await input.press('Enter');
      await transcript.getByText(/Voor wie/).first().waitFor({ timeout: 20_000 });
      await input.fill('Mijn partner');
      await input.press('Enter');
      await transcript.getByText(/Hoeveel uur/).first().waitFor({ timeout: 20_000 });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      // Once each on screen: the welcome, the resident's own messages (Web Chat shows an activity twice when ids repeat).
      const bubbles = page.locator('#chat .webchat__bubble');
      expect(await bubbles.filter({ hasText: /digitale assistent/i }).count()).to.equal(1);
      expect(await page.locator('#chat .webchat__bubble--from-user').allInnerTexts()).to.deep.equal(['Mantelzorg', 'Mijn partner']);
      expect(await bubbles.filter({ hasText: /Voor wie/ }).count()).to.equal(1);
      expect(errors).to.deep.equal([]);
      for (const [backend, count] of proxy.counts) expect(count, backend).to.be.greaterThan(1);
    } finally {
      await browser.close();
      await proxy.close();
    }
  });
});
