import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { knowledgeDataDir, repoRoot } from './paths.js';

/** Everything the service reads from its environment, with Bot Framework names where they exist. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  knowledgeDir: string;
  logLevel: string;
  /** Public base URL as residents' browsers see it (for streamUrl); derived from the request when unset. */
  publicUrl?: string;
  microsoftAppId: string;
  microsoftAppPassword: string;
  microsoftAppType: string;
  microsoftAppTenantId: string;
  /**
   * OpenID metadata URL for the keys that sign channel tokens (the SDK's `BotOpenIdMetadata`
   * setting). Unset: the public Azure Bot Service. Tests point it at a loopback stub.
   */
  botOpenIdMetadata?: string;
  /** Tenants whose Teams users may act as consultants (TEAMS_TENANT_IDS, default MicrosoftAppTenantId). */
  teamsTenantIds: string[];
  /** Optional Direct Line secret for server-to-server token generation (POST /v3/directline/tokens/generate). */
  directLineSecret?: string;
  /** Minutes a Direct Line conversation may stay idle before it is dropped from memory. */
  directLineIdleMinutes: number;
}

export class ConfigError extends Error {}

/** Read an optional .env in the working directory first; real environment variables win. */
export function loadDotEnv(cwd = process.cwd()): void {
  const file = resolve(cwd, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3978);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number (0-65535), not "${env.PORT}"`);
  }
  const idle = Number(env.DIRECTLINE_IDLE_MINUTES ?? 60);
  if (!(idle > 0)) throw new ConfigError(`DIRECTLINE_IDLE_MINUTES must be a positive number, not "${env.DIRECTLINE_IDLE_MINUTES}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(repoRoot, env.DATA_DIR ?? 'data'),
    knowledgeDir: resolve(repoRoot, env.KB_DIR ?? knowledgeDataDir),
    logLevel: env.LOG_LEVEL ?? 'info',
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, '') || undefined,
    microsoftAppId: env.MicrosoftAppId ?? '',
    microsoftAppPassword: env.MicrosoftAppPassword ?? '',
    microsoftAppType: env.MicrosoftAppType ?? '',
    microsoftAppTenantId: env.MicrosoftAppTenantId ?? '',
    botOpenIdMetadata: env.BotOpenIdMetadata || undefined,
    teamsTenantIds: (env.TEAMS_TENANT_IDS ?? env.MicrosoftAppTenantId ?? '').split(',').map((t) => t.trim()).filter(Boolean),
    directLineSecret: env.DIRECTLINE_SECRET || undefined,
    directLineIdleMinutes: idle,
  };
}
