import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import restify, { type Request, type Response, type Server } from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import { BadActivityError, safeUserId, type DirectLineChannel } from './channel.js';
import type { Conversation } from './conversations.js';
import type { TokenGrant } from './tokens.js';

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

function fail(res: Response, status: number, code: string, message: string): void {
  res.send(status, { error: { code, message } });
}

export interface DirectLineRoutesOptions {
  channel: DirectLineChannel;
  /** Optional secret for server-to-server use (tokens/generate, starting conversations). */
  secret?: string;
  /** Public base URL (http[s]://host[:port]); derived from each request when unset. */
  publicUrl?: string;
}

/** Mount the Direct Line 3.0 REST API and its WebSocket stream on a restify server. */
export function mountDirectLine(server: Server, options: DirectLineRoutesOptions): WebSocketServer {
  const { channel, secret } = options;

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

  /** Access to one conversation: a token for exactly it, or the secret. */
  const forConversation = (req: Request, res: Response): Conversation | undefined => {
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
    const conversation = access.kind === 'token' ? channel.open(id).conversation : channel.store.get(id);
    if (!conversation) {
      fail(res, 404, 'NotFound', 'Unknown conversation.');
      return undefined;
    }
    return conversation;
  };

  // The page's token endpoint: a new conversation and a token for it alone. Throttled per client
  // address (burst 30, then 2 a second), so nobody can fill the server with empty conversations.
  const throttle = restify.plugins.throttle({ burst: 30, rate: 2, ip: true });
  server.post('/api/directline/token', throttle, async (_req: Request, res: Response) => {
    if (channel.store.full) return fail(res, 503, 'Busy', 'Too many open conversations; try again in a minute.');
    const { conversation } = channel.open();
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
    const { conversation } = channel.open(undefined, userId);
    res.send(200, { conversationId: conversation.id, ...channel.tokens.issue(conversation.id, userId) });
  });

  server.post(`${BASE}/tokens/refresh`, async (req, res) => {
    const access = authorize(channel, secret, bearer(req));
    if (isDenied(access)) return fail(res, access.status, 'Forbidden', access.message);
    if (access.kind !== 'token') return fail(res, 403, 'Forbidden', 'Only a token can be refreshed.');
    const { conversationId, userId } = access.grant;
    res.send(200, { conversationId, ...channel.tokens.issue(conversationId, userId) });
  });

  // Start a conversation (with a token: the one it was issued for; with the secret: a new one).
  server.post(`${BASE}/conversations`, async (req, res) => {
    const access = authorize(channel, secret, bearer(req));
    if (isDenied(access)) return fail(res, access.status, access.status === 401 ? 'Unauthorized' : 'Forbidden', access.message);
    const body = (req.body ?? {}) as { user?: { id?: unknown } };
    const requestedUser = safeUserId(body.user?.id);
    if (access.kind === 'secret' && channel.store.full) return fail(res, 503, 'Busy', 'Too many open conversations.');
    const { conversation, created } =
      access.kind === 'token'
        ? channel.open(access.grant.conversationId, access.grant.userId ?? requestedUser)
        : channel.open(undefined, requestedUser);
    const { token, expires_in } = channel.tokens.issue(conversation.id, conversation.userId);
    res.send(created ? 201 : 200, { conversationId: conversation.id, token, expires_in, streamUrl: streamUrl(req, conversation, token) });
  });

  // Reconnect: a fresh streamUrl from a watermark.
  server.get(`${BASE}/conversations/:conversationId`, async (req, res) => {
    const conversation = forConversation(req, res);
    if (!conversation) return;
    const { token, expires_in } = channel.tokens.issue(conversation.id, conversation.userId);
    const watermark = typeof req.query?.watermark === 'string' ? req.query.watermark : undefined;
    res.send(200, { conversationId: conversation.id, token, expires_in, streamUrl: streamUrl(req, conversation, token, watermark) });
  });

  server.post(`${BASE}/conversations/:conversationId/activities`, async (req, res) => {
    const conversation = forConversation(req, res);
    if (!conversation) return;
    try {
      const id = await channel.receive(conversation, req.body);
      res.send(200, { id });
    } catch (error) {
      if (error instanceof BadActivityError) return fail(res, 400, 'BadArgument', error.message);
      throw error;
    }
  });

  server.get(`${BASE}/conversations/:conversationId/activities`, async (req, res) => {
    const conversation = forConversation(req, res);
    if (!conversation) return;
    const watermark = typeof req.query?.watermark === 'string' ? req.query.watermark : undefined;
    res.send(200, { activities: conversation.since(watermark), watermark: conversation.watermark });
  });

  server.post(`${BASE}/conversations/:conversationId/upload`, async (req, res) => {
    if (!forConversation(req, res)) return;
    fail(res, 400, 'BadArgument', 'Files cannot be sent in this chat. Please describe your question in words.');
  });

  // The WebSocket stream: activity sets as they happen, after what the client already has.
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = STREAM_PATH.exec(url.pathname);
    const refuse = (status: number, message: string) => {
      socket.end(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!match) return refuse(404, 'Not Found');
    const access = authorize(channel, secret, url.searchParams.get('t') ?? bearer(req));
    if (isDenied(access)) return refuse(access.status, access.status === 401 ? 'Unauthorized' : 'Forbidden');
    const conversationId = match[1];
    if (access.kind === 'token' && access.grant.conversationId !== conversationId) return refuse(403, 'Forbidden');
    const conversation = access.kind === 'token' ? channel.open(conversationId).conversation : channel.store.get(conversationId);
    if (!conversation) return refuse(404, 'Not Found');
    sockets.handleUpgrade(req, socket, head, (ws) => attachStream(ws, conversation, url.searchParams.get('watermark') ?? undefined));
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
    conversation.lastUsedAt = Date.now();
  });
}
