/**
 * Mapping incoming sociale-kaart data (HSDS 3.0 JSON, our own file shape, or CSV rows) to our
 * SocialeKaart types. What does not fit is dropped field by field with a reason, or, when the
 * service cannot stand without it (no municipality of the region, no name), the service is rejected.
 */
import { normalize } from '../nlp/dutch.js';
import { hsdsSchemaErrors, type HsdsDocument } from './hsdsSchema.js';
import { isTopicId, type TopicId } from '../topics.js';
import type {
  HsdsAddress,
  HsdsLocation,
  HsdsOrganization,
  HsdsPhone,
  HsdsSchedule,
  HsdsServiceArea,
  HsdsService,
  HsdsTaxonomyTerm,
  Municipality,
  ServiceStatus,
} from '../types.js';
import {
  isCbsCode,
  isDutchPhone,
  isDutchPostalCode,
  isEmail,
  isHttpUrl,
  isIsoDate,
  isPlaceholder,
  parseByday,
  parseClock,
} from '../validate/formats.js';

/** A field that was left out, and why. */
export interface Dropped {
  id: string;
  field: string;
  value?: string;
  reason: string;
}

export interface Rejected {
  id: string;
  reasons: string[];
}

/** One incoming service with the organisation it belongs to. */
export interface Candidate {
  service: HsdsService;
  organization?: HsdsOrganization;
}

export interface Mapped {
  candidates: Candidate[];
  rejected: Rejected[];
  dropped: Dropped[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const STATUSES: ServiceStatus[] = ['active', 'inactive', 'defunct', 'temporarily closed'];
const PHONE_TYPES = ['voice', 'fax', 'text', 'cell', 'video', 'pager', 'textphone'];

/** HSDS service fields we keep; the rest is listed as ignored (contacts hold personal names: never kept). */
const KEPT_SERVICE_FIELDS = new Set([
  'id', 'organization_id', 'organization', 'name', 'description', 'status', 'email', 'url', 'eligibility_description',
  'application_process', 'fees_description', 'fees', 'wait_time', 'minimum_age', 'maximum_age', 'phones', 'schedules',
  'service_areas', 'service_at_locations', 'location_ids', 'topics', 'taxonomy_terms', 'attributes', 'last_modified',
]);

export function slug(text: string): string {
  return normalize(text).replace(/ /g, '-').slice(0, 60) || 'x';
}

/** Finds the region's municipalities named (by name or CBS code) in a text; the region's name means all. */
export class MunicipalityResolver {
  private readonly byName: Array<{ pattern: RegExp; codes: string[] }> = [];

  constructor(private readonly municipalities: Municipality[]) {
    const regions = new Map<string, string[]>();
    for (const m of municipalities) {
      this.byName.push({ pattern: this.wordPattern(m.name), codes: [m.code] });
      regions.set(m.region, [...(regions.get(m.region) ?? []), m.code]);
    }
    for (const [region, codes] of regions) this.byName.push({ pattern: this.wordPattern(region), codes });
  }

  get regionNames(): string {
    return [...new Set(this.municipalities.map((m) => m.region))].join(', ');
  }

  /** CBS codes named in the text, in the order of municipalities.json. */
  find(text: string): string[] {
    const found = new Set<string>();
    for (const code of text.toUpperCase().match(/GM\d{4}/g) ?? []) {
      if (this.municipalities.some((m) => m.code === code)) found.add(code);
    }
    const normal = ` ${normalize(text)} `;
    for (const { pattern, codes } of this.byName) if (pattern.test(normal)) codes.forEach((c) => found.add(c));
    return this.municipalities.map((m) => m.code).filter((c) => found.has(c));
  }

  name(code: string): string {
    return this.municipalities.find((m) => m.code === code)?.name ?? code;
  }

  private wordPattern(name: string): RegExp {
    return new RegExp(` ${normalize(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `);
  }
}

/** Collects what a mapping drops for one record. */
class Notes {
  constructor(
    readonly id: string,
    readonly dropped: Dropped[],
    readonly reasons: string[] = [],
  ) {}

  drop(field: string, value: unknown, reason: string): void {
    this.dropped.push({ id: this.id, field, value: value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value), reason });
  }

  /** A usable text value, or undefined (placeholder values are dropped with a note). */
  text(o: Obj, field: string, as = field): string | undefined {
    const v = o[field];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return this.drop(as, v, 'not text'), undefined;
    if (isPlaceholder(v, field)) return this.drop(as, v, 'placeholder value'), undefined;
    return v.trim();
  }

  email(o: Obj, field: string, as = field): string | undefined {
    const v = this.text(o, field, as);
    if (v !== undefined && !isEmail(v)) return this.drop(as, v, 'not an e-mail address'), undefined;
    return v;
  }

  url(o: Obj, field: string, as = field): string | undefined {
    const v = this.text(o, field, as);
    if (v !== undefined && !isHttpUrl(v)) return this.drop(as, v, 'not a web address (http:// or https://)'), undefined;
    return v;
  }

  age(o: Obj, field: string): number | undefined {
    const v = o[field];
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 120) return this.drop(field, v, 'not an age in whole years (0-120)'), undefined;
    return n;
  }

