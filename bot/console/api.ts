/**
 * The staff console: the page at /loket and its JSON API under /loket/api/, which the page
 * itself uses. Sign-in sets an HttpOnly, SameSite=Strict session cookie and answers with a CSRF
 * token that every state-changing call sends back in `x-csrf-token`. Sessions live in the
 * storage layer (a restart keeps staff signed in) and expire when idle. Nothing but the sign-in
 * and the page's own static files answers without a session, and an employee sees and acts on
 * the conversations of their own municipalities only (a beheerder: all).
 * Errors are `{ "error": { "code", "message" } }`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response, Server } from 'restify';
import type { Storage, StoreItem } from 'botbuilder';
import { MeldingStore, type Melding } from '../../dialogs/meldingen.js';
import type { Logger } from '../logger.js';
import { SharedEventFeed } from './feed.js';
import { webDir } from '../paths.js';
import { Records, Refused, withoutETag } from '../handoff/records.js';
import type { HandoffService } from '../handoff/service.js';
import { OUTCOMES, type HandoffCase, type HandoffEvent, type Outcome } from '../handoff/types.js';
import { servesGemeente, viewOf, type StaffAccount, type StaffStore } from '../staff/accounts.js';

export const COOKIE = 'loket_sessie';
const HINT_COOKIE = 'loket_ingelogd';
const MAX_TEXT = 4000;
const HEARTBEAT_MS = 20_000;

interface Session {
  username: string;
  csrf: string;
  createdAt: string;
  lastSeen: string;
}

export interface ConsoleDeps {
  handoff: HandoffService;
  staff: StaffStore;
  storage: Storage;
  logger: Logger;
  idleMinutes: number;
  /** Set the cookie's Secure flag (the console is served over https behind the proxy). */
  secureCookie: boolean;
  now?: () => Date;
  /** Storage shared with other instances: the streams hear their handoff events too (feed.ts). */
  shared?: { pollMs: number };
}

