/**
 * Validation of the knowledge files. Every problem names the file, the entry id and the field, so a
 * knowledge manager knows where to edit. Errors block loading (the server refuses to start);
 * warnings (stale "lastChecked", long sentences) do not.
 */
import { normalize } from '../nlp/dutch.js';
import { isTopicId, TOPICS } from '../topics.js';
import type { Problem } from '../types.js';
import {
  isCbsCode,
  isDutchPhone,
  isDutchPostalCode,
  isEmail,
  isHttpUrl,
  isIsoDate,
  parseByday,
  parseClock,
} from './formats.js';

export * from './formats.js';
import { safetySignalsSchema } from './safetySignals.js';
import { schemaProblems } from './schema.js';

/** The raw (parsed, not yet trusted) contents of the knowledge files. */
export interface KnowledgeData {
  municipalities: unknown;
  provisions: unknown;
  articles: unknown;
  socialeKaart: unknown;
  synonyms?: unknown;
  /** safety-signals.json, when the folder has one (the real knowledge folder does). */
  safetySignals?: unknown;
  /** knowledge/eval/<name>.json, by file name. */
  evaluation?: Record<string, unknown>;
}

export interface ValidateOptions {
  /** "Today" for the stale check (default: new Date()). */
  now?: Date;
  /** lastChecked older than this many months gives a warning (default 12). */
  staleAfterMonths?: number;
}

export const FILES = {
  municipalities: 'municipalities.json',
  provisions: 'provisions.json',
  articles: 'articles.json',
  socialeKaart: 'sociale-kaart.json',
  synonyms: 'synonyms.json',
  safetySignals: 'safety-signals.json',
} as const;

/** A sentence longer than this many words gets a B1 warning. */
const B1_MAX_WORDS = 25;
const SERVICE_STATUS = ['active', 'inactive', 'defunct', 'temporarily closed'];
const PHONE_TYPES = ['voice', 'fax', 'text', 'cell', 'video', 'pager', 'textphone'];
const LOCATION_TYPES = ['physical', 'postal', 'virtual'];
const PROVISION_KINDS = ['algemene voorziening', 'maatwerkvoorziening'];

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Collects problems for one entry of one file. */
export class Entry {
  constructor(
    readonly out: Problem[],
    readonly file: string,
    readonly id?: string,
  ) {}

  error(field: string | undefined, message: string): void {
    this.out.push({ severity: 'error', file: this.file, id: this.id, field, message });
  }

  warn(field: string | undefined, message: string): void {
    this.out.push({ severity: 'warning', file: this.file, id: this.id, field, message });
  }

  string(o: Obj, field: string, path = field, required = true): string | undefined {
    const v = o[field];
    if (v === undefined || v === null) {
      if (required) this.error(path, 'is missing');
      return undefined;
    }
    if (typeof v !== 'string') this.error(path, `must be text, is ${typeof v}`);
    else if (v.trim() === '') this.error(path, 'is empty');
    else return v;
    return undefined;
  }

  optString(o: Obj, field: string, path = field): string | undefined {
    return this.string(o, field, path, false);
  }

  boolean(o: Obj, field: string, path = field): void {
    if (typeof o[field] !== 'boolean') this.error(path, o[field] === undefined ? 'is missing' : 'must be true or false');
  }

  array(o: Obj, field: string, path = field, required = true): unknown[] {
    const v = o[field];
    if (v === undefined && !required) return [];
    if (!Array.isArray(v)) {
      this.error(path, v === undefined ? 'is missing' : 'must be a list');
      return [];
    }
    return v;
  }

  stringList(o: Obj, field: string, path = field, required = true): string[] {
    const list = this.array(o, field, path, required);
    list.forEach((v, i) => {
      if (typeof v !== 'string' || v.trim() === '') this.error(`${path}[${i}]`, 'must be non-empty text');
    });
    return list.filter((v): v is string => typeof v === 'string');
  }

