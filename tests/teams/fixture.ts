/**
 * The whole service with Teams switched on, as in production: a MicrosoftAppId, channel tokens
 * checked against signing keys (served by the connector stub as the Bot Framework's OpenID
 * metadata, via the SDK's own BotOpenIdMetadata setting), the Bot Connector at the activities'
 * serviceUrl (the stub), and a storage-backed desk double in place of the handoff service.
 *
 * The bot's own outgoing token: Azure AD is not reachable (and MSAL only talks to https
 * authorities), so the token MSAL would have fetched is put in the SDK's token cache
 * (AppCredentials.cache, keyed by app id and scope); the stub refuses any call without it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppCredentials } from 'botframework-connector';
import { startApp } from '../../bot/app.js';
import { readConfig, type Config } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import type { RunningServer } from '../../bot/server.js';
import { LowdbStorage } from '../../bot/storage/index.js';
import { ConnectorStub } from './connectorStub.js';
import { StorageDeskDouble } from './deskDouble.js';

export const APP_ID = '11111111-2222-4333-8444-555555555555';
export const BOT = { id: `28:${APP_ID}`, name: 'Wmo-assistent' };
export const TENANT = { id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' };
export const TEAM = { id: '19:teamgeneral0001@thread.tacv2', name: 'Wmo-loket Gooi en Vechtstreek', aadGroupId: 'f0f0f0f0-0000-4000-8000-000000000001' };
export const ESCALATION_CHANNEL = '19:escalaties0002@thread.tacv2';

export interface Consultant {
  id: string;
  name: string;
  aadObjectId: string;
}

export const ANNA: Consultant = { id: '29:1anna', name: 'Anna de Vries', aadObjectId: 'a0000000-0000-4000-8000-00000000000a' };
export const BRAM: Consultant = { id: '29:1bram', name: 'Bram Jansen', aadObjectId: 'b0000000-0000-4000-8000-00000000000b' };

export interface TeamsFixture {
  connector: ConnectorStub;
  app: RunningServer;
  url: string;
  dataDir: string;
  desk: StorageDeskDouble;
  deskStorage: LowdbStorage;
  /** Stop the service and start it again on the same DATA_DIR (the connector stub stays). */
  restart(): Promise<void>;
  /** POST an activity to /api/messages as Teams would (signed); resolves with status and body. */
  post(activity: Record<string, unknown>): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function startTeamsFixture(overrides: Partial<Config> = {}): Promise<TeamsFixture> {
  const connector = new ConnectorStub();
  await connector.start();
  // The cache is private in the SDK's types but is where every AppCredentials looks first.
  (AppCredentials as unknown as { cache: Map<string, { accessToken: string; expiresOn: Date }> }).cache.set(`${APP_ID}https://api.botframework.com-cache`, { accessToken: connector.outboundToken, expiresOn: new Date(Date.now() + 3_600_000) });
  const dataDir = await mkdtemp(join(tmpdir(), 'wmo-teams-'));
  const deskStorage = new LowdbStorage(join(dataDir, 'desk'));
  const config: Config = {
    ...readConfig({}),
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    dataDir,
    microsoftAppId: APP_ID,
    microsoftAppPassword: 'not-used-token-comes-from-the-cache',
    microsoftAppType: 'MultiTenant',
    botOpenIdMetadata: connector.openIdMetadataUrl,
    teamsTenantIds: [TENANT.id],
    ...overrides,
  };
  const start = async () => {
    const desk = new StorageDeskDouble(deskStorage);
    return { desk, app: await startApp(config, createLogger('silent'), { desk }) };
  };
  const fixture: TeamsFixture = {
    connector,
    ...(await start()),
    get url() {
      return this.app.url;
    },
    dataDir,
    deskStorage,
    async restart() {
      await this.app.close();
      await deskStorage.flush();
      Object.assign(this, await start());
    },
    async post(activity) {
      const response = await fetch(`${this.app.url}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${connector.token(APP_ID, String(activity.serviceUrl))}` },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
    async close() {
      await this.app.close();
      await deskStorage.flush();
      await connector.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return fixture;
}

let sequence = 0;
const nextId = () => `1700000${String(++sequence).padStart(6, '0')}`;

function channelData(channelId: string) {
  return {
    teamsChannelId: channelId,
    teamsTeamId: TEAM.id,
    channel: { id: channelId },
    team: TEAM,
    tenant: TENANT,
  };
}

function base(serviceUrl: string, from: Consultant) {
  return {
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    locale: 'nl-NL',
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: BOT,
  };
}

/** The bot is added to a team: Teams sends installationUpdate (action add) in the General channel. */
export function installationUpdate(serviceUrl: string, from: Consultant = ANNA) {
  return {
    ...base(serviceUrl, from),
    type: 'installationUpdate',
    action: 'add',
    id: `f:${nextId()}`,
    conversation: { isGroup: true, conversationType: 'channel', tenantId: TENANT.id, id: TEAM.id },
    channelData: { settings: { selectedChannel: { id: TEAM.id } }, ...channelData(TEAM.id), source: { name: 'message' } },
  };
}

/** …and conversationUpdate with the bot among membersAdded. */
export function botAddedToTeam(serviceUrl: string, from: Consultant = ANNA) {
  return {
    ...base(serviceUrl, from),
    type: 'conversationUpdate',
    id: `f:${nextId()}`,
    membersAdded: [{ id: BOT.id }],
    conversation: { isGroup: true, conversationType: 'channel', tenantId: TENANT.id, id: TEAM.id },
    channelData: { ...channelData(TEAM.id), eventType: 'teamMemberAdded' },
  };
}

/** A new post in a channel, @mentioning the bot: "<at>Wmo-assistent</at> text". */
export function channelMention(serviceUrl: string, text: string, from: Consultant = ANNA, channelId = ESCALATION_CHANNEL) {
  const id = nextId();
  const mention = `<at>${BOT.name}</at>`;
  return {
    ...base(serviceUrl, from),
    type: 'message',
    id,
    text: `${mention} ${text}\n`,
    textFormat: 'plain',
    attachments: [{ contentType: 'text/html', content: `<p><span itemtype="http://schema.skype.com/Mention" itemscope itemid="0">${BOT.name}</span> ${text}</p>` }],
    entities: [
      { type: 'mention', text: mention, mentioned: { id: BOT.id, name: BOT.name } },
      { type: 'clientInfo', locale: 'nl-NL', country: 'NL', platform: 'Web', timezone: 'Europe/Amsterdam' },
    ],
    conversation: { isGroup: true, conversationType: 'channel', tenantId: TENANT.id, id: `${channelId};messageid=${id}` },
    channelData: channelData(channelId),
  };
}

function textMessage(serviceUrl: string, from: Consultant, text: string) {
  return { ...base(serviceUrl, from), type: 'message', id: nextId(), text, textFormat: 'plain' };
}

/** A reply in the thread started by `rootId` (no mention: resource-specific consent delivers it). */
export function threadReply(serviceUrl: string, rootId: string, text: string, from: Consultant = ANNA, channelId = ESCALATION_CHANNEL) {
  return {
    ...textMessage(serviceUrl, from, text),
    replyToId: rootId,
    entities: [{ type: 'clientInfo', locale: 'nl-NL', country: 'NL', platform: 'Web', timezone: 'Europe/Amsterdam' }],
    conversation: { isGroup: true, conversationType: 'channel', tenantId: TENANT.id, id: `${channelId};messageid=${rootId}` },
    channelData: channelData(channelId),
  };
}

/** A personal (1:1) chat message. */
export function personalMessage(serviceUrl: string, text: string, from: Consultant = ANNA) {
  return {
    ...textMessage(serviceUrl, from, text),
    conversation: { conversationType: 'personal', tenantId: TENANT.id, id: `a:1personal-${from.aadObjectId}` },
    channelData: { tenant: TENANT },
  };
}

/** Action.Execute on the card: an adaptiveCard/action invoke in the card's thread. */
export function cardAction(serviceUrl: string, rootId: string, verb: string, data: Record<string, unknown>, from: Consultant = ANNA, channelId = ESCALATION_CHANNEL) {
  return {
    ...base(serviceUrl, from),
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `f:${nextId()}`,
    replyToId: rootId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    conversation: { isGroup: true, conversationType: 'channel', tenantId: TENANT.id, id: `${channelId};messageid=${rootId}` },
    channelData: { ...channelData(channelId), source: { name: 'message' }, legacy: { replyToId: rootId } },
  };
}

/** Action.Submit (the fallback): a message with `value` and no text, in the card's thread. */
export function cardSubmit(serviceUrl: string, rootId: string, value: Record<string, unknown>, from: Consultant = ANNA) {
  return {
    ...base(serviceUrl, from),
    type: 'message',
    id: nextId(),
    replyToId: rootId,
    value,
    conversation: { isGroup: true, conversationType: 'channel', tenantId: TENANT.id, id: `${ESCALATION_CHANNEL};messageid=${rootId}` },
    channelData: { ...channelData(ESCALATION_CHANNEL), source: { name: 'message' }, legacy: { replyToId: rootId } },
  };
}
