import { createReadStream, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ActivityHandler,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import restify, { type Request, type Response, type Server } from 'restify';
import './connectorEntities.js'; // before any reply leaves through the Bot Connector client
import type { Config } from './config.js';
import { BadActivityError, CHANNEL_ID, DirectLineChannel, MAX_VALUE_LENGTH, cleanMessageText, type InterruptedTurnRecovery } from './directline/channel.js';
import { fail, isLoopback, parseJsonBody } from './directline/http.js';
import { mountDirectLine } from './directline/routes.js';
import { TokenIssuer } from './directline/tokens.js';
import { TranscriptStore } from './directline/transcripts.js';
import type { Logger } from './logger.js';
import { webDir } from './paths.js';

/** Largest request body accepted (a Bot Framework activity is a few kB). */
export const MAX_BODY_BYTES = 256 * 1024;

export interface ServerDeps {
  config: Config;
  logger: Logger;
  bot: ActivityHandler;
  /** Extra routes (e.g. the knowledge search API), mounted after the core ones. */
  routes?: (server: Server) => void;
  /** Where the embedded channel persists its conversations (it redacts them itself); memory only without it. */
  transcriptStorage?: Storage;
  /** What to tell a resident whose turn a restart cut off. */
  recover?: InterruptedTurnRecovery;
}

export interface RunningServer {
  url: string;
  port: number;
  channel: DirectLineChannel;
  /** The adapter for /api/messages (also for proactive messages to external channels). */
  adapter: ChannelAdapter;
  /** Stop accepting requests, close streams, finish running turns. */
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
// The package exports no package.json; its CommonJS entry lies in lib/, the browser bundle in dist/.
const webChatBundle = join(dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
const STATIC_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: join(webDir, 'index.html'), type: 'text/html; charset=utf-8' },
  '/web/app.js': { file: join(webDir, 'app.js'), type: 'text/javascript; charset=utf-8' },
  '/web/styles.css': { file: join(webDir, 'styles.css'), type: 'text/css; charset=utf-8' },
  '/webchat/webchat.js': { file: webChatBundle, type: 'text/javascript; charset=utf-8' },
};

/**
 * The adapter for /api/messages: Azure channels, Teams, any Bot Framework client. It does what
 * CloudAdapter.process does, but reports refusals through our logger instead of console.error.
 */
export class ChannelAdapter extends CloudAdapter {
  async handle(req: Request, res: Response, logic: (context: TurnContext) => Promise<void>, logger: Logger): Promise<void> {
    const activity = req.body as Activity;
    let authenticated = false;
    try {
      const invokeResponse = await this.processActivity(req.headers.authorization ?? '', activity, (context) => {
        authenticated = true;
        return logic(context);
      });
      res.send(invokeResponse?.status ?? 200, invokeResponse?.body);
    } catch (error) {
      // Anything that fails before the bot runs is the token check failing, also when the
      // OpenID metadata cannot be fetched: the caller is not authenticated (401), not a server error.
      if (authenticated && (error as { statusCode?: number }).statusCode !== 401) throw error;
      logger.info({ reason: (error as Error).message, channel: activity.channelId }, 'Unauthenticated request to /api/messages refused');
      fail(res, 401, 'Unauthorized', 'The request is not signed by a Bot Framework channel.');
    }
  }
}

export function createCloudAdapter(config: Config): ChannelAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.microsoftAppId,
    MicrosoftAppPassword: config.microsoftAppPassword,
    MicrosoftAppType: config.microsoftAppType,
    MicrosoftAppTenantId: config.microsoftAppTenantId,
    // Setting one endpoint makes the SDK expect all of them: the public cloud's (botframework-connector's
    // AuthenticationConstants), with only the channel's signing-key metadata replaced.
    ...(config.botOpenIdMetadata
      ? {
          ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
          ToChannelFromBotOAuthScope: 'https://api.botframework.com',
          ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
          OAuthUrl: 'https://api.botframework.com',
          ToBotFromChannelOpenIdMetadataUrl: config.botOpenIdMetadata,
          ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
          CallerId: CallerIdConstants.PublicAzureChannel,
        }
      : {}),
  });
  // A failed turn is handled in one place, WmoBot.run: logged, the dialog reset, the resident told.
  return new ChannelAdapter(auth);
}