  date(o: Obj, field: string, path = field, required = true): string | undefined {
    const v = o[field];
    if (v === undefined && !required) return undefined;
    if (!isIsoDate(v)) {
      this.error(path, v === undefined ? 'is missing' : `"${String(v)}" is not a date (YYYY-MM-DD)`);
      return undefined;
    }
    return v;
  }

  phone(v: unknown, path: string): void {
    if (!isDutchPhone(v)) this.error(path, `"${String(v)}" is not a Dutch phone number (e.g. 035 123 45 67, 0800 1234, 14 035, 088 123 45 67)`);
  }

  email(v: unknown, path: string): void {
    if (v !== undefined && !isEmail(v)) this.error(path, `"${String(v)}" is not an e-mail address`);
  }

  url(v: unknown, path: string, required = false): void {
    if (v === undefined && !required) return;
    if (!isHttpUrl(v)) this.error(path, v === undefined ? 'is missing' : `"${String(v)}" is not a web address (http:// or https://)`);
  }

  topics(o: Obj, field = 'topics'): void {
    const list = this.array(o, field);
    if (Array.isArray(o[field]) && list.length === 0) this.error(field, 'needs at least one topic');
    list.forEach((t, i) => {
      if (!isTopicId(t)) this.error(`${field}[${i}]`, `"${String(t)}" is not a topic id (${TOPICS.join(', ')})`);
    });
  }

  sources(o: Obj): void {
    const list = this.array(o, 'sources');
    if (Array.isArray(o.sources) && list.length === 0) this.error('sources', 'needs at least one source');
    list.forEach((s, i) => {
      if (!isObj(s)) return this.error(`sources[${i}]`, 'must be { title, url }');
      this.string(s, 'title', `sources[${i}].title`);
      this.url(s.url, `sources[${i}].url`, true);
    });
  }

  lastChecked(o: Obj, options: Required<ValidateOptions>, field = 'lastChecked'): void {
    const v = this.date(o, field);
    if (!v) return;
    const checked = new Date(`${v}T00:00:00Z`);
    const limit = new Date(options.now);
    limit.setUTCMonth(limit.getUTCMonth() - options.staleAfterMonths);
    if (checked < limit) this.warn(field, `last checked ${v}, more than ${options.staleAfterMonths} months ago: check the content again`);
    if (checked.getTime() > options.now.getTime() + 86_400_000) this.warn(field, `${v} lies in the future`);
  }

  b1(text: string | undefined, path: string): void {
    if (!text) return;
    for (const sentence of text.split(/(?<=[.!?])\s+|\n+/)) {
      const words = sentence.split(/\s+/).filter(Boolean).length;
      if (words > B1_MAX_WORDS) this.warn(path, `sentence of ${words} words (B1: at most ${B1_MAX_WORDS}): "${sentence.slice(0, 40)}…"`);
    }
  }

  openingHours(list: unknown[], path: string): void {
    list.forEach((h, i) => {
      const p = `${path}[${i}]`;
      if (!isObj(h)) return this.error(p, 'must be { days, opens, closes }');
      const days = h.days;
      if (!Array.isArray(days) || days.length === 0 || !days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) {
        this.error(`${p}.days`, 'must be a list of weekday numbers 1 (Monday) … 7 (Sunday)');
      }
      this.clockRange(h.opens, h.closes, `${p}.opens`, `${p}.closes`);
    });
  }

  clockRange(opens: unknown, closes: unknown, opensPath: string, closesPath: string): void {
    const o = parseClock(opens);
    const c = parseClock(closes);
    if (o === null) this.error(opensPath, `"${String(opens)}" is not a time (HH:MM)`);
    if (c === null) this.error(closesPath, `"${String(closes)}" is not a time (HH:MM)`);
    if (o !== null && c !== null && o >= c) this.error(closesPath, `closes (${String(closes)}) must be after opens (${String(opens)})`);
  }

