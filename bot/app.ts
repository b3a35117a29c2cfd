import { join } from 'node:path';
import { fill, loadContent } from '../dialogs/content.js';
import { MeldingStore, type Melding } from '../dialogs/meldingen.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../knowledge/index.js';
import { TopicRouter } from '../knowledge/understanding/index.js';
import type { Config } from './config.js';
import type { InterruptedTurnRecovery } from './directline/channel.js';
import { mountKnowledgeApi } from './knowledgeApi.js';
import type { Logger } from './logger.js';
import { startServer, type RunningServer } from './server.js';
import { LowdbStorage } from './storage/index.js';
import { WmoBot } from './wmoBot.js';

/**
 * The composition root: build every part from the configuration and start serving. Invalid
 * knowledge data stops the start with the list of problems (loadKnowledgeBase throws).
 */
export async function startApp(config: Config, logger: Logger): Promise<RunningServer> {
  const kb = await loadKnowledgeBase(config.knowledgeDir);
  const router = await TopicRouter.create(kb);
  const storage = new LowdbStorage(join(config.dataDir, 'state'), { logger });
  const bot = new WmoBot({ storage, kb, router, logger });
  const server = await startServer({
    config,
    logger,
    bot,
    routes: (restify) => mountKnowledgeApi(restify, kb),
    // The embedded channel redacts what it persists itself, once per activity.
    transcriptStorage: storage,
    recover: meldingConfirmations(storage, kb),
  });
  return {
    ...server,
    close: async () => {
      await server.close();
      await storage.flush();
    },
  };
}

/**
 * A turn cut off by a restart may have stored a melding before the resident saw its number:
 * say it again (the same words as the melding flow). Otherwise the resident is asked to try again.
 */
function meldingConfirmations(storage: LowdbStorage, kb: KnowledgeBase): InterruptedTurnRecovery {
  const content = loadContent();
  return async (conversationId, since) => {
    const stored = (await storage.list(MeldingStore.PREFIX))
      .map((entry) => entry.value as unknown as Melding)
      .filter((melding) => melding.conversationId === conversationId && Date.parse(melding.createdAt) >= since.getTime());
    if (stored.length === 0) return [content.general.texts.error];
    return stored.map((melding) =>
      fill(content.melding.texts.opgeslagen, { gemeente: kb.municipality(melding.gemeente)?.name ?? melding.gemeente, referentie: melding.reference }),
    );
  };
}
