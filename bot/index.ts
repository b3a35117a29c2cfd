import { ConfigError, loadDotEnv, readConfig } from './config.js';
import { createLogger } from './logger.js';
import { startApp } from './app.js';

/** Entry point: `npm start`. */
async function main(): Promise<void> {
  loadDotEnv();
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const app = await startApp(config, logger);
  if (!config.microsoftAppId && config.allowUnsignedLocal) {
    logger.warn('ALLOW_UNSIGNED_LOCAL is on: /api/messages takes unsigned requests from this machine, without channel authentication (development only).');
  } else if (!config.microsoftAppId) {
    logger.info('MicrosoftAppId is not set: /api/messages refuses every request (Azure channels need it; ALLOW_UNSIGNED_LOCAL=true allows unsigned requests from this machine for development).');
  }
  logger.info({ url: app.url, dataDir: config.dataDir }, `Wmo-loket assistant is running: open ${app.url} in a browser`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down: finishing running turns and writes');
    const forced = setTimeout(() => {
      logger.error('Shutdown took too long; exiting');
      process.exit(1);
    }, 10_000);
    forced.unref();
    await app.close();
    logger.info('Stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  // Bad settings, knowledge data or content: the list of problems (the same kb:check prints), no stack trace.
  const listed = error instanceof ConfigError || (error instanceof Error && ['KnowledgeBaseError', 'ContentError'].includes(error.name));
  const message = listed ? error.message : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`The Wmo-loket assistant could not start:\n${message}\n`);
  process.exit(1);
});
