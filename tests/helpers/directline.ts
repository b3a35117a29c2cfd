import type { Activity } from 'botbuilder';
import directLineJs from 'botframework-directlinejs';
import { WebSocket } from 'ws';
import XMLHttpRequest from 'xhr2';
import { startTestServer, type TestServer } from './server.js';

// botframework-directlinejs is written for browsers: give it XMLHttpRequest and WebSocket in Node.
const globals = globalThis as Record<string, unknown>;
globals.XMLHttpRequest ??= XMLHttpRequest;
globals.WebSocket ??= WebSocket;
const { DirectLine } = directLineJs;

export interface ClientOptions {
  /** WebSocket stream (default) or polling. */
  webSocket?: boolean;
  /** Resume a conversation from a watermark. */
  conversationId?: string;
  watermark?: string;
  token?: string;
  userId?: string;
}

/** The official Direct Line client, driven the way Web Chat drives it. */
export class DirectLineTestClient {
  readonly received: Activity[] = [];
  private waiters: Array<() => void> = [];

  private constructor(
    readonly directLine: InstanceType<typeof DirectLine>,
    readonly userId: string,
  ) {
    directLine.activity$.subscribe({
      next: (activity) => {
        this.received.push(activity as Activity);
        for (const wake of this.waiters) wake();
      },
      // end() makes the client raise "conversation ended"; the test has finished with it by then.
      error: () => undefined,
    });
  }

  static async connect(baseUrl: string, options: ClientOptions = {}): Promise<DirectLineTestClient> {
    const token = options.token ?? (await fetchToken(baseUrl)).token;
    const directLine = new DirectLine({
      token,
      domain: `${baseUrl}/v3/directline`,
      webSocket: options.webSocket ?? true,
      pollingInterval: 200,
      conversationId: options.conversationId,
      watermark: options.watermark,
    });
    const userId = options.userId ?? 'inwoner-test';
    directLine.setUserId(userId);
    return new DirectLineTestClient(directLine, userId);
  }

  get conversationId(): string {
    return (this.directLine as unknown as { conversationId: string }).conversationId;
  }

  /** Post a message (or any activity) as the resident; resolves with the activity id. */
  send(textOrActivity: string | Partial<Activity>): Promise<string> {
    const activity =
      typeof textOrActivity === 'string'
        ? { type: 'message', text: textOrActivity, from: { id: this.userId, name: '' } }
        : { from: { id: this.userId, name: '' }, ...textOrActivity };
    return new Promise((resolve, reject) => {
      this.directLine.postActivity(activity as never).subscribe({ next: resolve, error: reject });
    });
  }

  /** Wait until an activity matching the predicate has arrived (searching from index `from`). */
  async waitFor(predicate: (activity: Activity) => boolean, from = 0, timeoutMs = 10_000): Promise<Activity> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.slice(from).find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = this.received.map((a) => `${a.from?.role}:${a.type}:${(a.text ?? a.name ?? '').slice(0, 60)}`);
        throw new Error(`Timed out waiting for an activity. Received so far:\n${seen.join('\n')}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiters = [];
    }
  }

  /** Send a message and wait for the first bot message that replies to it. */
  async ask(text: string, timeoutMs = 10_000): Promise<Activity> {
    const id = await this.send(text);
    return this.waitFor((a) => a.from?.role === 'bot' && a.type === 'message' && a.replyToId === id, 0, timeoutMs);
  }

  /** All bot messages that reply to the given activity id. */
  repliesTo(id: string): Activity[] {
    return this.received.filter((a) => a.from?.role === 'bot' && a.replyToId === id);
  }

  end(): void {
    this.directLine.end();
  }
}

export async function fetchToken(baseUrl: string): Promise<{ conversationId: string; token: string; expires_in: number }> {
  const response = await fetch(`${baseUrl}/api/directline/token`, { method: 'POST' });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  return (await response.json()) as { conversationId: string; token: string; expires_in: number };
}

/**
 * A server for the enclosing describe block, and Direct Line clients on it that are all ended
 * when the block is done. Call it inside describe().
 */
export function useDirectLineServer(): { readonly server: TestServer; connect(options?: ClientOptions): Promise<DirectLineTestClient> } {
  const clients: DirectLineTestClient[] = [];
  let server: TestServer | undefined;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    for (const client of clients) client.end();
    await server?.close();
  });
  return {
    get server(): TestServer {
      if (!server) throw new Error('useDirectLineServer: the server starts in before()');
      return server;
    },
    async connect(options: ClientOptions = {}): Promise<DirectLineTestClient> {
      const client = await DirectLineTestClient.connect(this.server.url, options);
      clients.push(client);
      return client;
    },
  };
}
