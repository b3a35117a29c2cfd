/**
 * Turn benchmarks: the Wmo bot next to an echo bot on the same server (same restify app, embedded
 * Direct Line, CloudAdapter and storage; the echo bot saves conversation state too). Each bot runs
 * in its own process (bench/server.ts), both started before the first run, so the load generator
 * here costs neither of them CPU time and both see the same machine. Runs are interleaved (wmo,
 * echo, echo, wmo, …) and repeated after an unmeasured warm-up; figures are medians, ratios the
 * median of each interleaved pair's ratio.
 *
 * A resident is a Direct Line client with its conversation and connection opened during set-up,
 * as a browser holds them, and one warm-up message (so the welcome turn is not measured); each
 * bot's residents are opened once and take part in every run of their transport.
 *   polling:   POST the message (the channel answers once the turn has run), then GET the
 *              activities since the watermark: latency = until the reply is in that GET.
 *   websocket: POST the message; latency = until the first reply arrives on the stream.
 * "no pause" sends the next message as soon as the reply is there (saturation); "residents'
 * pacing" waits 1–3 s between messages, as people read and type.
 *
 *   npm run bench [-- --quick]   (bench/run.ts)
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { freePort } from '../tests/helpers/ports.js';
import { median, percentile, random } from './stats.js';

type Kind = 'wmo' | 'echo';
/** What a server process runs (bench/server.ts): `echo-dialogs` can stand in for the Wmo bot in bench/compare.ts. */
export type BotKind = Kind | 'echo-dialogs';
type Transport = 'polling' | 'websocket';

/** What residents type, in turn (each resident starts at another place); the echo bot gets the same. */
export const MESSAGES = [
  'Goedemorgen',
  'Wat is huishoudelijke hulp?',
  'Mijn moeder kan niet meer schoonmaken',
  'Wat kost dat?',
  'Hoe vraag ik dat aan?',
  'Ik zorg voor mijn vader, hij heeft dementie',
  'Wat is respijtzorg?',
  'stop',
  'Kan ik vrijwilligerswerk doen in Huizen?',
  'Wat is een keukentafelgesprek?',
  'bedankt',
];

/** The children's Direct Line secret: conversations are started server-to-server, not through the throttled page endpoint. */
const BENCH_SECRET = 'bench-directline-secret-0123456789abcdef';
/** A reply later than this means something broke; the run stops with a clear error instead of hanging. */
const REPLY_TIMEOUT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One JSON request. A kept-alive connection the server is closing just then fails with ECONNRESET
 * before the server read anything; as Node's documentation advises, such a request is sent again.
 */
function request<T>(agent: http.Agent, url: string, method: string, token: string, body?: unknown, retried = false): Promise<T> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: { Authorization: `Bearer ${token}`, ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`${method} ${url}: ${res.statusCode} ${text.slice(0, 200)}`));
          else resolve(JSON.parse(text) as T);
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (req.reusedSocket && error.code === 'ECONNRESET' && !retried) resolve(request<T>(agent, url, method, token, body, true));
      else reject(error);
    });
    req.end(payload);
  });
}

interface Usage {
  cpu: NodeJS.CpuUsage;
  rss: number;
  heapUsed: number;
  /** Garbage collection pauses so far, ms (absent from servers built before it was counted). */
  gcMs?: number;
}

/** The compiled service process (bench/server.ts). */
const SERVER_SCRIPT = fileURLToPath(new URL('../dist/bench/server.js', import.meta.url));

/** A service process (bench/server.ts) and its questions over IPC. */
export class BenchServer {
  private nextId = 0;
  private readonly waiting = new Map<number, (data: Usage) => void>();

  private constructor(
    readonly kind: BotKind,
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly dataDir: string,
  ) {
    child.on('message', (message: { id?: number } & Usage) => {
      if (message.id !== undefined) this.waiting.get(message.id)?.(message);
    });
  }

  /** `script`: another build's bench/server.js (bench/ab.ts runs an older Wmo bot next to this one). */
  static async start(kind: BotKind, port = 0, script = SERVER_SCRIPT): Promise<BenchServer> {
    const dataDir = await mkdtemp(join(tmpdir(), `wmo-bench-${kind}-`));
    const child = forkServer(kind, dataDir, port, script);
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (message: { ready?: string }) => (message.ready ? resolve(message.ready) : reject(new Error('no url'))));
      child.once('exit', (code) => reject(new Error(`the ${kind} server exited (${code}) before it was ready`)));
    });
    return new BenchServer(kind, child, url, dataDir);
  }

  private ask(cmd: 'usage' | 'gc'): Promise<Usage> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (data) => {
        this.waiting.delete(id);
        resolve(data);
      });
      this.child.send({ cmd, id });
    });
  }

  usage(): Promise<Usage> {
    return this.ask('usage');
  }

  /** Memory after a full garbage collection: what is really live. */
  collected(): Promise<Usage> {
    return this.ask('gc');
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ cmd: 'stop' });
    await exited;
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * The servers run as `npm start` runs the service: compiled JavaScript (built here with
 * tsconfig.bench.json, which adds bench/server.ts to the production build in dist/) and the
 * start script's Node flags, heap limit included. No tsx in the measured processes.
 */