  contact(c: Obj, path: string): void {
    if (c.phone !== undefined) this.phone(c.phone, `${path}.phone`);
    this.email(c.email, `${path}.email`);
    this.url(c.website, `${path}.website`);
    if (c.address !== undefined) {
      if (!isObj(c.address)) this.error(`${path}.address`, 'must be { street, postalCode, city }');
      else {
        this.string(c.address, 'street', `${path}.address.street`);
        this.string(c.address, 'city', `${path}.address.city`);
        const country = c.address.country ?? 'NL';
        if (country === 'NL' && !isDutchPostalCode(c.address.postalCode)) {
          this.error(`${path}.address.postalCode`, `"${String(c.address.postalCode)}" is not a Dutch postcode (1234 AB)`);
        }
      }
    }
    if (c.openingHours !== undefined) this.openingHours(this.array(c, 'openingHours', `${path}.openingHours`), `${path}.openingHours`);
  }
}

/** Reports ids seen twice within one scope ("service", "location", …). */
class IdRegistry {
  private readonly seen = new Map<string, string>();
  constructor(private readonly kind: string) {}

  add(entry: Entry, id: unknown, path: string, where: string): void {
    if (typeof id !== 'string' || id.trim() === '') {
      entry.error(path, 'id is missing');
      return;
    }
    const before = this.seen.get(id);
    if (before) entry.error(path, `duplicate ${this.kind} id "${id}" (also used at ${before})`);
    else this.seen.set(id, where);
  }

  has(id: string): boolean {
    return this.seen.has(id);
  }
}

/** What a service is checked against: the region's municipalities and the organisations/locations known. */
export interface ServiceContext {
  municipalityCodes: ReadonlySet<string>;
  organizationIds: ReadonlySet<string>;
  /** location ids per organization id. */
  locationsByOrganization: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Checks one sociale-kaart service (also used by the importer for each incoming service). */
export function validateService(service: unknown, ctx: ServiceContext, out: Problem[], file: string = FILES.socialeKaart, index = 0): void {
  const id = isObj(service) && typeof service.id === 'string' ? service.id : `services[${index}]`;
  const e = new Entry(out, file, id);
  if (!isObj(service)) return e.error(undefined, 'must be an object');
  e.string(service, 'id');
  e.string(service, 'name');
  e.string(service, 'description');
  const orgId = e.string(service, 'organization_id');
  if (orgId && !ctx.organizationIds.has(orgId)) e.error('organization_id', `unknown organization "${orgId}"`);
  if (!SERVICE_STATUS.includes(service.status as string)) e.error('status', `"${String(service.status)}" is not one of ${SERVICE_STATUS.join(', ')}`);
  e.email(service.email, 'email');
  e.url(service.url, 'url');
  for (const f of ['eligibility_description', 'application_process', 'fees_description', 'wait_time']) e.optString(service, f);
  for (const f of ['minimum_age', 'maximum_age']) {
    const v = service[f];
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 120)) e.error(f, 'must be a whole number of years (0-120)');
  }
  if (typeof service.minimum_age === 'number' && typeof service.maximum_age === 'number' && service.minimum_age > service.maximum_age) {
    e.error('maximum_age', 'is lower than minimum_age');
  }
  e.array(service, 'phones').forEach((p, i) => {
    if (!isObj(p)) return e.error(`phones[${i}]`, 'must be { id, number }');
    e.string(p, 'id', `phones[${i}].id`);
    e.phone(p.number, `phones[${i}].number`);
    if (p.type !== undefined && !PHONE_TYPES.includes(p.type as string)) e.error(`phones[${i}].type`, `"${String(p.type)}" is not one of ${PHONE_TYPES.join(', ')}`);
  });
  e.array(service, 'schedules').forEach((s, i) => {
    const p = `schedules[${i}]`;
    if (!isObj(s)) return e.error(p, 'must be { id, byday, opens_at, closes_at }');
    e.string(s, 'id', `${p}.id`);
    if (s.freq !== undefined && s.freq !== 'WEEKLY' && s.freq !== 'MONTHLY') e.error(`${p}.freq`, 'must be WEEKLY or MONTHLY');
    if (s.byday !== undefined && !parseByday(s.byday)) e.error(`${p}.byday`, `"${String(s.byday)}" must be days like "MO,TU,WE"`);
    if (s.opens_at !== undefined || s.closes_at !== undefined) e.clockRange(s.opens_at, s.closes_at, `${p}.opens_at`, `${p}.closes_at`);
    const from = e.date(s, 'valid_from', `${p}.valid_from`, false);
    const to = e.date(s, 'valid_to', `${p}.valid_to`, false);
    if (from && to && from > to) e.error(`${p}.valid_to`, 'is before valid_from');
  });
  const areas = e.array(service, 'service_areas');
  if (Array.isArray(service.service_areas) && areas.length === 0) e.error('service_areas', 'needs at least one municipality the service serves');
  areas.forEach((a, i) => {
    const p = `service_areas[${i}]`;
    if (!isObj(a)) return e.error(p, 'must be { id, name, gemeente }');
    e.string(a, 'id', `${p}.id`);
    e.string(a, 'name', `${p}.name`);
    if (!isCbsCode(a.gemeente)) e.error(`${p}.gemeente`, `"${String(a.gemeente)}" is not a CBS code (GM + 4 digits)`);
    else if (!ctx.municipalityCodes.has(a.gemeente)) e.error(`${p}.gemeente`, `municipality ${a.gemeente} is not in municipalities.json`);
  });
  const locations = orgId ? ctx.locationsByOrganization.get(orgId) : undefined;
  e.stringList(service, 'location_ids').forEach((loc, i) => {
    if (orgId && ctx.organizationIds.has(orgId) && !locations?.has(loc)) e.error(`location_ids[${i}]`, `"${loc}" is not a location of organization "${orgId}"`);
  });
  e.topics(service);
  e.array(service, 'taxonomy_terms', 'taxonomy_terms', false).forEach((t, i) => {
    if (!isObj(t)) return e.error(`taxonomy_terms[${i}]`, 'must be { id, code, name }');
    for (const f of ['id', 'code', 'name']) e.string(t, f, `taxonomy_terms[${i}].${f}`);
  });
  e.date(service, 'last_modified', 'last_modified', false);
}

