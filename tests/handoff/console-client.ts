/**
 * An employee's side, the way the console page drives it: the JSON API with the session cookie
 * and the CSRF token, and the Server-Sent Events stream read as it arrives.
 */
import type { RunningApp } from '../../bot/app.js';
import type { Rol } from '../../bot/staff/accounts.js';
import type { TestServer } from '../helpers/server.js';

export const PASSWORD = 'een-lang-wachtwoord';

export interface PushEvent {
  type: string;
  data: Record<string, unknown>;
}

export function appOf(server: TestServer): RunningApp {
  return server.app as RunningApp;
}

export async function addStaff(server: TestServer, username: string, rol: Rol, gemeenten: string[], name?: string): Promise<void> {
  await appOf(server).staff.add({ username, name: name ?? username, rol, gemeenten, password: PASSWORD });
}

export class ConsoleClient {
  cookie = '';
  csrf = '';
  readonly events: PushEvent[] = [];
  private stream?: AbortController;
  private waiters: Array<() => void> = [];

  constructor(readonly baseUrl: string) {}

  static async login(baseUrl: string, username: string, password = PASSWORD): Promise<ConsoleClient> {
    const client = new ConsoleClient(baseUrl);
    const response = await client.request('POST', '/loket/api/login', { username, password }, false);
    if (response.status !== 200) throw new Error(`login ${username}: ${response.status} ${JSON.stringify(response.body)}`);
    return client;
  }

  /** A JSON call; state-changing calls carry the CSRF token unless `csrf` is false. */
  async request(method: string, path: string, body?: unknown, csrf = true): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (csrf && this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const session = response.headers.getSetCookie().find((c) => c.startsWith('loket_sessie='));
    if (session) this.cookie = session.split(';')[0];
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (typeof parsed.csrfToken === 'string') this.csrf = parsed.csrfToken;
    return { status: response.status, body: parsed, headers: response.headers };
  }

  async ok(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await this.request(method, path, body);
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** Open the push stream and keep reading it in the background. */
  async openStream(): Promise<void> {
    this.stream = new AbortController();
    const response = await fetch(`${this.baseUrl}/loket/api/stream`, { headers: { cookie: this.cookie }, signal: this.stream.signal });
    if (response.status !== 200 || !response.body) throw new Error(`stream: ${response.status}`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const type = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (type && data) {
              this.events.push({ type, data: JSON.parse(data) as Record<string, unknown> });
              for (const wake of this.waiters.splice(0)) wake();
            }
          }
        }
      } catch {
        // aborted at the end of the test
      }
    })();
    await this.waitForEvent((e) => e.type === 'ready');
  }

  async waitForEvent(predicate: (event: PushEvent) => boolean, from = 0, timeoutMs = 10_000): Promise<PushEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such push event; got: ${this.events.map((e) => e.type).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  closeStream(): void {
    this.stream?.abort();
  }
}
