/**
 * Benchmark of topic understanding: training time at start-up and the time of one
 * router.understand() call,
 * median of three runs of 3,000 calls after a warm-up of 6,000.
 *
 *   npx tsx bench/understanding.ts
 *
 * Messages are the training utterances with one letter pair swapped in one word, so most contain a
 * word the analyzer has not seen before (typo correction is the expensive part of analyze()).
 */
import { pathToFileURL } from 'node:url';
import { TopicRouter } from '../knowledge/understanding/router.js';
import { loadTrainingExamples } from '../knowledge/understanding/training.js';
import { PerformanceObserver } from 'node:perf_hooks';
import { median, percentile } from './stats.js';

/** Deterministic pseudo-random numbers, so every run measures the same messages. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function withTypo(text: string, next: () => number): string {
  const words = text.split(' ');
  const i = Math.floor(next() * words.length);
  const w = words[i];
  if (w.length >= 4) {
    const j = 1 + Math.floor(next() * (w.length - 2));
    words[i] = w.slice(0, j) + w[j + 1] + w[j] + w.slice(j + 2);
  }
  return words.join(' ');
}

/** Runs of the measurement; its figures are the median over them. */
const RUNS = 3;

/**
 * Times every call by the wall clock and by the process's CPU time, and notes which calls a garbage
 * collection ran during (V8 reports each GC with its start and duration). Measured on the shared
 * 2-core machine (load average 8–15): the wall-clock p99 jumped between 2.4 and 9.6 ms from run to
 * run, hardly less without the 4 calls in 3,000 that a GC ran in, while the CPU-time p99 stayed at
 * 0.27–0.35 ms. The jumps are the operating system giving the core to other processes in the middle
 * of a call, not the router and not GC; the goal (p99 ≤ 1 ms) is checked on the CPU time.
 */
interface Measurement {
  wall: number[];
  cpu: number[];
  withoutGc: number[];
  gcCount: number;
  gcMs: number;
}

async function measure(router: TopicRouter, messages: string[]): Promise<Measurement> {
  const gcs: Array<{ start: number; end: number }> = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push({ start: entry.startTime, end: entry.startTime + entry.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const spans: Array<{ start: number; end: number }> = [];
  const cpu: number[] = [];
  for (const m of messages) {
    const c = process.cpuUsage();
    const start = performance.now();
    router.understand(m);
    const end = performance.now();
    const used = process.cpuUsage(c);
    spans.push({ start, end });
    cpu.push((used.user + used.system) / 1000);
  }
  await new Promise((resolve) => setTimeout(resolve, 50)); // GC entries arrive asynchronously
  observer.disconnect();
  const wall = spans.map((span) => span.end - span.start);
  const withoutGc = spans.filter((span) => !gcs.some((gc) => gc.start < span.end && gc.end > span.start)).map((span) => span.end - span.start);
  return { wall, cpu, withoutGc, gcCount: gcs.length, gcMs: gcs.reduce((sum, gc) => sum + gc.end - gc.start, 0) };
}

export async function benchUnderstanding(): Promise<Record<string, number>> {
  const examples = loadTrainingExamples();
  const started = performance.now();
  const router = await TopicRouter.create();
  const training = performance.now() - started;

  const next = random(42);
  const messages = Array.from({ length: 3000 }, (_, i) => withTypo(examples[i % examples.length].text, next));
  for (let round = 0; round < 2; round++) for (const m of messages) router.understand(m); // warm up the JIT and the caches
  const runs: Measurement[] = [];
  for (let r = 0; r < RUNS; r++) runs.push(await measure(router, messages));
  const mid = (pick: (run: Measurement) => number) => median(runs.map(pick));
  return {
    'training utterances': examples.length,
    'router training (ms)': Math.round(training),
    'understand median (ms)': mid((run) => percentile(run.wall, 50)),
    'understand p99, wall clock (ms)': mid((run) => percentile(run.wall, 99)),
    'understand p99, wall clock, calls without a GC (ms)': mid((run) => percentile(run.withoutGc, 99)),
    'understand p99, CPU time (ms)': mid((run) => percentile(run.cpu, 99)),
    'calls a GC ran in, of 3,000': mid((run) => run.wall.length - run.withoutGc.length),
    'GC pauses per 3,000 calls, total (ms)': mid((run) => run.gcMs),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchUnderstanding();
  for (const [label, value] of Object.entries(figures)) {
    console.log(`${label}: ${Number.isInteger(value) ? value : value.toFixed(3)}`);
  }
}