function validateOrganization(org: unknown, index: number, out: Problem[], locationIds: IdRegistry, phoneIds: IdRegistry): void {
  const id = isObj(org) && typeof org.id === 'string' ? org.id : `organizations[${index}]`;
  const e = new Entry(out, FILES.socialeKaart, id);
  if (!isObj(org)) return e.error(undefined, 'must be an object');
  e.string(org, 'name');
  e.string(org, 'description');
  e.email(org.email, 'email');
  e.url(org.website, 'website');
  e.array(org, 'phones', 'phones', false).forEach((p, i) => {
    if (!isObj(p)) return e.error(`phones[${i}]`, 'must be { id, number }');
    phoneIds.add(e, p.id, `phones[${i}].id`, `organization ${id}`);
    e.phone(p.number, `phones[${i}].number`);
  });
  e.array(org, 'locations').forEach((l, i) => {
    const p = `locations[${i}]`;
    if (!isObj(l)) return e.error(p, 'must be { id, location_type, addresses }');
    locationIds.add(e, l.id, `${p}.id`, `organization ${id}`);
    if (!LOCATION_TYPES.includes(l.location_type as string)) e.error(`${p}.location_type`, `must be one of ${LOCATION_TYPES.join(', ')}`);
    if (l.latitude !== undefined && (typeof l.latitude !== 'number' || Math.abs(l.latitude) > 90)) e.error(`${p}.latitude`, 'must be a number between -90 and 90');
    if (l.longitude !== undefined && (typeof l.longitude !== 'number' || Math.abs(l.longitude) > 180)) e.error(`${p}.longitude`, 'must be a number between -180 and 180');
    e.array(l, 'addresses', `${p}.addresses`).forEach((a, j) => {
      const ap = `${p}.addresses[${j}]`;
      if (!isObj(a)) return e.error(ap, 'must be { address_1, city, postal_code, country }');
      e.string(a, 'address_1', `${ap}.address_1`);
      e.string(a, 'city', `${ap}.city`);
      if (a.country !== 'NL') e.error(`${ap}.country`, `"${String(a.country)}": the sociale kaart holds Dutch addresses only (country "NL")`);
      else if (!isDutchPostalCode(a.postal_code)) e.error(`${ap}.postal_code`, `"${String(a.postal_code)}" is not a Dutch postcode (1234 AB)`);
    });
  });
}

