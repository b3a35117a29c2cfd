/**
 * Where each municipality's records go. Environment variables, like the rest of the service:
 *
 *   KLANTINTERACTIES_URL, KLANTINTERACTIES_TOKEN, KLANTINTERACTIES_ORGANISATORISCHE_EENHEID
 *     the region default, used for every municipality without its own;
 *   the same names with _GM0406 (a CBS code) appended
 *     one municipality's own API, token or organisational unit.
 *
 * A municipality with its own URL must also have its own token and organisational unit: the
 * region's token must never be sent to another server, and the unit is an actor in that API.
 */
const NAMES = ['URL', 'TOKEN', 'ORGANISATORISCHE_EENHEID'] as const;
type Name = (typeof NAMES)[number];
const PREFIX = 'KLANTINTERACTIES_';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface KlantinteractiesSettings {
  url?: string;
  token?: string;
  /** uuid of the actor (soort organisatorische_eenheid) that gets the interne taken. */
  organisatorischeEenheid?: string;
}

export interface KlantinteractiesConfig {
  region: KlantinteractiesSettings;
  /** Per CBS code ("GM0406"). */
  gemeenten: Record<string, KlantinteractiesSettings>;
}

/** One municipality's resolved destination. */
export interface KlantinteractiesTarget {
  gemeente: string;
  apiRoot: string;
  token: string;
  organisatorischeEenheid: string;
}

export class KlantinteractiesConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const FIELD: Record<Name, keyof KlantinteractiesSettings> = {
  URL: 'url',
  TOKEN: 'token',
  ORGANISATORISCHE_EENHEID: 'organisatorischeEenheid',
};

/** Reads the variables; checks their form (the municipalities are checked by resolveTargets). */
export function readKlantinteractiesConfig(env: NodeJS.ProcessEnv): KlantinteractiesConfig {
  const config: KlantinteractiesConfig = { region: {}, gemeenten: {} };
  for (const [variable, raw] of Object.entries(env)) {
    if (!variable.startsWith(PREFIX) || raw === undefined || raw.trim() === '') continue;
    const rest = variable.slice(PREFIX.length);
    const name = NAMES.find((n) => rest === n || rest.startsWith(`${n}_`));
    // KLANTINTERACTIES_URL_GM0406 starts with URL_; ORGANISATORISCHE_EENHEID has no shorter twin.
    if (!name) throw new KlantinteractiesConfigError(`${variable} is not a setting; use ${NAMES.map((n) => PREFIX + n).join(', ')}, optionally followed by _ and a CBS code (e.g. ${PREFIX}URL_GM0406).`);
    const suffix = rest.slice(name.length);
    const value = checkValue(variable, name, raw.trim());
    if (suffix === '') {
      config.region[FIELD[name]] = value;
      continue;
    }
    const code = suffix.slice(1);
    if (!/^GM\d{4}$/.test(code)) throw new KlantinteractiesConfigError(`${variable}: "${code}" is not a CBS municipality code such as GM0406.`);
    (config.gemeenten[code] ??= {})[FIELD[name]] = value;
  }
  return config;
}

function checkValue(variable: string, name: Name, value: string): string {
  if (name === 'URL') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new KlantinteractiesConfigError(`${variable} must be the API root, e.g. https://openklant.gemeente.nl/klantinteracties/api/v1, not "${value}".`);
    }
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      throw new KlantinteractiesConfigError(`${variable} must use https (the token travels with every request); http is only allowed on localhost.`);
    }
    if (url.search || url.hash || url.username) throw new KlantinteractiesConfigError(`${variable} must be the API root without query, fragment or credentials.`);
    return value.replace(/\/+$/, '');
  }
  if (name === 'TOKEN' && /\s/.test(value)) {
    throw new KlantinteractiesConfigError(`${variable} must be the token itself (no spaces, without "Token " in front).`);
  }
  if (name === 'ORGANISATORISCHE_EENHEID' && !UUID.test(value)) {
    throw new KlantinteractiesConfigError(`${variable} must be the uuid of the actor (soort organisatorische_eenheid) in the Klantinteracties API, not "${value}".`);
  }
  return value;
}

export function isConfigured(config: KlantinteractiesConfig): boolean {
  return !!config.region.url || Object.values(config.gemeenten).some((g) => !!g.url);
}

/**
 * Each known municipality's destination. Throws a clear error for incomplete settings and for
 * codes that are not in the region's municipality list.
 */
export function resolveTargets(config: KlantinteractiesConfig, known: string[]): Map<string, KlantinteractiesTarget> {
  const problems: string[] = [];
  const { region } = config;
  if (region.url && !region.token) problems.push(`${PREFIX}URL is set but ${PREFIX}TOKEN is not.`);
  if (region.url && !region.organisatorischeEenheid) problems.push(`${PREFIX}URL is set but ${PREFIX}ORGANISATORISCHE_EENHEID is not (the uuid of the actor that gets callback requests and meldingen).`);
  if (!region.url && (region.token || region.organisatorischeEenheid)) problems.push(`${PREFIX}TOKEN or ${PREFIX}ORGANISATORISCHE_EENHEID is set without ${PREFIX}URL.`);
  for (const [code, own] of Object.entries(config.gemeenten)) {
    if (!known.includes(code)) problems.push(`${PREFIX}…_${code}: ${code} is not one of the region's municipalities (${known.join(', ')}).`);
    if (own.url) {
      if (!own.token) problems.push(`${PREFIX}URL_${code} is set, so ${PREFIX}TOKEN_${code} must be too (the region's token is never sent to another server).`);
      if (!own.organisatorischeEenheid) problems.push(`${PREFIX}URL_${code} is set, so ${PREFIX}ORGANISATORISCHE_EENHEID_${code} must be too (an actor of that API).`);
    } else if (own.token) {
      problems.push(`${PREFIX}TOKEN_${code} is set without ${PREFIX}URL_${code}.`);
    } else if (!region.url) {
      problems.push(`${PREFIX}ORGANISATORISCHE_EENHEID_${code} is set, but neither ${PREFIX}URL_${code} nor ${PREFIX}URL is.`);
    }
  }
  if (problems.length) throw new KlantinteractiesConfigError(`Klantinteracties configuration:\n- ${problems.join('\n- ')}`);

  const targets = new Map<string, KlantinteractiesTarget>();
  for (const code of known) {
    const own = config.gemeenten[code] ?? {};
    const url = own.url ?? region.url;
    if (!url) continue;
    targets.set(code, {
      gemeente: code,
      apiRoot: url,
      token: own.url ? own.token! : region.token!,
      organisatorischeEenheid: own.organisatorischeEenheid ?? region.organisatorischeEenheid!,
    });
  }
  return targets;
}
