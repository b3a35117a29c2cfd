/**
 * The handoff on one instance, through the real server on loopback:
 *  - claim-to-first-message: an employee claims, the resident (official Direct Line client,
 *    WebSocket) sees "… neemt het gesprek over" and answers at once, and the answer arrives on the
 *    employee's push stream (Server-Sent Events); and the resident → employee relay alone;
 *  - capacity: many waiting conversations (listing them, joining one more, claiming the first so
 *    all others hear their new place) and many open console streams (one resident message fanned
 *    out to all), with the memory they take. The console clients run in this same process.
 * Run alone (bench/run.ts does not include it): node --disable-warning=DEP0111 --import tsx bench/handoff.ts
 */
import { fileURLToPath } from 'node:url';
import { DirectLineTestClient } from '../tests/helpers/directline.js';
import { startTestServer, type TestServer } from '../tests/helpers/server.js';
import { addStaff, appOf, ConsoleClient } from '../tests/handoff/console-client.js';
import type { HandoffCase } from '../bot/handoff/types.js';
import { percentile } from './stats.js';

const LATENCY_ROUNDS = 20;
const WAITING = Number(process.env.BENCH_WAITING ?? 1000);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 2000);

const SECRET = 'bench-direct-line-secret';

/**
 * A resident over plain Direct Line HTTP who asks for a person and consents (each POST waits for
 * the turn). Tokens come from the server-to-server endpoint: the page's one is throttled per address.
 */
async function queueResident(server: TestServer, i: number, residents: Map<string, (text: string) => Promise<void>>): Promise<void> {
  const generated = await fetch(`${server.url}/v3/directline/tokens/generate`, { method: 'POST', headers: { Authorization: `Bearer ${SECRET}` } });
  const session = (await generated.json()) as { conversationId: string; token: string };
  const url = `${server.url}/v3/directline/conversations/${session.conversationId}/activities`;
  const headers = { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' };
  const from = { id: `bench-${i}` };
  residents.set(session.conversationId, async (text) => {
    await fetch(url, { method: 'POST', headers, body: JSON.stringify({ type: 'message', text, from }) });
  });
  for (const activity of [
    { type: 'event', name: 'webchat/join', value: { gemeente: 'GM0406' }, from },
    { type: 'message', text: 'medewerker', from },
    { type: 'message', text: 'Ja, verbind mij door', from },
  ]) {
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(activity) });
    if (!response.ok) throw new Error(`Direct Line ${response.status}`);
  }
}

