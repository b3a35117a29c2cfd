/**
 * A loopback stand-in for what Teams puts behind a bot: the Bot Connector at the activity's
 * serviceUrl (create a channel thread, reply, update, members) and the Bot Framework's OpenID
 * metadata with the key that signs channel tokens. It follows the real protocol (paths, status
 * codes, `{ id, activityId }` for a new thread, `19:…;messageid=…` thread ids, bearer tokens on
 * every call) and records what the bot sent.
 */
import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  /** Path with the conversation id decoded, e.g. /v3/conversations/19:x@thread.tacv2;messageid=1/activities */
  path: string;
  conversationId?: string;
  activityId?: string;
  body: Record<string, unknown>;
  authorization?: string;
  /** What the stub answered. */
  response?: Record<string, unknown>;
}

export interface Member {
  id: string;
  name: string;
  aadObjectId: string;
}

const ISSUER = 'https://api.botframework.com';

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export class ConnectorStub {
  readonly received: Recorded[] = [];
  /** Team members the connector knows (GET …/members/:id). */
  readonly members: Member[] = [];
  /** The token the bot must send (what Azure AD would have issued it); see tests/teams/fixture.ts. */
  readonly outboundToken = `test-token-${randomUUID()}`;
  url = '';
  private server?: Server;
  private readonly kid = `key-${randomUUID().slice(0, 8)}`;
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private nextMessageId = 1_700_000_000_000;
  private waiters: Array<() => void> = [];

  get openIdMetadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', () => this.route(req, res, data));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** A channel token as the Bot Framework signs it for a request to the bot. */
  token(appId: string, serviceUrl = this.url): string {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.kid, x5t: this.kid }));
    const payload = b64url(JSON.stringify({ iss: ISSUER, aud: appId, serviceurl: serviceUrl, nbf: now - 5, iat: now - 5, exp: now + 3600 }));
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(this.keys.privateKey);
    return `${header}.${payload}.${b64url(signature)}`;
  }

  /** Wait until a recorded request matches (searching from index `from`). */
  async waitFor(predicate: (r: Recorded) => boolean, from = 0, timeoutMs = 10_000): Promise<Recorded> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.slice(from).find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`Connector stub: timed out. Received:\n${this.received.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body).slice(0, 120)}`).join('\n')}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private route(req: IncomingMessage, res: ServerResponse, data: string): void {
    const url = new URL(req.url ?? '/', this.url);
    const current: { recorded?: Recorded } = {};
    const send = (status: number, body: Record<string, unknown>) => {
      if (current.recorded) current.recorded.response = body;
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/v1/.well-known/openidconfiguration') {
      return send(200, {
        issuer: ISSUER,
        authorization_endpoint: `${this.url}/v1/.well-known/authorize`,
        jwks_uri: `${this.url}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }
    if (req.method === 'GET' && url.pathname === '/v1/.well-known/keys') {
      const jwk = this.keys.publicKey.export({ format: 'jwk' });
      return send(200, { keys: [{ kty: 'RSA', use: 'sig', kid: this.kid, x5t: this.kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] });
    }

    const match = /^\/v3\/conversations(?:\/([^/]+))?(?:\/(activities|members|pagedmembers))?(?:\/([^/]+))?\/?$/u.exec(url.pathname);
    if (!match) return send(404, { error: { code: 'NotFound', message: `No route ${req.method} ${url.pathname}` } });
    const conversationId = match[1] ? decodeURIComponent(match[1]) : undefined;
    const sub = match[2];
    const itemId = match[3] ? decodeURIComponent(match[3]) : undefined;
    let body: Record<string, unknown> = {};
    try {
      body = data ? (JSON.parse(data) as Record<string, unknown>) : {};
    } catch {
      return send(400, { error: { code: 'BadSyntax', message: 'Body is not JSON' } });
    }
    const recorded: Recorded = {
      method: req.method ?? '',
      path: `/v3/conversations${conversationId ? `/${conversationId}` : ''}${sub ? `/${sub}` : ''}${itemId ? `/${itemId}` : ''}`,
      conversationId,
      activityId: sub === 'activities' ? itemId : undefined,
      body,
      authorization: req.headers.authorization,
    };
    if (req.headers.authorization !== `Bearer ${this.outboundToken}`) {
      return send(401, { message: 'Authorization has been denied for this request.' });
    }
    this.received.push(recorded);
    current.recorded = recorded;
    for (const wake of this.waiters.splice(0)) wake();

    if (req.method === 'POST' && !conversationId) {
      // Create a conversation: in a Teams channel, a new thread whose root is the given activity.
      const channel = (body.channelData as { channel?: { id?: string } } | undefined)?.channel?.id;
      if (!channel || !body.activity) return send(400, { error: { code: 'BadArgument', message: 'channelData.channel.id and activity are required' } });
      const activityId = String(this.nextMessageId++);
      return send(201, { id: `${channel};messageid=${activityId}`, activityId });
    }
    if (sub === 'activities' && req.method === 'POST') return send(201, { id: String(this.nextMessageId++) });
    if (sub === 'activities' && req.method === 'PUT' && itemId) return send(200, { id: itemId });
    if (sub === 'members' && req.method === 'GET' && itemId) {
      const member = this.members.find((m) => m.id === itemId || m.aadObjectId === itemId);
      return member ? send(200, { ...member, objectId: member.aadObjectId, userPrincipalName: `${member.aadObjectId}@example.invalid` }) : send(404, { error: { code: 'MemberNotFound', message: 'Member not found' } });
    }
    return send(405, { error: { code: 'MethodNotAllowed', message: `${req.method} ${recorded.path}` } });
  }
}
