import { loadKnowledgeBase } from '../knowledge/index.js';
import { TopicRouter } from '../knowledge/understanding/index.js';
import type { Config } from './config.js';
import { mountKnowledgeApi } from './knowledgeApi.js';
import type { Logger } from './logger.js';
import { startServer, type RunningServer } from './server.js';
import { createStorage } from './storage/index.js';
import { WmoBot } from './wmoBot.js';

/**
 * The composition root: build every part from the configuration and start serving. Invalid
 * knowledge data stops the start with the list of problems (loadKnowledgeBase throws).
 */
export async function startApp(config: Config, logger: Logger): Promise<RunningServer> {
  const kb = await loadKnowledgeBase(config.knowledgeDir);
  const router = await TopicRouter.create(kb);
  const storage = createStorage(config, logger);
  const bot = new WmoBot({ storage, kb, router, logger });
  const server = await startServer({ config, logger, bot, routes: (restify) => mountKnowledgeApi(restify, kb) });
  return {
    ...server,
    close: async () => {
      await server.close();
      await storage.flush();
    },
  };
}
