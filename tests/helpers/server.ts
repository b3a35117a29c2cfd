import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../../bot/app.js';
import { readConfig, type Config } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import type { RunningServer } from '../../bot/server.js';

export interface TestServer {
  url: string;
  dataDir: string;
  app: RunningServer;
  close(): Promise<void>;
}

/**
 * Start the whole service, as `npm start` builds it, on a free loopback port with its own DATA_DIR.
 * Pass `dataDir` to reuse one (a restart); it is then left in place.
 */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const ownDir = overrides.dataDir === undefined;
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'wmo-test-')));
  const config: Config = { ...readConfig({}), port: 0, host: '127.0.0.1', logLevel: 'silent', ...overrides, dataDir };
  const app = await startApp(config, createLogger('silent'));
  return {
    url: app.url,
    dataDir,
    app,
    close: async () => {
      await app.close();
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
