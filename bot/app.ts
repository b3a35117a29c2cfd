import { join } from 'node:path';
import { loadKnowledgeBase } from '../knowledge/index.js';
import { TopicRouter } from '../knowledge/understanding/index.js';
import type { Config } from './config.js';
import { mountKnowledgeApi } from './knowledgeApi.js';
import type { Logger } from './logger.js';
import { startServer, type RunningServer } from './server.js';
import { LowdbStorage } from './storage/index.js';
import { WmoBot } from './wmoBot.js';
import { loadContent } from '../dialogs/content.js';
import { mountConsole, type ConsoleHandle } from './console/api.js';
import { HandoffService } from './handoff/service.js';
import { StaffStore } from './staff/accounts.js';

/** The running service, with the handoff parts tools and tests reach for. */
export interface RunningApp extends RunningServer {
  handoff: HandoffService;
  staff: StaffStore;
  console: ConsoleHandle;
}

/**
 * The composition root: build every part from the configuration and start serving. Invalid
 * knowledge data stops the start with the list of problems (loadKnowledgeBase throws).
 */
export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  const kb = await loadKnowledgeBase(config.knowledgeDir);
  const router = await TopicRouter.create(kb);
  const storage = new LowdbStorage(join(config.dataDir, 'state'), { logger });
  const staff = new StaffStore(storage);
  const handoff = new HandoffService({
    storage,
    staff,
    kb,
    router,
    content: loadContent(),
    logger,
    settings: { waitMinutes: config.handoffWaitMinutes, target: config.handoffTarget, staffIdleMinutes: config.staffIdleMinutes },
  });
  await handoff.start();
  const bot = new WmoBot({ storage, kb, router, logger, handoff });
  let loket: ConsoleHandle | undefined;
  const server = await startServer({
    config,
    logger,
    bot,
    routes: (restify) => {
      mountKnowledgeApi(restify, kb);
      loket = mountConsole(restify, {
        handoff,
        staff,
        storage,
        logger,
        idleMinutes: config.staffIdleMinutes,
        secureCookie: config.publicUrl?.startsWith('https:') ?? false,
      });
    },
  });
  // The handoff reaches residents through the adapters the server built (they exist only now).
  handoff.attach({ embedded: server.channel.adapter, connector: server.adapter, appId: config.microsoftAppId });
  return {
    ...server,
    handoff,
    staff,
    console: loket!,
    close: async () => {
      loket?.close();
      await handoff.stop();
      await server.close();
      await storage.flush();
    },
  };
}
