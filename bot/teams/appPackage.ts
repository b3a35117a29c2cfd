/**
 * The Teams app package: manifest.json (schema v1.24) with the bot, its scopes and the
 * resource-specific consent that lets thread replies reach the bot without an @mention, plus the
 * two icons Teams requires, drawn here as PNG (no image tooling needed). Zipped with fflate
 * (pure JavaScript), because a product script must not depend on a system `zip`.
 */
import { crc32, deflateSync } from 'node:zlib';
import { zipSync } from 'fflate';

export const MANIFEST_VERSION = '1.24';
const ACCENT = '#1F5C99';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

export class PackageError extends Error {}

export interface PackageOptions {
  /** MicrosoftAppId of the Azure Bot: the bot id, and the app id for resource-specific consent. */
  appId: string;
  /** The service's public https URL (PUBLIC_URL): developer pages and valid domain. */
  publicUrl: string;
  /** The app version (package.json). */
  version: string;
}

export function buildManifest(options: PackageOptions): Record<string, unknown> {
  if (!GUID.test(options.appId)) throw new PackageError(`MicrosoftAppId must be the Azure Bot's app id (a GUID), not "${options.appId}".`);
  let url: URL;
  try {
    url = new URL(options.publicUrl);
  } catch {
    throw new PackageError(`PUBLIC_URL must be the service's public https address, not "${options.publicUrl}".`);
  }
  if (url.protocol !== 'https:') throw new PackageError(`PUBLIC_URL must start with https:// (Teams requires it), not "${options.publicUrl}".`);
  const base = url.origin + url.pathname.replace(/\/+$/u, '');
  const commands = {
    team: [
      { title: 'escalaties hier', description: 'Escalaties van de regio (of: escalaties hier Huizen) in dit kanaal' },
      { title: 'zoek', description: 'zoek vraag [gemeente]: voorzieningen, uitleg en sociale kaart' },
      { title: 'opslaan als antwoord', description: 'Een antwoord voorstellen voor de kennisbank (na controle)' },
    ],
    personal: [
      { title: 'zoek', description: 'zoek vraag [gemeente]: voorzieningen, uitleg en sociale kaart' },
      { title: 'opslaan als antwoord', description: 'Een antwoord voorstellen voor de kennisbank (na controle)' },
      { title: 'help', description: 'Wat de assistent in Teams kan' },
    ],
  };
  return {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version: options.version,
    id: options.appId,
    developer: {
      name: 'Wmo-loket assistent',
      websiteUrl: base,
      privacyUrl: `${base}/privacy`,
      termsOfUseUrl: `${base}/voorwaarden`,
    },
    name: { short: 'Wmo-assistent', full: 'Wmo-loket assistent voor consultants' },
    description: {
      short: 'Escalaties van inwoners overnemen, kennis zoeken, antwoorden voorstellen.',
      full: 'Escalaties uit de chat van het Wmo-loket komen als kaart in een kanaal. Neem een gesprek over en help de inwoner vanuit de draad; zoek in de voorzieningen en de sociale kaart; stel een goed antwoord voor aan de kennisbeheerder.',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: ACCENT,
    localizationInfo: { defaultLanguageTag: 'nl-nl' },
    bots: [
      {
        botId: options.appId,
        scopes: ['team', 'personal'],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [
          { scopes: ['team'], commands: commands.team },
          { scopes: ['personal'], commands: commands.personal },
        ],
      },
    ],
    composeExtensions: [
      {
        botId: options.appId,
        commands: [
          {
            id: 'opslaanAlsAntwoord',
            type: 'action',
            title: 'Opslaan als antwoord',
            description: 'Dit bericht voorstellen als antwoord voor de kennisbank (na controle)',
            context: ['message'],
            fetchTask: false,
            parameters: [{ name: 'vraag', title: 'Op welke vraag?', description: 'De vraag van de inwoner (mag leeg)', inputType: 'text' }],
          },
        ],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [url.host],
    webApplicationInfo: { id: options.appId, resource: `api://${url.host}/botid-${options.appId}` },
    authorization: {
      permissions: {
        // Replies in an escalation's thread reach the bot without an @mention.
        resourceSpecific: [{ name: 'ChannelMessage.Read.Group', type: 'Application' }],
      },
    },
  };
}

/** The zip Teams takes: manifest.json, color.png (192×192) and outline.png (32×32, white on transparent). */
export function buildAppPackage(options: PackageOptions): Uint8Array {
  const manifest = buildManifest(options);
  return zipSync(
    {
      'manifest.json': new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
      'color.png': colorIcon(),
      'outline.png': outlineIcon(),
    },
    { level: 9, mtime: new Date('2026-01-01T00:00:00Z') },
  );
}

type Rgba = [number, number, number, number];

/** A speech bubble: a rounded rectangle with a tail at the bottom left, in unit coordinates (0..1). */
function inBubble(x: number, y: number): boolean {
  const [left, top, right, bottom, radius] = [0.18, 0.22, 0.82, 0.68, 0.1];
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  const body = x >= left && x <= right && y >= top && y <= bottom && (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
  const tail = y > bottom - 0.01 && y < 0.84 && x > 0.3 && x < 0.3 + (0.84 - y) * 0.9;
  return body || tail;
}

export function colorIcon(): Uint8Array {
  const accent: Rgba = [0x1f, 0x5c, 0x99, 255];
  return png(192, (x, y) => (inBubble(x, y) ? [255, 255, 255, 255] : accent));
}

/** Teams wants the outline icon white on transparent. */
export function outlineIcon(): Uint8Array {
  const inside = (x: number, y: number) => inBubble(x, y) && !inBubble((x - 0.5) * 1.25 + 0.5, (y - 0.45) * 1.25 + 0.45);
  return png(32, (x, y) => (inside(x, y) ? [255, 255, 255, 255] : [0, 0, 0, 0]));
}

/** An RGBA PNG of size×size; `pixel` gets the pixel's centre in 0..1. */
export function png(size: number, pixel: (x: number, y: number) => Rgba): Uint8Array {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) Buffer.from(pixel((x + 0.5) / size, (y + 0.5) / size)).copy(raw, row + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter set, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}
