import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Request, Response, Server } from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import { BadActivityError, safeUserId, type DirectLineChannel } from './channel.js';
import type { Conversation } from './conversations.js';
import { RateLimiter, clientAddress, fail } from './http.js';
import type { TokenGrant } from './tokens.js';
import type { Logger } from '../logger.js';

const BASE = '/v3/directline';
const STREAM_PATH = /^\/v3\/directline\/conversations\/([A-Za-z0-9_-]{1,64})\/stream$/;
const HEARTBEAT_MS = 30_000;

type Access = { kind: 'secret' } | { kind: 'token'; grant: TokenGrant };
type Denied = { status: 401 | 403; message: string };

/** Decide what an Authorization header (or a stream's t= parameter) grants. */
function authorize(channel: DirectLineChannel, secret: string | undefined, credential: string | undefined): Access | Denied {
  if (!credential) return { status: 401, message: 'Missing Authorization: Bearer <token>.' };
  if (secret && credential === secret) return { kind: 'secret' };
  const grant = channel.tokens.verify(credential);
  if (!grant) return { status: 403, message: 'The token is invalid or has expired.' };
  return { kind: 'token', grant };
}

function bearer(req: Request | IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

function isDenied(access: Access | Denied): access is Denied {
  return 'status' in access;
}

export interface DirectLineRoutesOptions {
  channel: DirectLineChannel;
  /** Optional secret for server-to-server use (tokens/generate, starting conversations). */
  secret?: string;
  /** Public base URL (http[s]://host[:port]); derived from each request when unset. */
  publicUrl?: string;
  /** Reverse proxies whose X-Forwarded-For names the client. */
  trustedProxies?: string[];
  /** Origins besides the service's own whose pages may fetch a token. */
  allowedOrigins?: string[];
  messagesPerMinute?: number;
  streamsPerConversation?: number;
  maxRefreshes?: number;
  /** For what goes wrong outside a request's own answer (a stream that cannot be opened). */
  logger?: Logger;
}

/** A new token for a conversation (start, reconnect, refresh) counts as a refresh: at most a few in a row. */
const REFRESH_BURST = 5;
const REFRESH_PER_SECOND = 1 / 120;
// A whole guided flow clicked through quickly fits in one burst; a flood does not.
const MESSAGE_BURST = 20;

/** Mount the Direct Line 3.0 REST API and its WebSocket stream on a restify server. */
export function mountDirectLine(server: Server, options: DirectLineRoutesOptions): WebSocketServer {
  const { channel, secret, logger } = options;
  const trustedProxies = options.trustedProxies ?? [];
  const maxRefreshes = options.maxRefreshes ?? 48;
  const streamsPerConversation = options.streamsPerConversation ?? 3;
  const messages = new RateLimiter(MESSAGE_BURST, (options.messagesPerMinute ?? 30) / 60);
  const refreshes = new RateLimiter(REFRESH_BURST, REFRESH_PER_SECOND);
  // The page's token endpoint: burst 30, then 2 a second per client address.
  const tokenRequests = new RateLimiter(30, 2);

  const baseUrl = (req: Request | IncomingMessage): string => {
    if (options.publicUrl) return options.publicUrl;
    const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
    return `${secure ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
  };
  const streamUrl = (req: Request, conversation: Conversation, token: string, watermark?: string): string => {
    const url = new URL(`${baseUrl(req).replace(/^http/, 'ws')}${BASE}/conversations/${conversation.id}/stream`);
    url.searchParams.set('t', token);
    if (watermark) url.searchParams.set('watermark', watermark);
    return url.toString();
  };

  // Pages on ALLOWED_ORIGINS may run Web Chat themselves: let their browsers read our answers.
  const corsOrigins = new Set(options.allowedOrigins ?? []);
  server.pre((req: Request, res: Response, next: (proceed?: false) => void) => {
    const origin = req.headers.origin;
    const path = req.getPath();
    if (!origin || !corsOrigins.has(origin) || (path !== '/api/directline/token' && !path.startsWith(`${BASE}/`))) return next();
    res.header('Access-Control-Allow-Origin', origin);
    res.header('Vary', 'Origin');
    if (req.method !== 'OPTIONS') return next();
    res.header('Access-Control-Allow-Methods', 'GET, POST');
    res.header('Access-Control-Allow-Headers', 'Authorization, Content-Type, x-ms-bot-agent');
    res.header('Access-Control-Max-Age', '600');
    res.send(204);
    return next(false);
  });

  /**
   * Whether a browser page may ask for a token: requests without Origin (servers, curl) and
   * same-origin pages may; other sites only when listed in ALLOWED_ORIGINS.
   */
  const originAllowed = (req: Request): boolean => {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    if ((options.allowedOrigins ?? []).includes(origin)) return true;
    try {
      const own = options.publicUrl ? new URL(options.publicUrl).host : req.headers.host;
      return new URL(origin).host === own;
    } catch {
      return false; // "null" (sandboxed frames, files) or garbage
    }
  };

  /** Room for one more conversation in memory (and for this address); refuses with 429/503 otherwise. */
  const admitted = (res: Response, address?: string): boolean => {
    const admission = channel.store.admit(address);
    if (admission.ok) return true;
    fail(res, admission.status, admission.status === 503 ? 'Busy' : 'TooManyRequests', admission.message, admission.retryAfterSeconds);
    return false;
  };

  /** A new token for a token holder's conversation: counted, capped and rate limited. */
  const reissue = (res: Response, grant: TokenGrant, userId?: string): { token: string; expires_in: number } | undefined => {
    const count = (grant.refreshes ?? 0) + 1;
    if (count > maxRefreshes) {
      fail(res, 403, 'Forbidden', 'This chat has lasted too long to be extended; please start a new one.');
      return undefined;
    }
    const wait = refreshes.take(grant.conversationId);
    if (wait > 0) {
      fail(res, 429, 'TooManyRequests', 'Too many new tokens for this conversation; try again later.', wait);
      return undefined;
    }
    return channel.tokens.issue(grant.conversationId, userId ?? grant.userId, undefined, count);
  };

  /** Access to one conversation: a token for exactly it, or the secret. */
  const forConversation = async (req: Request, res: Response): Promise<{ conversation: Conversation; grant?: TokenGrant } | undefined> => {
    const access = authorize(channel, secret, bearer(req));
    if (isDenied(access)) {
      fail(res, access.status, access.status === 401 ? 'Unauthorized' : 'Forbidden', access.message);
      return undefined;
    }
    const id = String(req.params.conversationId ?? '');
    if (access.kind === 'token' && access.grant.conversationId !== id) {
      fail(res, 403, 'Forbidden', 'This token is for another conversation.');
      return undefined;
    }
    if (access.kind === 'secret') {
      const conversation = await channel.find(id);
      if (!conversation) fail(res, 404, 'NotFound', 'Unknown conversation.');
      return conversation && { conversation };
    }
    const address = clientAddress(req, trustedProxies);
    if (!channel.store.get(id) && !admitted(res, address)) return undefined;
    const { conversation } = await channel.open(id, undefined, address);
    return { conversation, grant: access.grant };
  };

  server.post('/api/directline/token', async (req: Request, res: Response) => {
    if (!originAllowed(req)) return fail(res, 403, 'Forbidden', 'Pages on this origin may not start a chat here.');
    const address = clientAddress(req, trustedProxies);
    const wait = tokenRequests.take(address);
    if (wait > 0) return fail(res, 429, 'TooManyRequests', 'Too many new chats from this address; try again shortly.', wait);
    if (!admitted(res, address)) return;
    const { conversation } = await channel.open(undefined, undefined, address);
    const { token, expires_in } = channel.tokens.issue(conversation.id);
    res.send(200, { conversationId: conversation.id, token, expires_in });
  });

  // Server-to-server: a token for a new conversation, with the Direct Line secret.
  server.post(`${BASE}/tokens/generate`, async (req, res) => {
    const access = authorize(channel, secret, bearer(req));
    if (isDenied(access) || access.kind !== 'secret') {
      return fail(res, isDenied(access) && access.status === 401 ? 401 : 403, 'Forbidden', 'tokens/generate needs the Direct Line secret.');
    }
    const body = (req.body ?? {}) as { user?: { id?: unknown } };
    const userId = safeUserId(body.user?.id);
    if (!admitted(res)) return;
    const { conversation } = await channel.open(undefined, userId);
    res.send(200, { conversationId: conversation.id, ...channel.tokens.issue(conversation.id, userId) });
  });

  server.post(`${BASE}/tokens/refresh`, async (req, res) => {
    const access = authorize(channel, secret, bearer(req));
    if (isDenied(access)) return fail(res, access.status, 'Forbidden', access.message);
    if (access.kind !== 'token') return fail(res, 403, 'Forbidden', 'Only a token can be refreshed.');
    const fresh = reissue(res, access.grant);
    if (fresh) res.send(200, { conversationId: access.grant.conversationId, ...fresh });
  });

  // Start a conversation (with a token: the one it was issued for; with the secret: a new one).
  server.post(`${BASE}/conversations`, async (req, res) => {
    const access = authorize(channel, secret, bearer(req));
    if (isDenied(access)) return fail(res, access.status, access.status === 401 ? 'Unauthorized' : 'Forbidden', access.message);
    const body = (req.body ?? {}) as { user?: { id?: unknown } };
    const requestedUser = safeUserId(body.user?.id);
    if (access.kind === 'secret') {
      if (!admitted(res)) return;
      const { conversation } = await channel.open(undefined, requestedUser);
      const { token, expires_in } = channel.tokens.issue(conversation.id, conversation.userId);
      return res.send(201, { conversationId: conversation.id, token, expires_in, streamUrl: streamUrl(req, conversation, token) });
    }
    const id = access.grant.conversationId;
    const address = clientAddress(req, trustedProxies);
    if (!channel.store.get(id) && !admitted(res, address)) return;
    const { conversation, created } = await channel.open(id, access.grant.userId ?? requestedUser, address);
    const fresh = reissue(res, access.grant, conversation.userId);
    if (!fresh) return;
    res.send(created ? 201 : 200, { conversationId: conversation.id, ...fresh, streamUrl: streamUrl(req, conversation, fresh.token) });
  });

  // Reconnect: a fresh streamUrl from a watermark.
  server.get(`${BASE}/conversations/:conversationId`, async (req, res) => {
    const found = await forConversation(req, res);
    if (!found) return;
    const { conversation, grant } = found;
    const fresh = grant ? reissue(res, grant, conversation.userId) : channel.tokens.issue(conversation.id, conversation.userId);
    if (!fresh) return;
    const watermark = typeof req.query?.watermark === 'string' ? req.query.watermark : undefined;
    res.send(200, { conversationId: conversation.id, ...fresh, streamUrl: streamUrl(req, conversation, fresh.token, watermark) });
  });

  server.post(`${BASE}/conversations/:conversationId/activities`, async (req, res) => {
    const found = await forConversation(req, res);
    if (!found) return;
    const { conversation } = found;
    const wait = messages.take(conversation.id);
    if (wait > 0) return fail(res, 429, 'TooManyRequests', 'Too many messages in a short time; please wait a moment.', wait);
    try {
      const id = await channel.receive(conversation, req.body);
      res.send(200, { id });
    } catch (error) {
      if (error instanceof BadActivityError) return fail(res, 400, 'BadArgument', error.message);
      throw error;
    }
  });

  server.get(`${BASE}/conversations/:conversationId/activities`, async (req, res) => {
    const found = await forConversation(req, res);
    if (!found) return;
    const { conversation } = found;
    const watermark = typeof req.query?.watermark === 'string' ? req.query.watermark : undefined;
    res.send(200, { activities: conversation.since(watermark), watermark: conversation.watermark });
  });

  server.post(`${BASE}/conversations/:conversationId/upload`, async (req, res) => {
    if (!(await forConversation(req, res))) return;
    fail(res, 400, 'BadArgument', 'Files cannot be sent in this chat. Please describe your question in words.');
  });

  // The WebSocket stream: activity sets as they happen, after what the client already has.
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = STREAM_PATH.exec(url.pathname);
    const refuse = (status: number, message: string, retryAfterSeconds?: number) => {
      const retry = retryAfterSeconds === undefined ? '' : `Retry-After: ${Math.ceil(retryAfterSeconds)}\r\n`;
      socket.end(`HTTP/1.1 ${status} ${message}\r\n${retry}Connection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!match) return refuse(404, 'Not Found');
    const access = authorize(channel, secret, url.searchParams.get('t') ?? bearer(req));
    if (isDenied(access)) return refuse(access.status, access.status === 401 ? 'Unauthorized' : 'Forbidden');
    const conversationId = match[1];
    if (access.kind === 'token' && access.grant.conversationId !== conversationId) return refuse(403, 'Forbidden');
    const address = clientAddress(req, trustedProxies);
    if (access.kind === 'token' && !channel.store.get(conversationId)) {
      const admission = channel.store.admit(address);
      if (!admission.ok) return refuse(admission.status, admission.status === 503 ? 'Service Unavailable' : 'Too Many Requests', admission.retryAfterSeconds);
    }
    const open = access.kind === 'token' ? channel.open(conversationId, undefined, address).then((opened) => opened.conversation) : channel.find(conversationId);
    void open.then((conversation) => {
      if (!conversation) return refuse(404, 'Not Found');
      // A page needs one stream; a few more cover reconnects that overlap. More is someone hoarding sockets.
      if (conversation.listeners.size >= streamsPerConversation) return refuse(429, 'Too Many Requests', 30);
      sockets.handleUpgrade(req, socket, head, (ws) => attachStream(ws, conversation, url.searchParams.get('watermark') ?? undefined));
    }, (error: unknown) => {
      // The shared store could not be read: the client retries, the process stays up.
      logger?.error({ err: error, conversation: conversationId }, 'Direct Line stream could not be opened');
      refuse(503, 'Service Unavailable', 5);
    });
  });

  return sockets;
}

function attachStream(ws: WebSocket, conversation: Conversation, watermark?: string): void {
  let alive = true;
  const listener = {
    send: (activities: unknown[], mark: string) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ activities, watermark: mark }));
    },
    close: () => ws.close(1001, 'Server shutting down'),
  };
  conversation.listeners.add(listener);
  const backlog = conversation.since(watermark);
  if (backlog.length > 0) listener.send(backlog, conversation.watermark);
  // Ping to find dead connections; the client's pong proves it is still there.
  const heartbeat = setInterval(() => {
    if (!alive) return ws.terminate();
    alive = false;
    ws.ping();
  }, HEARTBEAT_MS);
  heartbeat.unref();
  ws.on('pong', () => (alive = true));
  ws.on('message', () => undefined); // clients send nothing meaningful on the stream
  ws.on('error', () => ws.terminate());
  ws.on('close', () => {
    clearInterval(heartbeat);
    conversation.listeners.delete(listener);
  });
}