function validateSocialeKaart(kaart: unknown, codes: Set<string>, options: Required<ValidateOptions>, out: Problem[]): Set<string> {
  const serviceIds = new Set<string>();
  const file = new Entry(out, FILES.socialeKaart);
  if (!isObj(kaart)) {
    file.error(undefined, 'must be an object { region, example, lastChecked, organizations, services }');
    return serviceIds;
  }
  file.string(kaart, 'region');
  file.boolean(kaart, 'example');
  file.lastChecked(kaart, options);
  const orgIds = new IdRegistry('organization');
  const locationIds = new IdRegistry('location');
  const phoneIds = new IdRegistry('phone');
  const locationsByOrganization = new Map<string, Set<string>>();
  const orgs = file.array(kaart, 'organizations');
  orgs.forEach((org, i) => {
    if (isObj(org)) orgIds.add(new Entry(out, FILES.socialeKaart, `organizations[${i}]`), org.id, 'id', `organizations[${i}]`);
    validateOrganization(org, i, out, locationIds, phoneIds);
    if (isObj(org) && typeof org.id === 'string' && Array.isArray(org.locations)) {
      locationsByOrganization.set(org.id, new Set(org.locations.filter(isObj).map((l) => String(l.id))));
    }
  });
  const ctx: ServiceContext = {
    municipalityCodes: codes,
    organizationIds: new Set(orgs.filter(isObj).map((o) => String(o.id))),
    locationsByOrganization,
  };
  const services = new IdRegistry('service');
  const scheduleIds = new IdRegistry('schedule');
  const areaIds = new IdRegistry('service area');
  file.array(kaart, 'services').forEach((s, i) => {
    validateService(s, ctx, out, FILES.socialeKaart, i);
    if (!isObj(s)) return;
    const e = new Entry(out, FILES.socialeKaart, typeof s.id === 'string' ? s.id : `services[${i}]`);
    services.add(e, s.id, 'id', `services[${i}]`);
    if (typeof s.id === 'string') serviceIds.add(s.id);
    const where = `service ${String(s.id)}`;
    (Array.isArray(s.phones) ? s.phones : []).forEach((p, j) => isObj(p) && phoneIds.add(e, p.id, `phones[${j}].id`, where));
    (Array.isArray(s.schedules) ? s.schedules : []).forEach((p, j) => isObj(p) && scheduleIds.add(e, p.id, `schedules[${j}].id`, where));
    (Array.isArray(s.service_areas) ? s.service_areas : []).forEach((p, j) => isObj(p) && areaIds.add(e, p.id, `service_areas[${j}].id`, where));
  });
  return serviceIds;
}

