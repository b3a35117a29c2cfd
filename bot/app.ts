import { join } from 'node:path';
import { ConversationState, UserState } from 'botbuilder';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { startServer, type RunningServer } from './server.js';
import { LowdbStorage, RedactingStorage } from './storage/index.js';
import { WmoBot } from './wmoBot.js';

/** The composition root: build every part from the configuration and start serving. */
export async function startApp(config: Config, logger: Logger): Promise<RunningServer> {
  const storage = new LowdbStorage(join(config.dataDir, 'state'), { logger });
  const stateStorage = new RedactingStorage(storage);
  const bot = new WmoBot(new ConversationState(stateStorage), new UserState(stateStorage));
  const server = await startServer({ config, logger, bot });
  return {
    ...server,
    close: async () => {
      await server.close();
      await storage.flush();
    },
  };
}
