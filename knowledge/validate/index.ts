/**
 * Validation of the knowledge files. Every problem names the file, the entry id and the field, so a
 * knowledge manager knows where to edit. Errors block loading (the server refuses to start);
 * warnings (stale "lastChecked", long sentences) do not. The shape of each file is its zod schema
 * (data.ts); here are the rules a schema of one entry cannot say: duplicate ids, references between
 * entries and files, places named by two municipalities, and the warnings.
 */
import { normalize } from '../nlp/dutch.js';
import { isTopicId } from '../topics.js';
import type { Problem } from '../types.js';
import { dataProblems, entryName, serviceProblems } from './data.js';
import { isCbsCode, isIsoDate } from './formats.js';
import { safetySignalsSchema } from './safetySignals.js';
import { schemaProblems } from './schema.js';

export * from './formats.js';

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

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The objects of a list with their positions; anything else the schema has reported already. */
function entries(v: unknown): Array<[Obj, number]> {
  return (Array.isArray(v) ? v : []).flatMap((item, i) => (isObj(item) ? [[item, i] as [Obj, number]] : []));
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** Problems of one entry of one file. */
class Entry {
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

  lastChecked(value: unknown, options: Required<ValidateOptions>, field = 'lastChecked'): void {
    if (!isIsoDate(value)) return;
    const checked = new Date(`${value}T00:00:00Z`);
    const limit = new Date(options.now);
    limit.setUTCMonth(limit.getUTCMonth() - options.staleAfterMonths);
    if (checked < limit) this.warn(field, `last checked ${value}, more than ${options.staleAfterMonths} months ago: check the content again`);
    if (checked.getTime() > options.now.getTime() + 86_400_000) this.warn(field, `${value} lies in the future`);
  }

  b1(value: unknown, path: string): void {
    for (const sentence of (text(value) ?? '').split(/(?<=[.!?])\s+|\n+/)) {
      const words = sentence.split(/\s+/).filter(Boolean).length;
      if (words > B1_MAX_WORDS) this.warn(path, `sentence of ${words} words (B1: at most ${B1_MAX_WORDS}): "${sentence.slice(0, 40)}…"`);
    }
  }
}

/** Reports ids seen twice within one scope ("service", "location", …); a missing id is the schema's. */
class IdRegistry {
  private readonly seen = new Map<string, string>();
  constructor(private readonly kind: string) {}

  add(entry: Entry, id: unknown, path: string, where: string): void {
    if (typeof id !== 'string' || id.trim() === '') return;
    const before = this.seen.get(id);
    if (before) entry.error(path, `duplicate ${this.kind} id "${id}" (also used at ${before})`);
    else this.seen.set(id, where);
  }
}

/** What a service is checked against: the region's municipalities and the organisations/locations known. */
export interface ServiceContext {
  municipalityCodes: ReadonlySet<string>;
  organizationIds: ReadonlySet<string>;
  /** location ids per organization id. */
  locationsByOrganization: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Checks one sociale-kaart service: its schema and its references (also used by the importer). */
export function validateService(service: unknown, ctx: ServiceContext, out: Problem[], file: string = FILES.socialeKaart, index = 0): void {
  out.push(...serviceProblems(file, service, index));
  if (isObj(service)) serviceReferences(service, ctx, new Entry(out, file, entryName(service, 'id', 'services', index)));
}

/** The organization, its locations and the municipalities a service names must exist. */
function serviceReferences(service: Obj, ctx: ServiceContext, e: Entry): void {
  const orgId = text(service.organization_id);
  const knownOrg = orgId !== undefined && ctx.organizationIds.has(orgId);
  if (orgId && !knownOrg) e.error('organization_id', `unknown organization "${orgId}"`);
  for (const [area, i] of entries(service.service_areas)) {
    if (isCbsCode(area.gemeente) && !ctx.municipalityCodes.has(area.gemeente)) e.error(`service_areas[${i}].gemeente`, `municipality ${area.gemeente} is not in municipalities.json`);
  }
  const locations = orgId ? ctx.locationsByOrganization.get(orgId) : undefined;
  (Array.isArray(service.location_ids) ? service.location_ids : []).forEach((loc, i) => {
    if (knownOrg && typeof loc === 'string' && !locations?.has(loc)) e.error(`location_ids[${i}]`, `"${loc}" is not a location of organization "${orgId}"`);
  });
}

/** Duplicate ids across the sociale kaart (locations, phones, … are referred to by id), and each service's references. */
function validateSocialeKaart(kaart: unknown, codes: Set<string>, options: Required<ValidateOptions>, out: Problem[]): Map<string, Set<string>> {
  const areasByService = new Map<string, Set<string>>();
  if (!isObj(kaart)) return areasByService;
  new Entry(out, FILES.socialeKaart).lastChecked(kaart.lastChecked, options);
  const [orgIds, locationIds, phoneIds] = [new IdRegistry('organization'), new IdRegistry('location'), new IdRegistry('phone')];
  const locationsByOrganization = new Map<string, Set<string>>();
  for (const [org, i] of entries(kaart.organizations)) {
    const id = entryName(org, 'id', 'organizations', i);
    const e = new Entry(out, FILES.socialeKaart, id);
    orgIds.add(e, org.id, 'id', `organizations[${i}]`);
    for (const [phone, j] of entries(org.phones)) phoneIds.add(e, phone.id, `phones[${j}].id`, `organization ${id}`);
    for (const [location, j] of entries(org.locations)) locationIds.add(e, location.id, `locations[${j}].id`, `organization ${id}`);
    if (typeof org.id === 'string') locationsByOrganization.set(org.id, new Set(entries(org.locations).map(([l]) => String(l.id))));
  }
  const ctx: ServiceContext = { municipalityCodes: codes, organizationIds: new Set(locationsByOrganization.keys()), locationsByOrganization };
  const [serviceIds, scheduleIds, areaIds] = [new IdRegistry('service'), new IdRegistry('schedule'), new IdRegistry('service area')];
  for (const [service, i] of entries(kaart.services)) {
    const e = new Entry(out, FILES.socialeKaart, entryName(service, 'id', 'services', i));
    const where = `service ${String(service.id)}`;
    serviceIds.add(e, service.id, 'id', `services[${i}]`);
    for (const [phone, j] of entries(service.phones)) phoneIds.add(e, phone.id, `phones[${j}].id`, where);
    for (const [schedule, j] of entries(service.schedules)) scheduleIds.add(e, schedule.id, `schedules[${j}].id`, where);
    for (const [area, j] of entries(service.service_areas)) areaIds.add(e, area.id, `service_areas[${j}].id`, where);
    serviceReferences(service, ctx, e);
    if (typeof service.id === 'string') areasByService.set(service.id, new Set(entries(service.service_areas).map(([a]) => String(a.gemeente))));
  }
  return areasByService;
}

/** Municipality codes once each, and no town named by two municipalities ("ik woon in …" must be clear). */
function validateMunicipalities(list: unknown, options: Required<ValidateOptions>, out: Problem[]): Set<string> {
  const codes = new Set<string>();
  const placeOwner = new Map<string, string>();
  for (const [m, i] of entries(list)) {
    const id = entryName(m, 'code', undefined, i);
    const e = new Entry(out, FILES.municipalities, id);
    if (isCbsCode(m.code)) {
      if (codes.has(m.code)) e.error('code', `duplicate municipality code ${m.code}`);
      else codes.add(m.code);
    }
    const name = text(m.name);
    if (name && !placeOwner.has(normalize(name))) placeOwner.set(normalize(name), id);
    (Array.isArray(m.places) ? m.places : []).forEach((place, j) => {
      if (!text(place)) return;
      const other = placeOwner.get(normalize(place));
      if (other !== undefined && other !== id) e.error(`places[${j}]`, `place "${place}" is also in municipality ${other}`);
      else placeOwner.set(normalize(place), id);
    });
    if (isObj(m.settings)) e.lastChecked(m.settings.lastChecked, options, 'settings.lastChecked');
  }
  return codes;
}

/** A reference to a sociale-kaart service: it must exist, and should serve the municipality. */
function serviceReference(e: Entry, field: string, ref: unknown, gemeente: unknown, areasByService: Map<string, Set<string>>): void {
  if (!text(ref)) return;
  const areas = areasByService.get(ref as string);
  if (!areas) e.error(field, `unknown sociale-kaart service "${String(ref)}"`);
  else if (typeof gemeente === 'string' && !areas.has(gemeente)) e.warn(field, `service "${String(ref)}" does not serve ${gemeente}`);
}

function validateMunicipalityReferences(list: unknown, areasByService: Map<string, Set<string>>, out: Problem[]): void {
  for (const [m] of entries(list)) {
    if (!isObj(m.settings)) continue;
    const e = new Entry(out, FILES.municipalities, String(m.code));
    for (const f of ['vrijwilligerscentraleServiceId', 'wijkteamServiceId', 'clientondersteuningServiceId']) {
      serviceReference(e, `settings.${f}`, m.settings[f], String(m.code), areasByService);
    }
  }
}

function validateProvisions(list: unknown, codes: Set<string>, areasByService: Map<string, Set<string>>, options: Required<ValidateOptions>, out: Problem[]): void {
  const ids = new IdRegistry('provision');
  for (const [p, i] of entries(list)) {
    const e = new Entry(out, FILES.provisions, entryName(p, 'id', undefined, i));
    ids.add(e, p.id, 'id', `[${i}]`);
    for (const field of ['description', 'forWhom', 'howToGet']) e.b1(p[field], field);
    for (const [a, j] of entries(p.availability)) {
      if (isCbsCode(a.gemeente) && !codes.has(a.gemeente)) e.error(`availability[${j}].gemeente`, `municipality ${a.gemeente} is not in municipalities.json`);
      (Array.isArray(a.serviceIds) ? a.serviceIds : []).forEach((sid, k) => serviceReference(e, `availability[${j}].serviceIds[${k}]`, sid, a.gemeente, areasByService));
    }
    e.lastChecked(p.lastChecked, options);
  }
}

function validateArticles(list: unknown, options: Required<ValidateOptions>, out: Problem[]): void {
  const ids = new IdRegistry('article');
  for (const [a, i] of entries(list)) {
    const e = new Entry(out, FILES.articles, entryName(a, 'id', undefined, i));
    ids.add(e, a.id, 'id', `[${i}]`);
    if ((text(a.body) ?? '').split(/\n\s*\n/).length > 3) e.warn('body', 'has more than three paragraphs (B1: keep it short)');
    e.b1(a.body, 'body');
    e.lastChecked(a.lastChecked, options);
  }
}

/** A variant in two groups would give a word two meanings: a warning. */
function validateSynonyms(data: unknown, out: Problem[]): void {
  const owner = new Map<string, string>();
  for (const [s, i] of entries(isObj(data) ? data.synonyms : undefined)) {
    const e = new Entry(out, FILES.synonyms, entryName(s, 'canonical', 'synonyms', i));
    for (const v of Array.isArray(s.variants) ? s.variants : []) {
      if (!text(v)) continue;
      const key = (v as string).trim().toLowerCase();
      const before = owner.get(key);
      if (before && before !== s.canonical) e.warn('variants', `"${String(v)}" is also a variant of "${before}"`);
      owner.set(key, String(s.canonical));
    }
  }
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

/** All problems in the knowledge files, errors and warnings: each file's schema, then the rules across entries and files. */
export function validateKnowledgeData(data: KnowledgeData, options: ValidateOptions = {}): Problem[] {
  const opts: Required<ValidateOptions> = { now: options.now ?? new Date(), staleAfterMonths: options.staleAfterMonths ?? 12 };
  const out: Problem[] = [];
  for (const kind of ['municipalities', 'socialeKaart', 'provisions', 'articles', 'synonyms'] as const) {
    if (data[kind] !== undefined) out.push(...dataProblems(kind, FILES[kind], data[kind]));
  }
  const codes = validateMunicipalities(data.municipalities, opts, out);
  const areasByService = validateSocialeKaart(data.socialeKaart, codes, opts, out);
  validateMunicipalityReferences(data.municipalities, areasByService, out);
  validateProvisions(data.provisions, codes, areasByService, opts, out);
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