/** The open console streams, for shutdown and for the benchmark's figures. */
export interface ConsoleHandle {
  readonly streams: number;
  /** The session check, for routes mounted beside the console's (the beheerder's insight routes). */
  authenticate(req: Request, changes: boolean): Promise<{ account: StaffAccount }>;
  /** End the streams; on shared storage, after the events still being shared are written. */
  close(): Promise<void> | undefined;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

const sessionKey = (token: string) => `staff/session/${createHash('sha256').update(token).digest('hex')}`;
const loketDir = join(webDir, 'loket');
const STATIC: Record<string, { file: string; type: string }> = {
  '/loket': { file: join(loketDir, 'index.html'), type: 'text/html; charset=utf-8' },
  '/loket/': { file: join(loketDir, 'index.html'), type: 'text/html; charset=utf-8' },
  '/loket/app.js': { file: join(loketDir, 'app.js'), type: 'text/javascript; charset=utf-8' },
  '/loket/styles.css': { file: join(loketDir, 'styles.css'), type: 'text/css; charset=utf-8' },
};
const SECURITY_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

export function mountConsole(server: Server, deps: ConsoleDeps): ConsoleHandle {
  const { handoff, staff, logger } = deps;
  const records = new Records(deps.storage);
  const now = deps.now ?? (() => new Date());
  const idleMs = deps.idleMinutes * 60_000;
  const streams = new Set<Response>();
  // What the streams hear: this instance's handoff events, and on shared storage the others' too.
  const feed = deps.shared ? new SharedEventFeed(deps.storage, handoff.events, { pollMs: deps.shared.pollMs, logger }) : undefined;
  const events = feed?.events ?? handoff.events;

  for (const [path, { file, type }] of Object.entries(STATIC)) {
    server.get(path, async (_req, res) => {
      res.writeHead(200, { 'Content-Type': type, ...SECURITY_HEADERS });
      createReadStream(file).pipe(res);
    });
  }

  /** The signed-in employee, or an ApiError (401 without a valid session, 403 without CSRF on a change). */
  async function authenticate(req: Request, changes: boolean): Promise<{ account: StaffAccount; session: Session; token: string }> {
    const token = readCookie(req.headers.cookie, COOKIE);
    const session = token ? await records.get<Session>(sessionKey(token)) : undefined;
    if (!token || !session) throw new ApiError(401, 'Unauthorized', 'Log eerst in.');
    if (now().getTime() - new Date(session.lastSeen).getTime() > idleMs) {
      await records.remove(sessionKey(token));
      throw new ApiError(401, 'SessionExpired', 'Uw sessie is verlopen. Log opnieuw in.');
    }
    const account = await staff.get(session.username);
    if (!account) {
      await records.remove(sessionKey(token));
      throw new ApiError(401, 'Unauthorized', 'Dit account bestaat niet meer.');
    }
    if (changes && !sameSecret(String(req.headers['x-csrf-token'] ?? ''), session.csrf)) {
      throw new ApiError(403, 'CsrfTokenMissing', 'De beveiligingscode (x-csrf-token) ontbreekt of klopt niet. Laad de pagina opnieuw.');
    }
    // Counting idleness needs a write now and then, not on every request.
    if (now().getTime() - new Date(session.lastSeen).getTime() > 15_000) {
      await records.put(sessionKey(token), { ...session, lastSeen: now().toISOString() });
      await staff.touch(account.username);
    }
    return { account, session, token };
  }

  type Handler = (req: Request, res: Response, who: { account: StaffAccount; session: Session; token: string }) => Promise<void>;
  const route = (changes: boolean, handler: Handler) => async (req: Request, res: Response) => {
    try {
      await handler(req, res, await authenticate(req, changes));
    } catch (error) {
      sendError(res, error, logger);
    }
  };
  const get = (path: string, handler: Handler) => server.get(path, route(false, handler));
  const post = (path: string, handler: Handler) => server.post(path, route(true, handler));

  const loginLimit = new LoginLimiter();
  server.post('/loket/api/login', async (req: Request, res: Response) => {
    try {
      // Each sign-in costs a scrypt hash: a flood from one address must not take the CPU.
      if (!loginLimit.take(req.socket.remoteAddress ?? '')) throw new ApiError(429, 'TooManyRequests', 'Te veel inlogpogingen. Wacht een minuut en probeer het opnieuw.');
      const body = objectBody(req);
      const username = typeof body.username === 'string' ? body.username.slice(0, 100) : '';
      const password = typeof body.password === 'string' ? body.password.slice(0, 1000) : '';
      if (!username || !password) throw new ApiError(400, 'BadArgument', 'Vul uw gebruikersnaam en wachtwoord in.');
      const result = await staff.login(username, password);
      if (!result.ok) {
        logger.info({ locked: result.locked }, 'console sign-in refused');
        if (result.locked) throw new ApiError(403, 'AccountLocked', 'Te vaak een verkeerd wachtwoord. Uw account is 15 minuten geblokkeerd.');
        throw new ApiError(401, 'InvalidCredentials', 'Gebruikersnaam of wachtwoord klopt niet.');
      }
      const token = randomBytes(32).toString('base64url');
      const session: Session = { username: result.account.username, csrf: randomBytes(32).toString('base64url'), createdAt: now().toISOString(), lastSeen: now().toISOString() };
      await records.put(sessionKey(token), session);
      const secure = deps.secureCookie ? '; Secure' : '';
      const maxAge = Math.round(idleMs / 1000) * 16;
      // The second cookie holds no secret: it only tells the page that asking for the session is worthwhile.
      res.header('Set-Cookie', [
        `${COOKIE}=${token}; Path=/loket; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`,
        `${HINT_COOKIE}=1; Path=/loket; SameSite=Strict; Max-Age=${maxAge}${secure}`,
      ]);
      res.send(200, { csrfToken: session.csrf, user: viewOf(result.account) });
    } catch (error) {
      sendError(res, error, logger);
    }
  });

  get('/loket/api/session', async (_req, res, { account, session }) => {
    res.send(200, { csrfToken: session.csrf, user: viewOf(account) });
  });

  post('/loket/api/logout', async (_req, res, { account, token }) => {
    await records.remove(sessionKey(token));
    await staff.setAvailable(account.username, false);
    res.header('Set-Cookie', [`${COOKIE}=; Path=/loket; HttpOnly; SameSite=Strict; Max-Age=0`, `${HINT_COOKIE}=; Path=/loket; SameSite=Strict; Max-Age=0`]);
    res.send(204);
  });

  post('/loket/api/availability', async (req, res, { account }) => {
    const available = objectBody(req).available;
    if (typeof available !== 'boolean') throw new ApiError(400, 'BadArgument', 'Stuur { "available": true } of { "available": false }.');
    const updated = await staff.setAvailable(account.username, available);
    res.send(200, { user: viewOf(updated) });
  });

  get('/loket/api/handoffs', async (_req, res, { account }) => {
    res.send(200, { handoffs: await handoff.list(account) });
  });

  get('/loket/api/handoffs/:id', async (req, res, { account }) => {
    res.send(200, { handoff: publicCase(await found(handoff.get(param(req, 'id'), account))) });
  });

  post('/loket/api/handoffs/:id/claim', async (req, res, { account }) => {
    res.send(200, { handoff: publicCase(await handoff.claim(param(req, 'id'), account)) });
  });

  post('/loket/api/handoffs/:id/assign', async (req, res, { account }) => {
    const to = await staff.get(String(objectBody(req).username ?? ''));
    if (!to) throw new ApiError(404, 'NotFound', 'Deze collega bestaat niet.');
    res.send(200, { handoff: publicCase(await handoff.assign(param(req, 'id'), account, to)) });
  });

  post('/loket/api/handoffs/:id/messages', async (req, res, { account }) => {
    const text = textOf(objectBody(req).text);
    res.send(200, { entry: await handoff.sendFromEmployee(param(req, 'id'), account, text) });
  });

  post('/loket/api/handoffs/:id/typing', async (req, res, { account }) => {
    await handoff.typingFromEmployee(param(req, 'id'), account);
    res.send(204);
  });

  post('/loket/api/handoffs/:id/notes', async (req, res, { account }) => {
    const text = textOf(objectBody(req).text);
    res.send(200, { handoff: publicCase(await handoff.addNote(param(req, 'id'), account, text)) });
  });

  post('/loket/api/handoffs/:id/release', async (req, res, { account }) => {
    res.send(200, { handoff: publicCase(await handoff.release(param(req, 'id'), account)) });
  });

  post('/loket/api/handoffs/:id/close', async (req, res, { account }) => {
    const outcome = objectBody(req).outcome;
    if (!OUTCOMES.includes(outcome as Outcome)) throw new ApiError(400, 'BadArgument', `Kies een uitkomst: ${OUTCOMES.join(', ')}.`);
    res.send(200, { handoff: publicCase(await handoff.close(param(req, 'id'), account, outcome as Outcome)) });
  });

  get('/loket/api/staff', async (_req, res, { account }) => {
    // Colleagues to assign to: those who share a municipality with me (a beheerder sees everyone).
    const all = await staff.list();
    const colleagues = all.filter((a) => account.rol === 'beheerder' || a.rol === 'beheerder' || a.gemeenten.some((g) => account.gemeenten.includes(g)));
    res.send(200, { staff: colleagues.map(viewOf) });
  });

  get('/loket/api/callbacks', async (_req, res, { account }) => {
    res.send(200, { callbacks: await handoff.callbacks(account) });
  });

  post('/loket/api/callbacks/:reference/done', async (req, res, { account }) => {
    res.send(200, { callback: await handoff.callbackDone(param(req, 'reference'), account) });
  });

  get('/loket/api/meldingen', async (_req, res, { account }) => {
    const list = (deps.storage as Partial<{ list(prefix: string): Promise<Array<{ value: object }>> }>).list;
    if (!list) throw new ApiError(404, 'NotAvailable', 'Meldingen zijn in deze opslag niet op te vragen.');
    const items = await list.call(deps.storage, MeldingStore.PREFIX) as Array<{ value: StoreItem }>;
    const meldingen = items
      .map(({ value }) => withoutETag<Melding>(value))
      .filter((m) => servesGemeente(account, m.gemeente))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    res.send(200, { meldingen });
  });

  /** Server-Sent Events: what changed, for this employee's municipalities; the page fetches the rest. */
  get('/loket/api/stream', async (req, res, who) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no', 'X-Content-Type-Options': 'nosniff' });
    res.write(`retry: 2000\nevent: ready\ndata: {}\n\n`);
    let account = who.account;
    const listener = (event: HandoffEvent) => {
      if (servesGemeente(account, event.gemeente)) res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    };
    events.on('event', listener);
    streams.add(res);
    const heartbeat = setInterval(() => {
      authenticate(req, false)
        .then((fresh) => {
          account = fresh.account;
          res.write(': hartslag\n\n');
        })
        .catch(() => res.end());
    }, HEARTBEAT_MS);
    heartbeat.unref();
    const done = () => {
      clearInterval(heartbeat);
      events.off('event', listener);
      streams.delete(res);
    };
    req.on('close', done);
    res.on('close', done);
  });