function validateMunicipalities(list: unknown, options: Required<ValidateOptions>, out: Problem[]): Set<string> {
  const codes = new Set<string>();
  const file = new Entry(out, FILES.municipalities);
  if (!Array.isArray(list)) {
    file.error(undefined, 'must be a list of municipalities');
    return codes;
  }
  // A town name must lead to one municipality, or "ik woon in …" would be ambiguous.
  const placeOwner = new Map<string, string>();
  list.forEach((m, i) => {
    const id = isObj(m) && typeof m.code === 'string' ? m.code : `[${i}]`;
    const e = new Entry(out, FILES.municipalities, id);
    if (!isObj(m)) return e.error(undefined, 'must be an object');
    if (!isCbsCode(m.code)) e.error('code', `"${String(m.code)}" is not a CBS code (GM + 4 digits)`);
    else if (codes.has(m.code)) e.error('code', `duplicate municipality code ${m.code}`);
    else codes.add(m.code);
    e.string(m, 'name');
    e.string(m, 'region');
    validatePlaces(e, m.name, m.places, id, placeOwner);
    e.boolean(m, 'example');
    if (!isObj(m.loket)) e.error('loket', 'is missing');
    else {
      e.string(m.loket, 'name', 'loket.name');
      e.contact(m.loket, 'loket');
    }
    if (!isObj(m.settings)) return e.error('settings', 'is missing');
    const s = m.settings;
    if (!isObj(s.mantelzorgwaardering)) e.error('settings.mantelzorgwaardering', 'is missing');
    else {
      const w = s.mantelzorgwaardering;
      e.string(w, 'form', 'settings.mantelzorgwaardering.form');
      if (!Number.isInteger(w.year) || (w.year as number) < 2015 || (w.year as number) > 2100) e.error('settings.mantelzorgwaardering.year', 'must be the year the amount holds for');
      e.string(w, 'howToApply', 'settings.mantelzorgwaardering.howToApply');
      e.date(w, 'applyUntil', 'settings.mantelzorgwaardering.applyUntil', false);
    }
    e.boolean(s, 'pgbOffered', 'settings.pgbOffered');
    e.string(s, 'vrijwilligerscentraleServiceId', 'settings.vrijwilligerscentraleServiceId');
    e.string(s, 'wijkteamServiceId', 'settings.wijkteamServiceId');
    e.optString(s, 'clientondersteuningServiceId', 'settings.clientondersteuningServiceId');
    e.sources(s);
    e.lastChecked(s, options);
  });
  return codes;
}

/** places: optional list of non-empty town names, none of them also in (or the name of) another municipality. */
function validatePlaces(e: Entry, name: unknown, places: unknown, code: string, owner: Map<string, string>): void {
  if (typeof name === 'string' && name.trim() !== '' && !owner.has(normalize(name))) owner.set(normalize(name), code);
  if (places === undefined) return;
  if (!Array.isArray(places)) return e.error('places', 'must be a list of place names');
  places.forEach((place, j) => {
    const field = `places[${j}]`;
    if (typeof place !== 'string' || place.trim() === '') return e.error(field, 'must be a non-empty place name');
    const key = normalize(place);
    const other = owner.get(key);
    if (other !== undefined && other !== code) e.error(field, `place "${place}" is also in municipality ${other}`);
    else owner.set(key, code);
  });
}

/** Service references from municipality settings, checked once the sociale kaart is known. */
function validateMunicipalityReferences(list: unknown, serviceIds: Set<string>, serviceAreas: Map<string, Set<string>>, out: Problem[]): void {
  if (!Array.isArray(list)) return;
  for (const m of list) {
    if (!isObj(m) || !isObj(m.settings)) continue;
    const e = new Entry(out, FILES.municipalities, String(m.code));
    for (const f of ['vrijwilligerscentraleServiceId', 'wijkteamServiceId', 'clientondersteuningServiceId']) {
      const ref = m.settings[f];
      if (typeof ref !== 'string' || ref === '') continue;
      if (!serviceIds.has(ref)) e.error(`settings.${f}`, `unknown sociale-kaart service "${ref}"`);
      else if (!serviceAreas.get(ref)?.has(String(m.code))) e.warn(`settings.${f}`, `service "${ref}" does not serve ${String(m.code)}`);
    }
  }
}