async function startFlags(): Promise<string[]> {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}
export const serverFlags = await startFlags();

export function buildServers(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', fileURLToPath(new URL('../tsconfig.bench.json', import.meta.url))], { stdio: 'inherit' });
}

/**
 * BENCH_SERVER_FLAGS adds Node flags to the server processes, `{kind}` replaced by wmo or echo, e.g.
 * `--cpu-prof --cpu-prof-dir=prof/{kind}` to see where each bot's time goes.
 */
function forkServer(kind: BotKind, dataDir: string, port: number, script: string): ChildProcess {
  const extra = (process.env.BENCH_SERVER_FLAGS ?? '').replaceAll('{kind}', kind).split(/\s+/).filter(Boolean);
  return fork(script, [kind, dataDir, String(port), BENCH_SECRET], {
    execArgv: [...serverFlags, '--expose-gc', ...extra],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** One resident: a conversation, a token and (over WebSocket) an open stream. */
class Resident {
  private watermark?: string;
  private socket?: WebSocket;
  /** First reply seen on the stream, by the id of the message it answers. */
  private readonly replies = new Map<string, number>();
  private readonly wake = new Map<string, () => void>();

  private constructor(
    /** Replaceable: a later run brings its own connections. */
    public agent: http.Agent,
    private readonly base: string,
    private readonly token: string,
  ) {}

  /** `agent` holds the run's keep-alive connections (the server closes them after 5 s idle: a new run opens new ones). */
  static async open(agent: http.Agent, server: BenchServer, transport: Transport, userId: string): Promise<Resident> {
    const started = await request<{ conversationId: string; token: string; streamUrl: string }>(
      agent,
      `${server.url}/v3/directline/conversations`,
      'POST',
      BENCH_SECRET,
      { user: { id: userId } },
    );
    const resident = new Resident(agent, `${server.url}/v3/directline/conversations/${started.conversationId}/activities`, started.token);
    if (transport === 'websocket') await resident.connect(started.streamUrl);
    return resident;
  }

  private async connect(streamUrl: string): Promise<void> {
    const socket = new WebSocket(streamUrl);
    this.socket = socket;
    socket.on('message', (data: Buffer) => {
      const now = performance.now();
      if (data.length === 0) return;
      const set = JSON.parse(data.toString('utf8')) as { activities?: Array<{ replyToId?: string; from?: { role?: string } }> };
      for (const activity of set.activities ?? []) {
        if (activity.replyToId && activity.from?.role === 'bot' && !this.replies.has(activity.replyToId)) {
          this.replies.set(activity.replyToId, now);
          this.wake.get(activity.replyToId)?.();
        }
      }
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.on('error', () => undefined); // a stream that breaks later shows as a missing reply, not a crash
  }

  /** Sends one message; resolves with the milliseconds until the resident sees the reply. */
  async say(text: string): Promise<number> {
    const t0 = performance.now();
    const { id } = await request<{ id: string }>(this.agent, this.base, 'POST', this.token, { type: 'message', text, from: { id: 'x' } });
    if (this.socket) {
      if (!this.replies.has(id)) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no reply on the stream within ${REPLY_TIMEOUT_MS} ms`)), REPLY_TIMEOUT_MS);
          this.wake.set(id, () => (clearTimeout(timer), resolve()));
        });
      }
      const at = this.replies.get(id) ?? t0;
      this.replies.delete(id);
      this.wake.delete(id);
      return at - t0;
    }
    for (;;) {
      const query = this.watermark === undefined ? '' : `?watermark=${encodeURIComponent(this.watermark)}`;
      const list = await request<{ activities: Array<{ replyToId?: string }>; watermark: string }>(this.agent, `${this.base}${query}`, 'GET', this.token);
      this.watermark = list.watermark;
      if (list.activities.some((activity) => activity.replyToId === id)) return performance.now() - t0;
      await sleep(5);
    }
  }

  /** Reads what arrived since the last message (opening this run's connection on the way). */
  async catchUp(): Promise<void> {
    const query = this.watermark === undefined ? '' : `?watermark=${encodeURIComponent(this.watermark)}`;
    const list = await request<{ watermark: string }>(this.agent, `${this.base}${query}`, 'GET', this.token);
    this.watermark = list.watermark;
  }

  close(): void {
    this.socket?.close();
  }
}

export interface RunFigures {
  p50: number;
  p95: number;
  p99: number;
  turnsPerSecond: number;
  cpuMsPerTurn: number;
  /** The part of it spent in garbage collection pauses. */
  gcMsPerTurn: number;
}

let residentCount = 0;

/** Opens `count` residents (conversation, connection, one warm-up message each), `parallel` at a time. */
async function openResidents(agent: http.Agent, server: BenchServer, transport: Transport, count: number, parallel = 50): Promise<Resident[]> {
  const residents: Resident[] = [];
  for (let i = 0; i < count; i += parallel) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(parallel, count - i) }, async () => {
        const resident = await Resident.open(agent, server, transport, `inwoner-${residentCount++}`);
        await resident.say('Hallo');
        return resident;
      }),
    );
    residents.push(...batch);
  }
  return residents;
}

/**
 * Each resident sends `turns` messages; with `pacing`, 1–3 s apart (and the first within 2 s, so
 * they do not all start at once). Each run brings its own keep-alive connections (the server
 * closes idle ones after 5 s), opened before the clock starts; WebSockets stay open between runs.
 * CPU time is the server process's own.
 */
async function run(server: BenchServer, residents: Resident[], turns: number, pacing = false): Promise<RunFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  for (const resident of residents) resident.agent = agent;
  await Promise.all(residents.map((resident) => resident.catchUp()));
  const next = random(residents.length * 7919 + turns);
  const pauses = residents.map(() => Array.from({ length: turns }, (_, k) => (k === 0 ? next() * 2000 : 1000 + next() * 2000)));
  const latencies: number[] = [];
  const before = await server.usage();
  const t0 = performance.now();
  await Promise.all(
    residents.map(async (resident, i) => {
      for (let k = 0; k < turns; k++) {
        if (pacing) await sleep(pauses[i][k]);
        latencies.push(await resident.say(MESSAGES[(i + k) % MESSAGES.length]));
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const after = await server.usage();
  agent.destroy();
  const cpuMs = (after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / 1000;
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    turnsPerSecond: latencies.length / seconds,
    cpuMsPerTurn: cpuMs / latencies.length,
    gcMsPerTurn: ((after.gcMs ?? Number.NaN) - (before.gcMs ?? Number.NaN)) / latencies.length,
  };
}

export interface Scenario {
  name: string;
  transport: Transport;
  concurrency: number;
  turns: number;
  pacing?: boolean;
}

export interface Comparison {
  scenario: Scenario;
  wmo: RunFigures;
  echo: RunFigures;
  cpuRatio: number;
  p50Ratio: number;
}

const FIGURES: Array<keyof RunFigures> = ['p50', 'p95', 'p99', 'turnsPerSecond', 'cpuMsPerTurn', 'gcMsPerTurn'];

function medianFigures(runs: RunFigures[]): RunFigures {
  return Object.fromEntries(FIGURES.map((figure) => [figure, median(runs.map((r) => r[figure]))])) as unknown as RunFigures;
}

/**
 * Every scenario on both bots, `repeats` times, interleaved: the order alternates (wmo first, then
 * echo first) so drift in the machine's load hits both alike.
 */
export async function compare(scenarios: Scenario[], repeats: number, servers: Record<Kind, BenchServer>): Promise<Comparison[]> {
  // Set-up: each bot's residents for each transport, as many as the largest scenario needs.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const pools = {} as Record<Kind, Record<Transport, Resident[]>>;
  for (const kind of ['wmo', 'echo'] as const) {
    pools[kind] = { polling: [], websocket: [] };
    for (const transport of ['polling', 'websocket'] as const) {
      const largest = Math.max(0, ...scenarios.filter((s) => s.transport === transport).map((s) => s.concurrency));
      pools[kind][transport] = await openResidents(agent, servers[kind], transport, largest);
      // Unmeasured: the JIT compiles the hot paths and the caches fill, as in a server that has run a while.
      await run(servers[kind], pools[kind][transport].slice(0, 50), 4);
    }
  }
  agent.destroy();
  const runs = scenarios.map(() => ({ wmo: [] as RunFigures[], echo: [] as RunFigures[] }));
  for (let r = 0; r < repeats; r++) {
    for (const [s, scenario] of scenarios.entries()) {
      const order: Kind[] = (r + s) % 2 === 0 ? ['wmo', 'echo'] : ['echo', 'wmo'];
      for (const kind of order) {
        const residents = pools[kind][scenario.transport].slice(0, scenario.concurrency);
        runs[s][kind].push(await run(servers[kind], residents, scenario.turns, scenario.pacing));
      }
    }
  }
  for (const resident of Object.values(pools).flatMap((pool) => [...pool.polling, ...pool.websocket])) resident.close();
  return scenarios.map((scenario, s) => {
    const { wmo, echo } = runs[s];
    return {
      scenario,
      wmo: medianFigures(wmo),
      echo: medianFigures(echo),
      cpuRatio: median(wmo.map((w, r) => w.cpuMsPerTurn / echo[r].cpuMsPerTurn)),
      p50Ratio: median(wmo.map((w, r) => w.p50 / echo[r].p50)),
    };
  });
}

/** The scenarios of issue 12: 1, 50 and 200 residents over both transports, and 200 at residents' pacing. */
export function scenarios(quick: boolean): Scenario[] {
  const list: Scenario[] = [];
  for (const transport of ['polling', 'websocket'] as const) {
    list.push({ name: `${transport}, 1 resident, no pause`, transport, concurrency: 1, turns: quick ? 20 : 40 });
    list.push({ name: `${transport}, 50 residents, no pause`, transport, concurrency: 50, turns: quick ? 3 : 6 });
    list.push({ name: `${transport}, 200 residents, no pause`, transport, concurrency: 200, turns: quick ? 2 : 4 });
  }
  list.push({ name: 'polling, 200 residents, 1–3 s pauses', transport: 'polling', concurrency: 200, turns: quick ? 3 : 4, pacing: true });
  return list;
}

/**
 * Memory with many conversations, and whether a turn costs more when many are stored: one
 * server gets `many` residents (each a conversation with its welcome and one message, kept open
 * in the channel and stored on disk), another only 100; then 50 of each server's residents send
 * the same messages, interleaved.
 */
export async function manyConversations(many: number, repeats: number): Promise<{ many: number; rssAtStart: number; rss: number; rssAfterGc: number; heapAfterGc: number; few: RunFigures; lots: RunFigures }> {
  const lots = await BenchServer.start('wmo');
  const few = await BenchServer.start('wmo');
  try {
    const { rss: rssAtStart } = await lots.usage();
    const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
    // The runs below talk to residents opened here: the channel holds at most 10,000 conversations.
    const lotsResidents = (await openResidents(agent, lots, 'polling', many, 100)).slice(0, 50);
    const fewResidents = (await openResidents(agent, few, 'polling', 100, 100)).slice(0, 50);
    agent.destroy();
    const { rss } = await lots.usage();
    const collected = await lots.collected();
    const runs = { few: [] as RunFigures[], lots: [] as RunFigures[] };
    for (let r = 0; r < repeats; r++) {
      for (const which of r % 2 === 0 ? (['few', 'lots'] as const) : (['lots', 'few'] as const)) {
        runs[which].push(await run(which === 'few' ? few : lots, which === 'few' ? fewResidents : lotsResidents, 4));
      }
    }
    return { many, rssAtStart, rss, rssAfterGc: collected.rss, heapAfterGc: collected.heapUsed, few: medianFigures(runs.few), lots: medianFigures(runs.lots) };
  } finally {
    await Promise.all([lots.stop(), few.stop()]);
  }
}

/** From starting the process to the first 200 on /healthz. */
async function startUpMs(kind: Kind): Promise<number> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), `wmo-bench-start-${kind}-`));
  const t0 = performance.now();
  const child = forkServer(kind, dataDir, port, SERVER_SCRIPT);
  try {
    for (;;) {
      const ok = await new Promise<boolean>((resolve) => {
        const req = http.get(`http://127.0.0.1:${port}/healthz`, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        });
        req.on('error', () => resolve(false));
      });
      if (ok) return performance.now() - t0;
      await sleep(10);
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send({ cmd: 'stop' });
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Start-up time of both bots, interleaved, after one untimed start each (the operating system's file cache). */
export async function startUp(repeats: number): Promise<Record<Kind, number>> {
  await startUpMs('wmo');
  await startUpMs('echo');
  const times: Record<Kind, number[]> = { wmo: [], echo: [] };
  for (let r = 0; r < repeats; r++) {
    for (const kind of r % 2 === 0 ? (['wmo', 'echo'] as const) : (['echo', 'wmo'] as const)) times[kind].push(await startUpMs(kind));
  }
  return { wmo: median(times.wmo), echo: median(times.echo) };
}