  phone(p: unknown, id: string, field: string): HsdsPhone | undefined {
    if (!isObj(p)) return this.drop(field, p, 'not a phone object'), undefined;
    const number = p.number;
    if (!isDutchPhone(number)) {
      const bare = typeof number === 'string' ? number.replace(/["']/g, '').trim() : '';
      const why = [
        typeof number === 'string' && /["']/.test(number) ? 'wrapped in quotes' : '',
        /^\+(?!31)\d{1,3}/.test(bare) ? `foreign country code ${/^\+\d{2}/.exec(bare)![0]}` : '',
      ].filter(Boolean);
      return this.drop(`${field}.number`, number, `not a Dutch phone number${why.length ? ` (${why.join('; ')})` : ''}`), undefined;
    }
    const type = typeof p.type === 'string' && PHONE_TYPES.includes(p.type) ? (p.type as HsdsPhone['type']) : undefined;
    const description = this.text(p, 'description', `${field}.description`);
    return { id: typeof p.id === 'string' && p.id ? p.id : id, number, ...(type ? { type } : {}), ...(description ? { description } : {}) };
  }
}

function toDate(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const d = v.slice(0, 10);
  return isIsoDate(d) ? d : undefined;
}

function toClock(v: unknown): string | undefined {
  return typeof v === 'string' && parseClock(v) !== null ? v.slice(0, 5) : undefined;
}

/** Maps HSDS schedules; expired ones and ones without a checkable weekly time are dropped. */
function mapSchedules(list: unknown, serviceId: string, notes: Notes, today: string): HsdsSchedule[] {
  const out: HsdsSchedule[] = [];
  (Array.isArray(list) ? list : []).forEach((s, i) => {
    const field = `schedules[${i}]`;
    if (!isObj(s)) return notes.drop(field, s, 'not a schedule object');
    const validTo = toDate(s.valid_to);
    if (validTo && validTo < today) return notes.drop(field, s.id, `expired (valid_to ${validTo})`);
    const opens = toClock(s.opens_at);
    const closes = toClock(s.closes_at);
    const byday = typeof s.byday === 'string' && parseByday(s.byday) ? s.byday.toUpperCase().replace(/\s/g, '') : undefined;
    if (!opens || !closes || !byday || parseClock(opens)! >= parseClock(closes)!) {
      return notes.drop(field, s.id, 'no weekly days with opening and closing time (byday, opens_at < closes_at)');
    }
    const freq = s.freq === 'MONTHLY' ? 'MONTHLY' : 'WEEKLY';
    const validFrom = toDate(s.valid_from);
    const description = notes.text(s, 'description', `${field}.description`);
    out.push({
      id: typeof s.id === 'string' && s.id ? s.id : `${serviceId}-schedule-${i + 1}`,
      freq,
      byday,
      opens_at: opens,
      closes_at: closes,
      ...(validFrom ? { valid_from: validFrom } : {}),
      ...(validTo ? { valid_to: validTo } : {}),
      ...(description ? { description } : {}),
    });
  });
  return out;
}

/** HSDS locations → ours; only Dutch addresses are kept (the sociale kaart is for a Dutch region). */
export function mapLocation(l: unknown, notes: Notes, field: string): HsdsLocation | undefined {
  if (!isObj(l) || typeof l.id !== 'string' || !l.id) return notes.drop(field, l, 'location without id'), undefined;
  const type = l.location_type === 'postal' || l.location_type === 'virtual' ? l.location_type : 'physical';
  const addresses: HsdsAddress[] = [];
  (Array.isArray(l.addresses) ? l.addresses : []).forEach((a, j) => {
    const af = `${field}.addresses[${j}]`;
    if (!isObj(a)) return;
    const country = typeof a.country === 'string' ? a.country.toUpperCase() : '';
    if (country !== 'NL') return notes.drop(af, [a.address_1, a.city, a.postal_code, a.country].filter(Boolean).join(', '), `not a Dutch address (country "${country || 'missing'}")`);
    if (!isDutchPostalCode(a.postal_code)) return notes.drop(af, a.postal_code, 'not a Dutch postcode (1234 AB)');
    if (typeof a.address_1 !== 'string' || typeof a.city !== 'string') return notes.drop(af, a, 'street or city missing');
    addresses.push({ address_1: a.address_1, city: a.city, postal_code: String(a.postal_code).toUpperCase(), country: 'NL' });
  });
  if (type === 'physical' && addresses.length === 0) return notes.drop(field, l.id, 'physical location without a Dutch address'), undefined;
  const name = notes.text(l, 'name', `${field}.name`);
  const coords =
    typeof l.latitude === 'number' && typeof l.longitude === 'number' && Math.abs(l.latitude) <= 90 && Math.abs(l.longitude) <= 180
      ? { latitude: l.latitude, longitude: l.longitude }
      : undefined;
  if (!coords && (l.latitude !== undefined || l.longitude !== undefined)) notes.drop(`${field}.latitude`, `${String(l.latitude)}, ${String(l.longitude)}`, 'not a valid latitude/longitude');
  return { id: l.id, location_type: type, ...(name ? { name } : {}), ...coords, addresses };
}

export function mapOrganization(o: unknown, dropped: Dropped[]): HsdsOrganization | undefined {
  if (!isObj(o) || typeof o.id !== 'string' || !o.id) return undefined;
  const notes = new Notes(o.id, dropped);
  const name = notes.text(o, 'name');
  if (!name) return undefined;
  const description = notes.text(o, 'description') ?? name;
  const email = notes.email(o, 'email');
  const website = notes.url(o, 'website');
  const phones = (Array.isArray(o.phones) ? o.phones : []).map((p, i) => notes.phone(p, `${o.id}-phone-${i + 1}`, `phones[${i}]`)).filter((p): p is HsdsPhone => !!p);
  const locations = (Array.isArray(o.locations) ? o.locations : []).map((l, i) => mapLocation(l, notes, `locations[${i}]`)).filter((l): l is HsdsLocation => !!l);
  return { id: o.id, name, description, ...(email ? { email } : {}), ...(website ? { website } : {}), ...(phones.length ? { phones } : {}), locations };
}

/** Our topic ids from HSDS: a `topics` list (our files) or taxonomy terms / attributes with taxonomy "wmo-topic". */
function mapTopics(s: Obj): TopicId[] {
  const found = new Set<TopicId>();
  for (const t of Array.isArray(s.topics) ? s.topics : []) if (isTopicId(t)) found.add(t);
  const terms = [
    ...(Array.isArray(s.taxonomy_terms) ? s.taxonomy_terms : []),
    ...(Array.isArray(s.attributes) ? s.attributes.map((a) => (isObj(a) ? a.taxonomy_term : undefined)) : []),
  ];
  for (const t of terms) if (isObj(t) && t.taxonomy === 'wmo-topic' && isTopicId(t.code)) found.add(t.code);
  return [...found];
}

export interface MapContext {
  resolver: MunicipalityResolver;
  /** YYYY-MM-DD, for dropping expired schedules. */
  today: string;
}

/** One HSDS (or our own) service object → a candidate, or a rejection. */
export function mapHsdsService(s: unknown, ctx: MapContext, parentOrg: unknown, out: Mapped, index: number): void {
  if (!isObj(s)) return void out.rejected.push({ id: `#${index + 1}`, reasons: ['not a service object'] });
  const id = typeof s.id === 'string' && s.id.trim() ? s.id.trim() : `#${index + 1}`;
  const notes = new Notes(id, out.dropped);
  const reasons: string[] = [];
  if (id.startsWith('#')) reasons.push('no id');
  const name = notes.text(s, 'name');
  if (!name) reasons.push('no name');
  const description = notes.text(s, 'description');
  if (!description) reasons.push('no description');

  const organization = mapOrganization(isObj(s.organization) ? s.organization : parentOrg, out.dropped);
  const organizationId = typeof s.organization_id === 'string' && s.organization_id ? s.organization_id : organization?.id;
  if (!organizationId) reasons.push('no organization (organization_id or organization)');

  let status: ServiceStatus = 'active';
  if (s.status !== undefined) {
    if (STATUSES.includes(s.status as ServiceStatus)) status = s.status as ServiceStatus;
    else reasons.push(`status "${String(s.status)}" is not one of ${STATUSES.join(', ')}`);
  }

  // Service areas: ours carry a CBS code; HSDS names the area in free text, which must name a municipality of the region.
  const areas: HsdsServiceArea[] = [];
  (Array.isArray(s.service_areas) ? s.service_areas : []).forEach((a, i) => {
    if (!isObj(a)) return;
    const text = [a.gemeente, a.name, a.description].filter((v) => typeof v === 'string').join(' ');
    const codes = isCbsCode(a.gemeente) ? ctx.resolver.find(a.gemeente) : ctx.resolver.find(text);
    if (codes.length === 0) return notes.drop(`service_areas[${i}]`, text.slice(0, 120), `names no municipality of the region (${ctx.resolver.regionNames})`);
    for (const code of codes) {
      if (areas.some((x) => x.gemeente === code)) continue;
      const own = typeof a.id === 'string' && a.id && codes.length === 1 ? a.id : `${id}-area-${code.toLowerCase()}`;
      areas.push({ id: own, name: typeof a.name === 'string' && codes.length === 1 && a.name.length <= 80 ? a.name : `Gemeente ${ctx.resolver.name(code)}`, gemeente: code });
    }
  });
  if (areas.length === 0) {
    const first = (Array.isArray(s.service_areas) ? s.service_areas : []).find(isObj);
    const text = first ? String(first.name ?? first.description ?? '').slice(0, 60) : '';
    reasons.push(
      text
        ? `service area "${text}…" names no municipality of the region (${ctx.resolver.regionNames})`
        : `no service area: it must name a municipality of the region (${ctx.resolver.regionNames})`,
    );
  }

  const phones = (Array.isArray(s.phones) ? s.phones : []).map((p, i) => notes.phone(p, `${id}-phone-${i + 1}`, `phones[${i}]`)).filter((p): p is HsdsPhone => !!p);
  const schedules = mapSchedules(s.schedules, id, notes, ctx.today);

  // Locations: service_at_locations[].location (HSDS) or location_ids (ours).
  const locationIds: string[] = Array.isArray(s.location_ids) ? s.location_ids.filter((l): l is string => typeof l === 'string') : [];
  const extraLocations: HsdsLocation[] = [];
  (Array.isArray(s.service_at_locations) ? s.service_at_locations : []).forEach((sal, i) => {
    const loc = isObj(sal) ? (sal.location ?? (typeof sal.location_id === 'string' ? { id: sal.location_id } : undefined)) : undefined;
    // A location the organisation describes already is that location (its own description wins).
    if (isObj(loc) && typeof loc.id === 'string' && organization?.locations.some((l) => l.id === loc.id)) {
      locationIds.push(loc.id);
      return;
    }
    if (isObj(loc) && Object.keys(loc).length === 1 && typeof loc.id === 'string') {
      notes.drop(`service_at_locations[${i}]`, loc.id, 'refers to a location that was not imported');
      return;
    }
    const mapped = mapLocation(loc, notes, `service_at_locations[${i}].location`);
    if (mapped) {
      extraLocations.push(mapped);
      if (!locationIds.includes(mapped.id)) locationIds.push(mapped.id);
    }
  });
  // A location listed with the organization but dropped there (e.g. not Dutch) cannot be referenced.
  const usable = new Set([...(organization?.locations ?? []), ...extraLocations].map((l) => l.id));
  const keptLocationIds = locationIds.filter((l) => usable.has(l) || !organization);

  let topics = mapTopics(s);
  if (topics.length === 0) {
    topics = ['sociale-kaart'];
    notes.drop('topics', undefined, 'no wmo-topic taxonomy term: topic set to "sociale-kaart"');
  }
  const taxonomyTerms: HsdsTaxonomyTerm[] = (Array.isArray(s.taxonomy_terms) ? s.taxonomy_terms : [])
    .filter((t): t is Obj => isObj(t) && typeof t.id === 'string' && typeof t.code === 'string' && typeof t.name === 'string' && !isPlaceholder(t.code, 'code'))
    .map((t) => ({ id: t.id as string, code: t.code as string, name: t.name as string, ...(typeof t.taxonomy === 'string' ? { taxonomy: t.taxonomy } : {}) }));

  const ignored = Object.keys(s).filter((k) => !KEPT_SERVICE_FIELDS.has(k) && s[k] !== null && s[k] !== '');
  if (ignored.length) notes.drop(ignored.join(', '), undefined, 'HSDS fields the sociale kaart does not hold (contacts are never kept: personal data)');

  const email = notes.email(s, 'email');
  const url = notes.url(s, 'url');
  const optional: Partial<HsdsService> = {};
  for (const f of ['eligibility_description', 'application_process', 'wait_time'] as const) {
    const v = notes.text(s, f);
    if (v) optional[f] = v;
  }
  const fees = notes.text(s, 'fees_description') ?? notes.text(s, 'fees', 'fees');
  if (fees) optional.fees_description = fees;
  const min = notes.age(s, 'minimum_age');
  const max = notes.age(s, 'maximum_age');
  const lastModified = toDate(s.last_modified);

  if (reasons.length) return void out.rejected.push({ id, reasons });

  const service: HsdsService = {
    id,
    organization_id: organizationId!,
    name: name!,
    description: description!,
    status,
    ...(email ? { email } : {}),
    ...(url ? { url } : {}),
    ...optional,
    ...(min !== undefined ? { minimum_age: min } : {}),
    ...(max !== undefined ? { maximum_age: max } : {}),
    phones,
    schedules,
    service_areas: areas,
    location_ids: [...new Set(keptLocationIds)],
    topics,
    ...(taxonomyTerms.length ? { taxonomy_terms: taxonomyTerms } : {}),
    ...(lastModified ? { last_modified: lastModified } : {}),
  };
  const org = organization ? { ...organization, locations: mergeLocations(organization.locations, extraLocations) } : undefined;
  out.candidates.push({ service, ...(org ? { organization: org } : {}) });
}

export function mergeLocations(base: HsdsLocation[], extra: HsdsLocation[]): HsdsLocation[] {
  const byId = new Map(base.map((l) => [l.id, l]));
  for (const l of extra) if (!byId.has(l.id)) byId.set(l.id, l); // the organisation's own description wins
  return [...byId.values()];
}

function serviceId(s: unknown, index: number): string {
  return isObj(s) && typeof s.id === 'string' && s.id.trim() ? s.id.trim() : `#${index + 1}`;
}

/** At most a handful of schema errors per service: enough to fix the source, short enough to read. */
function schemaReasons(errors: string[]): string[] {
  const shown = errors.slice(0, 5).map((e) => `not valid HSDS 3.0: ${e}`);
  return errors.length > 5 ? [...shown, `and ${errors.length - 5} more schema error(s)`] : shown;
}

/** True when the HSDS document passes the official schema; otherwise it is rejected with its errors by path. */
function schemaAllows(document: HsdsDocument, s: unknown, base: string, index: number, out: Mapped): boolean {
  const errors = hsdsSchemaErrors(document, s, base);
  if (errors.length) out.rejected.push({ id: serviceId(s, index), reasons: schemaReasons(errors) });
  return errors.length === 0;
}

/** Any supported JSON shape → candidates. Throws Error for a JSON value that is no sociale-kaart data. */
export function mapJson(data: unknown, ctx: MapContext): Mapped & { format: string } {
  const out: Mapped = { candidates: [], rejected: [], dropped: [] };
  if (Array.isArray(data)) {
    data.forEach((s, i) => mapHsdsService(s, ctx, undefined, out, i));
    return { ...out, format: 'HSDS service list' };
  }
  if (!isObj(data)) throw new Error('the JSON is not an object or a list of services');
  if (Array.isArray(data.contents)) {
    data.contents.forEach((s, i) => {
      if (schemaAllows('service_list', s, `/contents/${i}`, i, out)) mapHsdsService(s, ctx, undefined, out, i);
    });
    return { ...out, format: 'HSDS paged service list' };
  }
  if (Array.isArray(data.services) && Array.isArray(data.organizations)) {
    // Our own file shape: services refer to organizations by id.
    const orgs = new Map(data.organizations.filter(isObj).map((o) => [o.id, o]));
    data.services.forEach((s, i) => mapHsdsService(s, ctx, isObj(s) ? orgs.get(s.organization_id) : undefined, out, i));
    return { ...out, format: 'sociale-kaart file' };
  }
  if (Array.isArray(data.services) && typeof data.name === 'string') {
    const services = data.services;
    const errors = hsdsSchemaErrors('organization', data);
    services.forEach((s, i) => {
      // An error in the organisation itself stops all its services; one in a service stops that service.
      const own = errors.filter((e) => !e.startsWith('/services/') || e.startsWith(`/services/${i}/`));
      if (own.length) out.rejected.push({ id: serviceId(s, i), reasons: schemaReasons(own) });
      else mapHsdsService(s, ctx, data, out, i);
    });
    return { ...out, format: 'HSDS organization with services' };
  }
  if (typeof data.name === 'string' && ('organization' in data || 'organization_id' in data || 'service_areas' in data)) {
    if (schemaAllows('service', data, '', 0, out)) mapHsdsService(data, ctx, undefined, out, 0);
    return { ...out, format: 'HSDS service' };
  }
  throw new Error('not sociale-kaart data: expected an HSDS service, a paged list { contents }, an organization with services, or { organizations, services }');
}
