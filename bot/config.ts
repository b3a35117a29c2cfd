import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { KlantinteractiesConfigError, readKlantinteractiesConfig, type KlantinteractiesConfig } from './klantinteracties/config.js';
import { knowledgeDataDir, repoRoot } from './paths.js';
import { DEFAULT_RETENTION_DAYS, RETENTION_SETTINGS, type RetentionDays } from './retention/policy.js';

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
  /** Optional Direct Line secret for server-to-server token generation (POST /v3/directline/tokens/generate). */
  directLineSecret?: string;
  /** Minutes a Direct Line conversation may stay idle before it is dropped from memory. */
  directLineIdleMinutes: number;
  /** Days each kind of stored data is kept (bot/retention). */
  retentionDays: RetentionDays;
  /** Minutes between two runs of the retention purge in the running service. */
  purgeIntervalMinutes: number;
  /** The knowledge upkeep list shows entries last checked longer ago than this many days. */
  kbCheckDays: number;
  /** Where handoffs, callback requests and meldingen are recorded (KLANTINTERACTIES_*; none: nothing is sent). */
  klantinteracties: KlantinteractiesConfig;
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
  // An empty value (NAME= in .env) means the default, as if it were not set.
  const positive = (name: string, fallback: number): number => {
    const value = env[name] ? Number(env[name]) : fallback;
    if (!(value > 0) || !Number.isFinite(value)) throw new ConfigError(`${name} must be a positive number, not "${env[name]}"`);
    return value;
  };
  const retentionDays = { ...DEFAULT_RETENTION_DAYS };
  for (const [kind, name] of Object.entries(RETENTION_SETTINGS) as Array<[keyof RetentionDays, string]>) {
    retentionDays[kind] = positive(name, DEFAULT_RETENTION_DAYS[kind]);
  }
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
    directLineSecret: env.DIRECTLINE_SECRET || undefined,
    directLineIdleMinutes: idle,
    retentionDays,
    purgeIntervalMinutes: positive('PURGE_INTERVAL_MINUTES', 60),
    kbCheckDays: positive('KB_CHECK_DAYS', 365),
    klantinteracties: readKlantinteracties(env),
  };
}

function readKlantinteracties(env: NodeJS.ProcessEnv): KlantinteractiesConfig {
  try {
    return readKlantinteractiesConfig(env);
  } catch (error) {
    throw error instanceof KlantinteractiesConfigError ? new ConfigError(error.message) : error;
  }
}
