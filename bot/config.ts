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
  /**
   * OpenID metadata URL for the keys that sign channel tokens (the SDK's `BotOpenIdMetadata`
   * setting). Unset: the public Azure Bot Service. Tests point it at a loopback stub.
   */
  botOpenIdMetadata?: string;
  /** Tenants whose Teams users may act as consultants (TEAMS_TENANT_IDS, default MicrosoftAppTenantId). */
  teamsTenantIds: string[];
  /** Optional Direct Line secret for server-to-server token generation (POST /v3/directline/tokens/generate). */
  directLineSecret?: string;
  /**
   * The key that signs residents' Direct Line tokens (base64, at least 32 bytes). Unset: a key
   * kept in DATA_DIR. Every instance on shared storage needs the same one, so it is required there.
   */
  directLineTokenKey?: string;
  /** With shared storage: how often (ms) an instance looks for what other instances wrote (open streams, console events). */
  sharedPollMs: number;
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
  /** Where state, meldingen and questions are stored: files in DATA_DIR (one instance) or Azure Blob Storage (shared by several). */
  storage: 'lowdb' | 'blobs';
  blobConnectionString?: string;
  blobContainer?: string;
  /** Minutes a conversation that never received a message is kept (an opened page nobody types in). */
  directLineUnusedMinutes: number;
  /** Activities a conversation keeps in memory for polling and reconnects. */
  directLineHistory: number;
  /** Bytes of activities a conversation keeps in memory (older ones are dropped first). */
  directLineConversationBytes: number;
  /** Memory the embedded channel may use for all conversations together; beyond it new ones get 503. */
  directLineMemoryBytes: number;
  /** Messages (and events) a conversation may post per minute. */
  directLineMessagesPerMinute: number;
  /** Open conversations one client address may hold (via the page's token endpoint). */
  directLineConversationsPerAddress: number;
  /** WebSocket streams one conversation may hold open at once. */
  directLineStreamsPerConversation: number;
  /** Times a conversation's token may be refreshed (each refresh gives 30 minutes). */
  directLineMaxRefreshes: number;
  /** Addresses of reverse proxies whose X-Forwarded-For is believed; empty: the socket address counts. */
  trustedProxies: string[];
  /** Origins (scheme://host[:port]) besides the service's own that may fetch a token from a browser. */
  allowedOrigins: string[];
  /** Accept unsigned requests on /api/messages from loopback clients (local development only). */
  allowUnsignedLocal: boolean;
  /** Service URLs (prefixes) the bot may answer on besides those in a signed Bot Framework token. */
  allowedServiceUrls: string[];
  /** Minutes a resident waits in the queue before the bot offers a callback instead. */
  handoffWaitMinutes: number;
  /** Where a handoff goes: the built-in staff console, or a handoff.initiate event for an external agent hub. */
  handoffTarget: 'console' | 'event';
  /** Minutes a console session may stay idle before it expires. */
  staffIdleMinutes: number;
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
  const number = (name: string, fallback: number, check: (n: number) => boolean, what: string): number => {
    const value = env[name] ? Number(env[name]) : fallback;
    if (!Number.isFinite(value) || !check(value)) throw new ConfigError(`${name} must be ${what}, not "${env[name]}"`);
    return value;
  };
  const whole = (name: string, fallback: number) => number(name, fallback, (n) => Number.isInteger(n) && n >= 1, 'a whole number of at least 1');
  const positive = (name: string, fallback: number) => number(name, fallback, (n) => n > 0, 'a positive number');
  const retentionDays = { ...DEFAULT_RETENTION_DAYS };
  for (const [kind, name] of Object.entries(RETENTION_SETTINGS) as Array<[keyof RetentionDays, string]>) {
    retentionDays[kind] = positive(name, DEFAULT_RETENTION_DAYS[kind]);
  }
  const storage = env.STORAGE ?? 'lowdb';
  if (storage !== 'lowdb' && storage !== 'blobs') throw new ConfigError(`STORAGE must be lowdb or blobs, not "${env.STORAGE}"`);
  if (storage === 'blobs' && !(env.BLOB_CONNECTION_STRING && env.BLOB_CONTAINER)) {
    throw new ConfigError('STORAGE=blobs needs BLOB_CONNECTION_STRING and BLOB_CONTAINER');
  }
  const tokenKey = env.DIRECTLINE_TOKEN_KEY || undefined;
  if (tokenKey !== undefined && !(/^[A-Za-z0-9+/]+={0,2}$/.test(tokenKey) && Buffer.from(tokenKey, 'base64').length >= 32)) {
    throw new ConfigError('DIRECTLINE_TOKEN_KEY must be at least 32 random bytes in base64 (for example: openssl rand -base64 32)');
  }
  if (storage === 'blobs' && tokenKey === undefined) {
    throw new ConfigError('STORAGE=blobs needs DIRECTLINE_TOKEN_KEY, the same on every instance (for example: openssl rand -base64 32), so a token from one instance is valid on the others');
  }
  const list = (name: string): string[] => (env[name] ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  const allowedOrigins = list('ALLOWED_ORIGINS').map((origin) => origin.replace(/\/+$/, ''));
  for (const origin of allowedOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new ConfigError(`ALLOWED_ORIGINS takes origins such as https://www.gemeente.nl, not "${origin}"`);
  }
  const allowedServiceUrls = list('ALLOWED_SERVICE_URLS');
  for (const url of allowedServiceUrls) {
    if (!/^https?:\/\/[^/\s]+/.test(url)) throw new ConfigError(`ALLOWED_SERVICE_URLS takes URLs such as https://smba.trafficmanager.net/emea/, not "${url}"`);
  }
  const flag = env.ALLOW_UNSIGNED_LOCAL ?? 'false';
  if (flag !== 'true' && flag !== 'false') throw new ConfigError(`ALLOW_UNSIGNED_LOCAL must be true or false, not "${flag}"`);
  const target = env.HANDOFF_TARGET || 'console';
  if (target !== 'console' && target !== 'event') throw new ConfigError(`HANDOFF_TARGET must be "console" or "event", not "${target}"`);
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
    directLineTokenKey: tokenKey,
    sharedPollMs: whole('SHARED_POLL_MS', 1000),
    directLineIdleMinutes: idle,
    retentionDays,
    purgeIntervalMinutes: positive('PURGE_INTERVAL_MINUTES', 60),
    kbCheckDays: positive('KB_CHECK_DAYS', 365),
    klantinteracties: readKlantinteracties(env),
    storage,
    blobConnectionString: env.BLOB_CONNECTION_STRING || undefined,
    blobContainer: env.BLOB_CONTAINER || undefined,
    directLineUnusedMinutes: positive('DIRECTLINE_UNUSED_MINUTES', 5),
    directLineHistory: whole('DIRECTLINE_HISTORY', 50),
    directLineConversationBytes: whole('DIRECTLINE_CONVERSATION_KB', 128) * 1024,
    directLineMemoryBytes: whole('DIRECTLINE_MEMORY_MB', 64) * 1024 * 1024,
    directLineMessagesPerMinute: whole('DIRECTLINE_MESSAGES_PER_MINUTE', 30),
    directLineConversationsPerAddress: whole('DIRECTLINE_CONVERSATIONS_PER_ADDRESS', 20),
    directLineStreamsPerConversation: whole('DIRECTLINE_STREAMS_PER_CONVERSATION', 3),
    directLineMaxRefreshes: whole('DIRECTLINE_MAX_REFRESHES', 48),
    trustedProxies: list('TRUSTED_PROXIES'),
    allowedOrigins,
    allowUnsignedLocal: flag === 'true',
    allowedServiceUrls,
    handoffWaitMinutes: positive('HANDOFF_WAIT_MINUTES', 5),
    handoffTarget: target,
    staffIdleMinutes: positive('STAFF_IDLE_MINUTES', 30),
  };
}

function readKlantinteracties(env: NodeJS.ProcessEnv): KlantinteractiesConfig {
  try {
    return readKlantinteractiesConfig(env);
  } catch (error) {
    throw error instanceof KlantinteractiesConfigError ? new ConfigError(error.message) : error;
  }
}
