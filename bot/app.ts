import { join } from 'node:path';
import { loadContent } from '../dialogs/content.js';
import { loadKnowledgeBase } from '../knowledge/index.js';
import { TopicRouter } from '../knowledge/understanding/index.js';
import type { Config } from './config.js';
import { mountKnowledgeApi } from './knowledgeApi.js';
import type { Logger } from './logger.js';
import { startServer, type RunningServer } from './server.js';
import { ReviewStore } from './review/store.js';
import { LowdbStorage } from './storage/index.js';
import { WmoTeamsBot, type EscalationDesk } from './teams/index.js';
import { WmoBot } from './wmoBot.js';

/**
 * The composition root: build every part from the configuration and start serving. Invalid
 * knowledge data stops the start with the list of problems (loadKnowledgeBase throws).
 */
export async function startApp(config: Config, logger: Logger, parts: { desk?: EscalationDesk } = {}): Promise<RunningServer> {
  const kb = await loadKnowledgeBase(config.knowledgeDir);
  const router = await TopicRouter.create(kb);
  const storage = new LowdbStorage(join(config.dataDir, 'state'), { logger });
  // Teams for consultants: same storage and adapter; the desk is the handoff service's (issue 10).
  const teams = new WmoTeamsBot({ storage, kb, reviews: new ReviewStore(storage), desk: parts.desk, appId: config.microsoftAppId, tenantIds: config.teamsTenantIds, weekdays: loadContent().general.weekdays, logger });
  const bot = new WmoBot({ storage, kb, router, logger, teams });
  const server = await startServer({ config, logger, bot, routes: (restify) => mountKnowledgeApi(restify, kb) });
  teams.connect(server.adapter);
  return {
    ...server,
    close: async () => {
      await teams.close();
      await server.close();
      await storage.flush();
    },
  };
}
