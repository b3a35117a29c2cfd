import { createReadStream, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ActivityHandler,
  type TurnContext,
} from 'botbuilder';
import restify, { type Request, type Response, type Server } from 'restify';
import type { Config } from './config.js';
import { DirectLineChannel } from './directline/channel.js';
import { mountDirectLine } from './directline/routes.js';
import { TokenIssuer } from './directline/tokens.js';
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
}

export interface RunningServer {
  url: string;
  port: number;
  channel: DirectLineChannel;
  /** The /api/messages adapter, for proactive messages to Bot Framework channels (Teams). */
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
    try {
      const invokeResponse = await this.processActivity(req.headers.authorization ?? '', activity, logic);
      res.send(invokeResponse?.status ?? 200, invokeResponse?.body);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 401) throw error;
      logger.info({ reason: (error as Error).message, channel: activity.channelId }, 'Unauthenticated request to /api/messages refused');
      res.send(401, { error: { code: 'Unauthorized', message: 'The request is not signed by a Bot Framework channel.' } });
    }
  }
}

export function createCloudAdapter(config: Config, logger: Logger): ChannelAdapter {
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
  const adapter = new ChannelAdapter(auth);
  adapter.onTurnError = onTurnError(logger);
  return adapter;
}

/** Log the failure (never the resident's text) and tell the resident plainly. */
function onTurnError(logger: Logger) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    logger.error({ err: error, channel: context.activity.channelId, conversation: context.activity.conversation?.id }, 'Turn failed');
    if (context.activity.type === 'message') {
      await context
        .sendActivity('Sorry, er ging bij mij iets mis. Probeer het nog een keer. Lukt het niet? Bel dan het Wmo-loket.')
        .catch(() => undefined);
    }
  };
}

export async function startServer(deps: ServerDeps): Promise<RunningServer> {
  const { config, logger, bot } = deps;
  // restify logs through our logger (level and redaction apply), not a pino instance of its own.
  const server = restify.createServer({ name: 'wmo-loket-assistant', handleUncaughtExceptions: false, log: logger as never });
  const logic = (context: TurnContext) => bot.run(context);

  server.pre(acceptOnlyPlainJson);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(
    restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false }),
  );
  server.on('restifyError', (req: Request, _res: Response, err: Error & { statusCode?: number }, callback: () => void) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) logger.error({ err, method: req.method, path: req.path() }, 'Request failed');
    else logger.info({ status, method: req.method, path: req.path(), reason: err.message }, 'Request refused');
    callback();
  });

  const adapter = createCloudAdapter(config, logger);
  server.post('/api/messages', async (req, res) => {
    const body = req.body as Partial<Activity> | undefined;
    const valid = body && typeof body === 'object' && !Array.isArray(body) && typeof body.type === 'string' &&
      typeof body.serviceUrl === 'string' && typeof body.conversation?.id === 'string' && typeof body.channelId === 'string';
    if (!valid) {
      res.send(400, { error: { code: 'BadArgument', message: 'The body must be a Bot Framework activity (JSON with type, channelId, serviceUrl and conversation.id).' } });
      return;
    }
    await adapter.handle(req, res, logic, logger);
  });

  const channel = new DirectLineChannel({
    tokens: TokenIssuer.fromDataDir(config.dataDir),
    idleMinutes: config.directLineIdleMinutes,
    bot: { id: config.microsoftAppId || 'wmo-loket-assistent', name: 'Wmo-loket assistent' },
    logic,
    logger,
  });
  channel.adapter.onTurnError = onTurnError(logger);
  const sockets = mountDirectLine(server, { channel, secret: config.directLineSecret, publicUrl: config.publicUrl });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok', conversations: channel.store.size, uptimeSeconds: Math.round(process.uptime()) });
  });
  // Browsers ask for it on every page; there is none, and a 404 would show as an error in their console.
  server.get('/favicon.ico', async (_req, res) => {
    res.send(204);
  });
  for (const [path, { file, type }] of Object.entries(STATIC_FILES)) {
    server.get(path, async (_req, res) => serveFile(res, file, type));
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
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets.clients) socket.close(1001, 'Server shutting down');
      await channel.close();
      server.server.closeAllConnections?.();
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

function serveFile(res: Response, file: string, type: string): void {
  if (!existsSync(file)) {
    res.send(404, { error: { code: 'NotFound', message: 'Not found.' } });
    return;
  }
  res.writeHead(200, {
    'Content-Type': type,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  createReadStream(file).pipe(res);
}
