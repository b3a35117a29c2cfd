/**
 * Direct Line round trip through the real server on loopback: post a message, wait for the bot's
 * reply on the conversation (polling the activities endpoint, as a client without WebSockets does).
 * Run alone: npx tsx bench/directline.ts
 */
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../tests/helpers/server.js';
import { percentile } from './stats.js';

const CONVERSATIONS = 20;
const MESSAGES_PER_CONVERSATION = 10;

export async function benchDirectLine(): Promise<Record<string, number>> {
  const server = await startTestServer();
  try {
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, c) => {
        const session = (await (await fetch(`${server.url}/api/directline/token`, { method: 'POST' })).json()) as { conversationId: string; token: string };
        const base = `${server.url}/v3/directline/conversations/${session.conversationId}/activities`;
        const headers = { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' };
        for (let m = 0; m < MESSAGES_PER_CONVERSATION; m++) {
          const t0 = performance.now();
          const posted = (await (await fetch(base, { method: 'POST', headers, body: JSON.stringify({ type: 'message', text: `vraag ${c}-${m} over huishoudelijke hulp`, from: { id: `bench-${c}` } }) })).json()) as { id: string };
          for (;;) {
            const list = (await (await fetch(base, { headers })).json()) as { activities: Array<{ replyToId?: string }> };
            if (list.activities.some((a) => a.replyToId === posted.id)) break;
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      'directline round trip median (ms)': percentile(latencies, 50),
      'directline round trip p99 (ms)': percentile(latencies, 99),
      'directline messages per second': latencies.length / seconds,
    };
  } finally {
    await server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.table(await benchDirectLine());
}