async function inBatches(count: number, size: number, work: (i: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < count; start += size) {
    await Promise.all(Array.from({ length: Math.min(size, count - start) }, (_, k) => work(start + k)));
  }
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

export async function benchHandoff(): Promise<Record<string, number>> {
  const server = await startTestServer({ handoffWaitMinutes: 600, directLineSecret: SECRET });
  const clients: DirectLineTestClient[] = [];
  const consoles: ConsoleClient[] = [];
  try {
    await addStaff(server, 'anna', 'medewerker', ['GM0406'], 'Anna');
    const anna = await ConsoleClient.login(server.url, 'anna');
    consoles.push(anna);
    await anna.ok('POST', '/loket/api/availability', { available: true });
    await anna.openStream();

    // 1. Claim → intro at the resident → resident answers → answer on the employee's push stream.
    const claimToFirst: number[] = [];
    const relay: number[] = [];
    for (let round = 0; round < LATENCY_ROUNDS; round++) {
      const client = await DirectLineTestClient.connect(server.url, { userId: `latency-${round}` });
      clients.push(client);
      await client.send({ type: 'event', name: 'webchat/join', value: { gemeente: 'GM0406' } });
      await client.send('medewerker');
      await client.send('Ja, verbind mij door');
      await client.waitFor((a) => /wachtrij/.test(a.text ?? ''));
      const { handoffs } = (await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: Array<{ id: string; status: string }> };
      const id = handoffs.find((h) => h.status === 'waiting')!.id;
      const mark = anna.events.length;
      const seen = client.received.length;
      const t0 = performance.now();
      await anna.ok('POST', `/loket/api/handoffs/${id}/claim`);
      await client.waitFor((a) => /neemt het gesprek over/.test(a.text ?? ''), seen);
      await client.send(`Goedemorgen ${round}`);
      await anna.waitForEvent((e) => e.type === 'message' && (e.data.entry as { text: string }).text === `Goedemorgen ${round}`, mark);
      claimToFirst.push(performance.now() - t0);
      const mark2 = anna.events.length;
      const t1 = performance.now();
      await client.send(`Nog een vraag ${round}`);
      await anna.waitForEvent((e) => e.type === 'message' && (e.data.entry as { text: string }).text === `Nog een vraag ${round}`, mark2);
      relay.push(performance.now() - t1);
      await anna.ok('POST', `/loket/api/handoffs/${id}/close`, { outcome: 'geholpen' });
      client.end();
    }

    // 2. Many waiting conversations.
    const rssBefore = process.memoryUsage().rss;
    const t2 = performance.now();
    const residents = new Map<string, (text: string) => Promise<void>>();
    await inBatches(WAITING, 20, (i) => queueResident(server, i, residents));
    const queueSeconds = (performance.now() - t2) / 1000;
    const listTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      const { handoffs } = (await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: unknown[] };
      listTimes.push(performance.now() - t);
      if (handoffs.length !== WAITING) throw new Error(`expected ${WAITING} waiting, listed ${handoffs.length}`);
    }
    const t3 = performance.now();
    await queueResident(server, WAITING, residents);
    const joinAtCapacity = performance.now() - t3;

    // 3. Many open console streams: one event reaches them all.
    const viewers = await Promise.all(Array.from({ length: STREAMS }, () => Promise.resolve(new ConsoleClient(server.url))));
    for (const viewer of viewers) {
      viewer.cookie = anna.cookie;
      viewer.csrf = anna.csrf;
      consoles.push(viewer);
    }
    await inBatches(viewers.length, 50, (i) => viewers[i].openStream());
    // Claiming the first: everyone behind hears their new place, after the claim has answered.
    const { handoffs } = (await anna.ok('GET', '/loket/api/handoffs')) as { handoffs: Array<{ id: string }> };
    const t4 = performance.now();
    await anna.ok('POST', `/loket/api/handoffs/${handoffs[0].id}/claim`);
    const claimAtCapacity = performance.now() - t4;
    const claimed = await appOf(server).handoff.records.get<HandoffCase>(`handoff/case/${handoffs[0].id}`);
    const say = residents.get(claimed!.reference.conversation!.id)!;
    const marks = viewers.map((v) => v.events.length);
    const t5 = performance.now();
    await say('Bent u er nog?');
    await Promise.all(viewers.map((v, i) => v.waitForEvent((e) => e.type === 'message' && e.data.handoffId === handoffs[0].id, marks[i], 60_000)));
    const fanOut = performance.now() - t5;

    return {
      'claim → resident sees it → answers → on push stream, median (ms)': percentile(claimToFirst, 50),
      'claim → first message on push stream, p95 (ms)': percentile(claimToFirst, 95),
      'resident message → employee push stream, median (ms)': percentile(relay, 50),
      'waiting conversations held': WAITING + 1,
      'queueing them (3 Direct Line turns each), per second': WAITING / queueSeconds,
      'GET /loket/api/handoffs with them waiting, median (ms)': percentile(listTimes, 50),
      'joining the queue as one more, (ms)': joinAtCapacity,
      'claim with them all waiting (they hear their new place afterwards) (ms)': claimAtCapacity,
      'open console streams held': STREAMS + 1,
      'a resident message to every stream (ms)': fanOut,
      'resident set size growth for queue and streams (MB)': mb(process.memoryUsage().rss - rssBefore),
      'resident set size now (MB)': mb(process.memoryUsage().rss),
    };
  } finally {
    for (const c of clients) c.end();
    for (const c of consoles) c.closeStream();
    await server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.table(await benchHandoff());
}
