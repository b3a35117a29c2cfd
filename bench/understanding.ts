/**
 * Benchmark of topic understanding: training time at start-up and the time of one
 * router.understand() call.
 *
 *   npx tsx bench/understanding.ts
 *
 * Messages are the training utterances with one letter pair swapped in one word, so most contain a
 * word the analyzer has not seen before (typo correction is the expensive part of analyze()).
 */
import { pathToFileURL } from 'node:url';
import { TopicRouter } from '../knowledge/understanding/router.js';
import { loadTrainingExamples } from '../knowledge/understanding/training.js';
import { percentile } from './stats.js';

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

export async function benchUnderstanding(): Promise<Record<string, number>> {
  const examples = loadTrainingExamples();
  const started = performance.now();
  const router = await TopicRouter.create();
  const training = performance.now() - started;

  const next = random(42);
  const messages = Array.from({ length: 3000 }, (_, i) => withTypo(examples[i % examples.length].text, next));
  for (const m of messages.slice(0, 300)) router.understand(m); // warm up the JIT
  const times: number[] = [];
  for (const m of messages) {
    const t = performance.now();
    router.understand(m);
    times.push(performance.now() - t);
  }
  return {
    'training utterances': examples.length,
    'router training (ms)': Math.round(training),
    'understand median (ms)': percentile(times, 50),
    'understand p99 (ms)': percentile(times, 99),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchUnderstanding();
  for (const [label, value] of Object.entries(figures)) {
    console.log(`${label}: ${Number.isInteger(value) ? value : value.toFixed(3)}`);
  }
}