function validateProvisions(list: unknown, codes: Set<string>, serviceIds: Set<string>, serviceAreas: Map<string, Set<string>>, options: Required<ValidateOptions>, out: Problem[]): void {
  const file = new Entry(out, FILES.provisions);
  if (!Array.isArray(list)) return file.error(undefined, 'must be a list of provisions');
  const ids = new IdRegistry('provision');
  list.forEach((p, i) => {
    const id = isObj(p) && typeof p.id === 'string' ? p.id : `[${i}]`;
    const e = new Entry(out, FILES.provisions, id);
    if (!isObj(p)) return e.error(undefined, 'must be an object');
    ids.add(e, p.id, 'id', `[${i}]`);
    e.string(p, 'name');
    if (p.upl !== undefined) {
      if (!isObj(p.upl)) e.error('upl', 'must be { name, uri }');
      else {
        e.string(p.upl, 'name', 'upl.name');
        e.url(p.upl.uri, 'upl.uri', true);
      }
    }
    if (p.iwmoCategory !== undefined && !(typeof p.iwmoCategory === 'string' && /^\d{2}$/.test(p.iwmoCategory))) e.error('iwmoCategory', 'must be two digits, e.g. "01"');
    if (!PROVISION_KINDS.includes(p.kind as string)) e.error('kind', `must be one of ${PROVISION_KINDS.join(', ')}`);
    e.topics(p);
    e.b1(e.string(p, 'description'), 'description');
    e.b1(e.string(p, 'forWhom'), 'forWhom');
    e.b1(e.string(p, 'howToGet'), 'howToGet');
    if (!isObj(p.costs)) e.error('costs', 'is missing');
    else {
      e.boolean(p.costs, 'abonnementstarief', 'costs.abonnementstarief');
      e.string(p.costs, 'description', 'costs.description');
    }
    const seen = new Set<string>();
    e.array(p, 'availability').forEach((a, j) => {
      const ap = `availability[${j}]`;
      if (!isObj(a)) return e.error(ap, 'must be { gemeente, available }');
      if (!isCbsCode(a.gemeente)) e.error(`${ap}.gemeente`, `"${String(a.gemeente)}" is not a CBS code (GM + 4 digits)`);
      else if (!codes.has(a.gemeente)) e.error(`${ap}.gemeente`, `municipality ${a.gemeente} is not in municipalities.json`);
      else if (seen.has(a.gemeente)) e.error(`${ap}.gemeente`, `${a.gemeente} is listed twice`);
      else seen.add(a.gemeente);
      e.boolean(a, 'available', `${ap}.available`);
      e.optString(a, 'variation', `${ap}.variation`);
      e.stringList(a, 'serviceIds', `${ap}.serviceIds`, false).forEach((sid, k) => {
        if (!serviceIds.has(sid)) e.error(`${ap}.serviceIds[${k}]`, `unknown sociale-kaart service "${sid}"`);
        else if (typeof a.gemeente === 'string' && !serviceAreas.get(sid)?.has(a.gemeente)) e.warn(`${ap}.serviceIds[${k}]`, `service "${sid}" does not serve ${a.gemeente}`);
      });
    });
    e.stringList(p, 'keywords', 'keywords', false);
    e.sources(p);
    e.lastChecked(p, options);
  });
}

function validateArticles(list: unknown, options: Required<ValidateOptions>, out: Problem[]): void {
  const file = new Entry(out, FILES.articles);
  if (!Array.isArray(list)) return file.error(undefined, 'must be a list of articles');
  const ids = new IdRegistry('article');
  list.forEach((a, i) => {
    const id = isObj(a) && typeof a.id === 'string' ? a.id : `[${i}]`;
    const e = new Entry(out, FILES.articles, id);
    if (!isObj(a)) return e.error(undefined, 'must be an object');
    ids.add(e, a.id, 'id', `[${i}]`);
    e.string(a, 'title');
    e.topics(a);
    const body = e.string(a, 'body');
    if (body && body.split(/\n\s*\n/).length > 3) e.warn('body', 'has more than three paragraphs (B1: keep it short)');
    e.b1(body, 'body');
    e.stringList(a, 'followUps');
    e.stringList(a, 'keywords', 'keywords', false);
    e.sources(a);
    e.lastChecked(a, options);
  });
}

