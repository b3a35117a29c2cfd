import { join } from 'node:path';
import { loadContent } from '../dialogs/content.js';
import { ConfigError, type Config } from './config.js';
import { createContactRegistry, KlantinteractiesConfigError, meldingObserver, type ContactRegistry } from './klantinteracties/index.js';
import { createInsight, LiveKnowledge, type Insight } from './insight/index.js';
import { mountKnowledgeApi } from './knowledgeApi.js';
import type { Logger } from './logger.js';
import { startRetention } from './retention/schedule.js';
import { startServer, type RunningServer } from './server.js';
import { LowdbStorage } from './storage/index.js';
import { WmoBot } from './wmoBot.js';

/**
 * The running service; `contacts` is for the staff console (outboxStatus for the beheerder),
 * `insight` too: the console mounts it with its session check (`insight.mount(server, authenticate)`).
 */
export type RunningApp = RunningServer & { contacts: ContactRegistry; insight: Insight };

/**
 * The composition root: build every part from the configuration and start serving. Invalid
 * knowledge data stops the start with the list of problems (loadKnowledgeBase throws).
 */
export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  // Reloadable: an approved change in the knowledge workbench goes live without a restart.
  const live = await LiveKnowledge.load(config.knowledgeDir);
  const { kb, router } = live;
  const storage = new LowdbStorage(join(config.dataDir, 'state'), { logger });
  const content = loadContent();
  const contacts = contactRegistry(config, kb.municipalities, storage, logger);
  const bot = new WmoBot({ storage, kb, router, logger, onMelding: meldingObserver(contacts, content.melding, logger) }, { content });
  // Mounted by the staff console with its session check: routes: (restify) => insight.mount(restify, authenticate).
  const insight = createInsight({ storage, live, upkeepDays: config.kbCheckDays, logger });
  const server = await startServer({ config, logger, bot, routes: (restify) => mountKnowledgeApi(restify, kb) });
  const retention = startRetention(storage, config, logger);
  return {
    ...server,
    insight,
    // For the staff console: contacts.outboxStatus() tells the beheerder what is waiting or failing.
    contacts,
    close: async () => {
      await retention.stop();
      await server.close();
      await contacts.stop();
      await storage.flush();
    },
  };
}

function contactRegistry(config: Config, gemeenten: Array<{ code: string; name: string }>, storage: LowdbStorage, logger: Logger): ContactRegistry {
  try {
    return createContactRegistry({ config: config.klantinteracties, gemeenten, storage, logger });
  } catch (error) {
    throw error instanceof KlantinteractiesConfigError ? new ConfigError(error.message) : error;
  }
}
