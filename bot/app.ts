import { ConversationState, MemoryStorage, UserState } from 'botbuilder';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { startServer, type RunningServer } from './server.js';
import { WmoBot } from './wmoBot.js';

/** The composition root: build every part from the configuration and start serving. */
export async function startApp(config: Config, logger: Logger): Promise<RunningServer> {
  const storage = new MemoryStorage();
  const bot = new WmoBot(new ConversationState(storage), new UserState(storage));
  return startServer({ config, logger, bot });
}