  // Any other path under the API: still nothing without a session, and a 404 in the API's own error shape.
  const unknown: Handler = async () => {
    throw new ApiError(404, 'NotFound', 'Deze route bestaat niet.');
  };
  get('/loket/api/*', unknown);
  post('/loket/api/*', unknown);

  return {
    get streams() {
      return streams.size;
    },
    authenticate,
    close() {
      for (const res of streams) res.end();
      streams.clear();
      return feed?.close();
    },
  };
}

/** Sign-ins per client address: a burst of 30 (a whole office behind one address at nine), then one every two seconds. */
class LoginLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private static readonly BURST = 30;
  private static readonly PER_MS = 1 / 2000;

  take(address: string): boolean {
    const now = Date.now();
    const bucket = this.buckets.get(address) ?? { tokens: LoginLimiter.BURST, at: now };
    bucket.tokens = Math.min(LoginLimiter.BURST, bucket.tokens + (now - bucket.at) * LoginLimiter.PER_MS);
    bucket.at = now;
    if (this.buckets.size >= 10_000 && !this.buckets.has(address)) this.buckets.delete(this.buckets.keys().next().value!);
    this.buckets.set(address, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/** What the console gets of a handoff: everything but the resident's channel address. */
function publicCase(c: HandoffCase): Omit<HandoffCase, 'reference' | 'embedded' | 'toldPosition'> {
  const copy: Partial<HandoffCase> = { ...c };
  delete copy.reference;
  delete copy.embedded;
  delete copy.toldPosition;
  return copy as Omit<HandoffCase, 'reference' | 'embedded' | 'toldPosition'>;
}

async function found<T>(value: Promise<T | undefined>): Promise<T> {
  const result = await value;
  if (!result) throw new ApiError(404, 'NotFound', 'Dit gesprek bestaat niet of is niet van uw gemeente.');
  return result;
}

function param(req: Request, name: string): string {
  const value = (req.params as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(value)) throw new ApiError(404, 'NotFound', 'Niet gevonden.');
  return value;
}

function objectBody(req: Request): Record<string, unknown> {
  const body = req.body as unknown;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'BadArgument', 'Stuur een JSON-object.');
  return body as Record<string, unknown>;
}

function textOf(value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) throw new ApiError(400, 'BadArgument', 'Typ eerst een bericht.');
  // eslint-disable-next-line no-control-regex
  const clean = value.toWellFormed().normalize('NFC').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '').trim();
  if (clean.length > MAX_TEXT) throw new ApiError(400, 'BadArgument', `Een bericht heeft hoogstens ${MAX_TEXT} tekens.`);
  return clean;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=') || undefined;
  }
  return undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const REFUSED_STATUS: Record<string, number> = { NotFound: 404, AlreadyClaimed: 409, NotActive: 409, NotOpen: 409, NotForThisGemeente: 403 };

function sendError(res: Response, error: unknown, logger: Logger): void {
  if (error instanceof ApiError) {
    res.send(error.status, { error: { code: error.code, message: error.message } });
  } else if (error instanceof Refused) {
    const detail = error.detail as { name?: string; username?: string } | undefined;
    res.send(REFUSED_STATUS[error.code] ?? 409, { error: { code: error.code, message: error.message, ...(detail?.name ? { heldBy: detail.name } : {}) } });
  } else {
    logger.error({ err: error }, 'console request failed');
    res.send(500, { error: { code: 'InternalError', message: 'Er ging iets mis. Probeer het opnieuw.' } });
  }
}