function validateSynonyms(data: unknown, out: Problem[]): void {
  const file = new Entry(out, FILES.synonyms);
  if (!isObj(data) || !Array.isArray(data.synonyms)) return file.error('synonyms', 'must be { "synonyms": [{ canonical, variants }] }');
  const owner = new Map<string, string>();
  data.synonyms.forEach((s, i) => {
    const e = new Entry(out, FILES.synonyms, isObj(s) && typeof s.canonical === 'string' ? s.canonical : `synonyms[${i}]`);
    if (!isObj(s)) return e.error(undefined, 'must be { canonical, variants }');
    e.string(s, 'canonical');
    const variants = e.stringList(s, 'variants');
    if (Array.isArray(s.variants) && variants.length === 0) e.error('variants', 'needs at least one variant');
    for (const v of variants) {
      const key = v.trim().toLowerCase();
      const before = owner.get(key);
      if (before && before !== s.canonical) e.warn('variants', `"${v}" is also a variant of "${before}"`);
      owner.set(key, String(s.canonical));
    }
  });
}

/** Evaluation files ([{ text, topic }]): text and a known topic. Training files have their own check in understanding/. */
function validateLabeledSet(files: Record<string, unknown>, folder: string, out: Problem[]): void {
  for (const [name, data] of Object.entries(files)) {
    const e = new Entry(out, `${folder}/${name}`);
    const items: unknown[] = Array.isArray(data)
      ? data
      : isObj(data) && Array.isArray(data.utterances)
        ? data.utterances.map((text) => ({ text, topic: data.topic }))
        : [];
    if (items.length === 0) e.error(undefined, 'must be { topic, utterances: [text, …] } or [{ text, topic }, …] with at least one item');
    items.forEach((item, i) => {
      if (!isObj(item) || typeof item.text !== 'string' || item.text.trim() === '') e.error(`[${i}].text`, 'must be non-empty text');
      if (!isObj(item) || !isTopicId(item.topic)) e.error(`[${i}].topic`, `"${String(isObj(item) ? item.topic : item)}" is not a topic id`);
    });
  }
}

/** All problems in the knowledge files, errors and warnings, in file order. */
export function validateKnowledgeData(data: KnowledgeData, options: ValidateOptions = {}): Problem[] {
  const opts: Required<ValidateOptions> = { now: options.now ?? new Date(), staleAfterMonths: options.staleAfterMonths ?? 12 };
  const out: Problem[] = [];
  const codes = validateMunicipalities(data.municipalities, opts, out);
  const serviceIds = validateSocialeKaart(data.socialeKaart, codes, opts, out);
  const serviceAreas = new Map<string, Set<string>>();
  const kaart = data.socialeKaart;
  if (isObj(kaart) && Array.isArray(kaart.services)) {
    for (const s of kaart.services) {
      if (isObj(s) && typeof s.id === 'string' && Array.isArray(s.service_areas)) {
        serviceAreas.set(s.id, new Set(s.service_areas.filter(isObj).map((a) => String(a.gemeente))));
      }
    }
  }
  validateMunicipalityReferences(data.municipalities, serviceIds, serviceAreas, out);
  validateProvisions(data.provisions, codes, serviceIds, serviceAreas, opts, out);
  validateArticles(data.articles, opts, out);
  if (data.synonyms !== undefined) validateSynonyms(data.synonyms, out);
  if (data.safetySignals !== undefined) out.push(...schemaProblems(FILES.safetySignals, safetySignalsSchema, data.safetySignals));
  if (data.evaluation) validateLabeledSet(data.evaluation, '../eval', out);
  return out;
}

/** One readable line per problem: "error   sociale-kaart.json  wijkteam-huizen  phones[0].number: …". */
export function formatProblem(p: Problem): string {
  const where = [p.file, p.id, p.field].filter(Boolean).join(' › ');
  return `${p.severity === 'error' ? 'error  ' : 'warning'} ${where}: ${p.message}`;
}