export async function startServer(deps: ServerDeps): Promise<RunningServer> {
  const { config, logger, bot } = deps;
  // restify logs through our logger (level and redaction apply), not a pino instance of its own.
  const server = restify.createServer({ name: 'wmo-loket-assistant', handleUncaughtExceptions: false, log: logger as never });
  const logic = (context: TurnContext) => bot.run(context);

  const inFlight = trackRequests(server);
  server.pre(inFlight.refuseWhileStopping);
  server.pre(acceptOnlyPlainJson);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyReader({ maxBodySize: MAX_BODY_BYTES }));
  server.use(parseJsonBody);
  server.on('restifyError', (req: Request, _res: Response, err: Error & { statusCode?: number; body?: { code?: string }; toJSON?: () => unknown }, callback: () => void) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) logger.error({ err, method: req.method, path: req.path() }, 'Request failed');
    else logger.info({ status, method: req.method, path: req.path(), reason: err.message }, 'Request refused');
    // restify's own errors (404, 405, 413, bad JSON…) in the same shape as ours; no internals on a 500.
    const code = err.body?.code ?? err.name.replace(/Error$/, '');
    const message = status >= 500 ? 'Something went wrong on our side; please try again.' : err.message;
    err.toJSON = () => ({ error: { code, message } });
    callback();
  });

  const adapter = createCloudAdapter(config);
  server.post('/api/messages', async (req, res) => {
    const body = req.body as Partial<Activity> | undefined;
    const valid = body && typeof body === 'object' && !Array.isArray(body) && typeof body.type === 'string' &&
      typeof body.serviceUrl === 'string' && typeof body.conversation?.id === 'string' && typeof body.channelId === 'string';
    if (!valid) return fail(res, 400, 'BadArgument', 'The body must be a Bot Framework activity (JSON with type, channelId, serviceUrl and conversation.id).');
    const signed = config.microsoftAppId !== '';
    if (!signed) {
      // Without an app id nothing is verified: only on request for local development, only from
      // this machine, and never into the embedded channel's conversations.
      const local = config.allowUnsignedLocal && isLoopback(req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '');
      if (!local) {
        return fail(res, 401, 'Unauthorized', 'This endpoint needs Bot Framework authentication (set MicrosoftAppId); for local development set ALLOW_UNSIGNED_LOCAL=true.');
      }
      if (body.channelId === CHANNEL_ID) return fail(res, 403, 'Forbidden', `Conversations of the "${CHANNEL_ID}" channel are reachable only through /v3/directline.`);
      if (!serviceUrlAllowed(body.serviceUrl!, config.allowedServiceUrls, true)) {
        return fail(res, 403, 'Forbidden', 'The serviceUrl is not allowed; add it to ALLOWED_SERVICE_URLS.');
      }
    }
    // A signed request's serviceUrl is checked against the token's claim by the adapter.
    try {
      if (body.text !== undefined) {
        if (typeof body.text !== 'string') throw new BadActivityError('Activity text must be a string.');
        body.text = cleanMessageText(body.text);
      }
      if (body.value !== undefined && JSON.stringify(body.value).length > MAX_VALUE_LENGTH) {
        throw new BadActivityError(`The activity's value is too large: at most ${MAX_VALUE_LENGTH} characters of JSON.`);
      }
    } catch (error) {
      if (error instanceof BadActivityError) return fail(res, 400, 'BadArgument', error.message);
      throw error;
    }
    await adapter.handle(req, res, logic, logger);
  });

  const channel = new DirectLineChannel({
    tokens: TokenIssuer.fromConfig(config),
    limits: {
      idleMs: config.directLineIdleMinutes * 60_000,
      unusedMs: config.directLineUnusedMinutes * 60_000,
      history: config.directLineHistory,
      conversationBytes: config.directLineConversationBytes,
      memoryBytes: config.directLineMemoryBytes,
      perAddress: config.directLineConversationsPerAddress,
    },
    bot: { id: config.microsoftAppId || 'wmo-loket-assistent', name: 'Wmo-loket assistent' },
    logic,
    logger,
    transcripts: deps.transcriptStorage && new TranscriptStore(deps.transcriptStorage, { retentionMs: config.retentionDays.directLine * 86_400_000, logger }),
    recover: deps.recover,
    // Instances on shared storage continue each other's conversations (bot/directline/shared.ts).
    shared: config.storage === 'blobs' ? { pollMs: config.sharedPollMs } : undefined,
  });
  const sockets = mountDirectLine(server, {
    channel,
    secret: config.directLineSecret,
    publicUrl: config.publicUrl,
    trustedProxies: config.trustedProxies,
    allowedOrigins: config.allowedOrigins,
    messagesPerMinute: config.directLineMessagesPerMinute,
    streamsPerConversation: config.directLineStreamsPerConversation,
    maxRefreshes: config.directLineMaxRefreshes,
    logger,
  });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok', conversations: channel.store.size, uptimeSeconds: Math.round(process.uptime()) });
  });
  // Browsers ask for it on every page; there is none, and a 404 would show as an error in their console.
  server.get('/favicon.ico', async (_req, res) => {
    res.send(204);
  });
  for (const [path, { file, type }] of Object.entries(STATIC_FILES)) {
    server.get(path, async (req, res) => serveFile(res, file, type, path === '/' ? pagePolicy(req, config) : undefined));
  }
  deps.routes?.(server);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${address.port}`;
  channel.serviceUrl = `${config.publicUrl ?? url}/v3/directline`;

  return {
    url,
    port: address.port,
    channel,
    adapter,
    close: async () => {
      // Stop taking new requests, let those already inside finish and be answered, then close.
      inFlight.stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.server.closeIdleConnections();
      for (const socket of sockets.clients) socket.close(1001, 'Server shutting down');
      await channel.close();
      await inFlight.settled();
      server.server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * A request body must be uncompressed JSON: a compressed body could expand past the size limit
 * after the check, and no route takes anything but JSON. Requests without a body pass.
 */
function acceptOnlyPlainJson(req: Request, res: Response, next: (proceed?: false) => void): void {
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') {
    res.send(415, { error: { code: 'UnsupportedMediaType', message: `Content-Encoding "${encoding}" is not accepted; send the body uncompressed.` } });
    return next(false);
  }
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (hasBody && type !== 'application/json' && !type.endsWith('+json')) {
    res.send(415, { error: { code: 'UnsupportedMediaType', message: `Send the body as application/json, not "${type || 'without a content type'}".` } });
    return next(false);
  }
  next();
}

function serveFile(res: Response, file: string, type: string, policy?: string): void {
  if (!existsSync(file)) {
    res.send(404, { error: { code: 'NotFound', message: 'Not found.' } });
    return;
  }
  res.writeHead(200, {
    'Content-Type': type,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...(policy ? { 'Content-Security-Policy': policy } : {}),
  });
  createReadStream(file).pipe(res);
}

/**
 * The page's Content-Security-Policy: scripts only from this server (Web Chat's bundle is served
 * here), inline styles because Web Chat injects its own, connections to this server's Direct
 * Line over HTTP and WebSocket, no images from elsewhere (so a link or image a resident types
 * cannot load), and framing only by this site and the ALLOWED_ORIGINS (a municipal website).
 */
export function pagePolicy(req: Request, config: Config): string {
  const host = config.publicUrl ? new URL(config.publicUrl).host : (req.headers.host ?? 'localhost');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ws://${host} wss://${host}`,
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors 'self'${config.allowedOrigins.map((origin) => ` ${origin}`).join('')}`,
  ].join('; ');
}

/** Only loopback service URLs (local) or configured ones; with a signed request the token vouches for it. */
function serviceUrlAllowed(serviceUrl: string, allowed: string[], loopbackToo: boolean): boolean {
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (loopbackToo && (url.hostname === 'localhost' || isLoopback(url.hostname.replace(/^\[|\]$/g, '')))) return true;
  return allowed.some((prefix) => serviceUrl.startsWith(prefix));
}

/**
 * Requests inside the server, so shutdown can wait for them to be answered instead of cutting
 * their connections (a turn that ran while its client saw a reset would be sent again).
 */
function trackRequests(server: Server) {
  let open = 0;
  let idle: (() => void) | undefined;
  const state = {
    stopping: false,
    refuseWhileStopping(req: Request, res: Response, next: (proceed?: false) => void): void {
      if (state.stopping) {
        res.header('Connection', 'close');
        fail(res, 503, 'ShuttingDown', 'The service is restarting; please try again in a moment.', 5);
        return next(false);
      }
      next();
    },
    settled(): Promise<void> {
      return open === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = resolve));
    },
  };
  server.server.on('request', (_req, res: import('node:http').ServerResponse) => {
    open += 1;
    res.on('close', () => {
      open -= 1;
      if (state.stopping) res.socket?.end();
      if (open === 0) idle?.();
    });
  });
  return state;
}
