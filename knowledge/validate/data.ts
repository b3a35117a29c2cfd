/**
 * The contract of the knowledge data files (knowledge/data/*.json): one zod schema per file, from
 * which both the TypeScript types (knowledge/types.ts) and the shape checks of `npm run kb:check`
 * come. A schema says what one entry must look like, formats included (dates, CBS codes, Dutch
 * phone numbers, opening hours); what needs more than one entry (duplicate ids, references
 * between entries and files) and the warnings (stale dates, B1) are the rules in index.ts.
 */
import { z } from 'zod';
import { TOPICS } from '../topics.js';
import type { Problem } from '../types.js';
import { isCbsCode, isDutchPhone, isDutchPostalCode, isEmail, isHttpUrl, isIsoDate, parseByday, parseClock } from './formats.js';
import { keyPath } from './schema.js';

/** zod's own wording, in the knowledge manager's terms ("is missing", "must be text, is number"). */
const errorMap: z.ZodErrorMap = (issue, ctx) => {
  if (issue.code === 'invalid_type') {
    if (issue.received === 'undefined') return { message: 'is missing' };
    const expected: Record<string, string> = { string: `must be text, is ${issue.received}`, boolean: 'must be true or false', array: 'must be a list', object: 'must be an object', number: 'must be a number' };
    return { message: expected[issue.expected] ?? ctx.defaultError };
  }
  if (issue.code === 'too_small' && issue.type === 'string') return { message: 'is empty' };
  return { message: ctx.defaultError };
};

/** A format check that quotes the value: `"035 12" is not a Dutch phone number (…)`. */
function format(check: (value: string) => boolean, what: string) {
  return z.string().refine(check, (value) => ({ message: `"${value}" ${what}` }));
}

const text = z.string().trim().min(1);
const date = format(isIsoDate, 'is not a date (YYYY-MM-DD)');
const cbsCode = format(isCbsCode, 'is not a CBS code (GM + 4 digits)');
const phone = format(isDutchPhone, 'is not a Dutch phone number (e.g. 035 123 45 67, 0800 1234, 14 035, 088 123 45 67)');
const email = format(isEmail, 'is not an e-mail address');
const url = format(isHttpUrl, 'is not a web address (http:// or https://)');
const clock = format((v) => parseClock(v) !== null, 'is not a time (HH:MM)');
const postcode = format(isDutchPostalCode, 'is not a Dutch postcode (1234 AB)');

/** An enum whose error quotes the value and lists what is allowed. */
function oneOf<T extends string>(values: readonly [T, ...T[]], message: (value: unknown) => string = (v) => `"${String(v)}" is not one of ${values.join(', ')}`) {
  return z.enum(values, { errorMap: (_issue, ctx) => ({ message: message(ctx.data) }) });
}

const topics = z.array(oneOf(TOPICS, (v) => `"${String(v)}" is not a topic id (${TOPICS.join(', ')})`)).min(1, 'needs at least one topic');
export const sourceSchema = z.object({ title: text, url });
const sources = z.array(sourceSchema).min(1, 'needs at least one source');

/** What a knowledge item says about its own trustworthiness. */
const checked = { sources, lastChecked: date };

/** Opening and closing time on one object: both times, and closing after opening. */
function opensBeforeCloses<T extends z.ZodRawShape>(shape: T, opens: keyof T & string, closes: keyof T & string) {
  return z.object(shape).superRefine((value, ctx) => {
    const record = value as Record<string, unknown>;
    const [o, c] = [parseClock(record[opens]), parseClock(record[closes])];
    if (o !== null && c !== null && o >= c) ctx.addIssue({ code: 'custom', path: [closes], message: `${closes} (${String(record[closes])}) must be after ${opens} (${String(record[opens])})` });
  });
}

const weekdays = z.custom<number[]>((v) => Array.isArray(v) && v.length > 0 && v.every((d) => Number.isInteger(d) && d >= 1 && d <= 7), {
  message: 'must be a list of weekday numbers 1 (Monday) … 7 (Sunday)',
});

/** Opening hours as structured data: one entry per day range (ISO weekdays, 1 = Monday). */
export const openingHoursSchema = opensBeforeCloses({ days: weekdays, opens: clock, closes: clock, note: z.string().optional() }, 'opens', 'closes');

const addressSchema = z.object({ street: text, postalCode: z.string(), city: text, country: z.string().optional() }).superRefine((a, ctx) => {
  if ((a.country ?? 'NL') === 'NL' && !isDutchPostalCode(a.postalCode)) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: `"${a.postalCode}" is not a Dutch postcode (1234 AB)` });
});

const contact = {
  phone: phone.optional(), // Dutch notation, e.g. "035 528 12 34" or "14 035"
  email: email.optional(),
  website: url.optional(),
  address: addressSchema.optional(),
  openingHours: z.array(openingHoursSchema).optional(),
};

export const municipalitySchema = z.object({
  code: cbsCode,
  name: text,
  region: text, // "Gooi en Vechtstreek"
  /** The woonplaatsen/kernen ("Bussum", "Naarden"): residents name their town, not the municipality. */
  places: z.array(z.string().trim().min(1, 'must be a non-empty place name')).optional(),
  /** true for demo data that must not be taken for the municipality's real policy. */
  example: z.boolean(),
  loket: z.object({ name: text, ...contact }),
  settings: z.object({
    mantelzorgwaardering: z.object({
      form: text, // B1: what it is ("een cadeaubon van €100")
      year: z.number().int('must be the year the amount holds for').min(2015, 'must be the year the amount holds for').max(2100, 'must be the year the amount holds for'),
      howToApply: text,
      applyUntil: date.optional(),
    }),
    pgbOffered: z.boolean(),
    /** ids of the sociale-kaart services that are the local vrijwilligerscentrale, wijkteam and cliëntondersteuning. */
    vrijwilligerscentraleServiceId: text,
    wijkteamServiceId: text,
    clientondersteuningServiceId: text.optional(),
    ...checked,
  }),
});

export const provisionSchema = z.object({
  id: text, // "huishoudelijke-hulp-maatwerk"
  name: text,
  upl: z.object({ name: text, uri: url }).optional(), // http://standaarden.overheid.nl/owms/terms/huishHulp
  iwmoCategory: z.string().regex(/^\d{2}$/, 'must be two digits, e.g. "01"').optional(),
  kind: oneOf(['algemene voorziening', 'maatwerkvoorziening'], () => 'must be one of algemene voorziening, maatwerkvoorziening'),
  topics,
  description: text, // B1
  forWhom: text,
  howToGet: text,
  costs: z.object({ abonnementstarief: z.boolean(), description: text }),
  /** Per municipality: available or not, and what differs there. Missing code = not offered. */
  availability: z
    .array(z.object({ gemeente: cbsCode, available: z.boolean(), variation: text.optional(), serviceIds: z.array(text).optional() }))
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach(({ gemeente }, j) => {
        if (seen.has(gemeente)) ctx.addIssue({ code: 'custom', path: [j, 'gemeente'], message: `${gemeente} is listed twice` });
        seen.add(gemeente);
      });
    }),
  keywords: z.array(text).optional(),
  ...checked,
});

export const articleSchema = z.object({
  id: text, // "procedure-onderzoek-zes-weken"
  title: text,
  topics,
  /** B1 text, at most three short paragraphs separated by blank lines. */
  body: text,
  /** Follow-up questions offered as buttons. */
  followUps: z.array(text),
  keywords: z.array(text).optional(),
  ...checked,
});

/* ---- Sociale kaart: aligned with Open Referral HSDS 3.0 ---- */

export const hsdsPhoneSchema = z.object({
  id: text,
  number: phone,
  type: oneOf(['voice', 'fax', 'text', 'cell', 'video', 'pager', 'textphone']).optional(),
  description: z.string().optional(),
});

export const hsdsScheduleSchema = opensBeforeCloses(
  {
    id: text,
    freq: oneOf(['WEEKLY', 'MONTHLY'], () => 'must be WEEKLY or MONTHLY').optional(),
    byday: z.string().refine((v) => parseByday(v) !== null, (v) => ({ message: `"${v}" must be days like "MO,TU,WE"` })).optional(), // "MO,TU,WE"
    opens_at: clock.optional(), // "09:00"
    closes_at: clock.optional(),
    valid_from: date.optional(),
    valid_to: date.optional(),
    description: z.string().optional(),
  },
  'opens_at',
  'closes_at',
).superRefine((s, ctx) => {
  // A time without its other half is no opening hour.
  if ((s.opens_at === undefined) !== (s.closes_at === undefined)) {
    const missing = s.opens_at === undefined ? 'opens_at' : 'closes_at';
    ctx.addIssue({ code: 'custom', path: [missing], message: '"undefined" is not a time (HH:MM)' });
  }
  if (s.valid_from && s.valid_to && s.valid_from > s.valid_to) ctx.addIssue({ code: 'custom', path: ['valid_to'], message: 'is before valid_from' });
});

/** A municipality the service serves, by CBS code (our extension: HSDS leaves the extent free). */
export const hsdsServiceAreaSchema = z.object({ id: text, name: text, gemeente: cbsCode });

export const hsdsTaxonomyTermSchema = z.object({ id: text, code: text, name: text, parent_id: z.string().optional(), taxonomy: z.string().optional() });

const AGE = 'must be a whole number of years (0-120)';
const age = z.number().int(AGE).min(0, AGE).max(120, AGE);

export const serviceSchema = z
  .object({
    id: text,
    organization_id: text,
    name: text,
    description: text,
    status: oneOf(['active', 'inactive', 'defunct', 'temporarily closed']),
    email: email.optional(),
    url: url.optional(),
    eligibility_description: text.optional(),
    application_process: text.optional(),
    fees_description: text.optional(),
    wait_time: text.optional(),
    minimum_age: age.optional(),
    maximum_age: age.optional(),
    phones: z.array(hsdsPhoneSchema),
    schedules: z.array(hsdsScheduleSchema),
    service_areas: z.array(hsdsServiceAreaSchema).min(1, 'needs at least one municipality the service serves'),
    /** ids of locations of the organization where the service is given (service_at_location). */
    location_ids: z.array(text),
    /** Our topic ids, stored as HSDS taxonomy terms with taxonomy "wmo-topic". */
    topics,
    taxonomy_terms: z.array(hsdsTaxonomyTermSchema).optional(),
    last_modified: date.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.minimum_age !== undefined && s.maximum_age !== undefined && s.minimum_age > s.maximum_age) {
      ctx.addIssue({ code: 'custom', path: ['maximum_age'], message: 'is lower than minimum_age' });
    }
  });

export const hsdsAddressSchema = z.object({
  address_1: text,
  city: text,
  postal_code: postcode,
  country: z.literal('NL', { errorMap: (_issue, ctx) => ({ message: `"${String(ctx.data)}": the sociale kaart holds Dutch addresses only (country "NL")` }) }),
  state_province: z.string().optional(),
});

export const hsdsLocationSchema = z.object({
  id: text,
  location_type: oneOf(['physical', 'postal', 'virtual'], () => 'must be one of physical, postal, virtual'),
  name: z.string().optional(),
  latitude: z.number().min(-90, 'must be a number between -90 and 90').max(90, 'must be a number between -90 and 90').optional(),
  longitude: z.number().min(-180, 'must be a number between -180 and 180').max(180, 'must be a number between -180 and 180').optional(),
  addresses: z.array(hsdsAddressSchema),
});

export const organizationSchema = z.object({
  id: text,
  name: text,
  description: text,
  email: email.optional(),
  website: url.optional(),
  phones: z.array(hsdsPhoneSchema).optional(),
  locations: z.array(hsdsLocationSchema),
});

export const socialeKaartSchema = z.object({
  region: text,
  example: z.boolean(),
  lastChecked: date,
  organizations: z.array(organizationSchema),
  services: z.array(serviceSchema),
});

const synonymsSchema = z.object({
  synonyms: z.array(z.object({ canonical: text, variants: z.array(text).min(1, 'needs at least one variant') })),
});

const DATA_SCHEMAS = {
  municipalities: z.array(municipalitySchema),
  provisions: z.array(provisionSchema),
  articles: z.array(articleSchema),
  socialeKaart: socialeKaartSchema,
  synonyms: synonymsSchema,
} as const;

/**
 * Where a file's entries are and which field names one: an issue inside an entry is reported as
 * `file › <entry id> › <field in the entry>`, anything else as `file › <field>`. The list is
 * undefined when the file itself is the list.
 */
const ENTRIES: Record<keyof typeof DATA_SCHEMAS, { lists: Array<string | undefined>; idField: string }> = {
  municipalities: { lists: [undefined], idField: 'code' },
  provisions: { lists: [undefined], idField: 'id' },
  articles: { lists: [undefined], idField: 'id' },
  socialeKaart: { lists: ['organizations', 'services'], idField: 'id' },
  synonyms: { lists: ['synonyms'], idField: 'canonical' },
};

/** The name of an entry: its id when that is text, else its position (`services[3]`, `[0]`). */
export function entryName(entry: unknown, idField: string, list: string | undefined, index: number): string {
  const id = entry && typeof entry === 'object' ? (entry as Record<string, unknown>)[idField] : undefined;
  return typeof id === 'string' && id.trim() !== '' ? id : `${list ?? ''}[${index}]`;
}

/** Every shape problem of one data file, as `file › entry › field: message`. */
export function dataProblems(kind: keyof typeof DATA_SCHEMAS, file: string, value: unknown): Problem[] {
  const { lists, idField } = ENTRIES[kind];
  return issues(DATA_SCHEMAS[kind], value).map(({ path, message }) => {
    for (const list of lists) {
      const at = list === undefined ? 0 : 1;
      if ((list !== undefined && path[0] !== list) || typeof path[at] !== 'number') continue;
      const container: unknown = list === undefined ? value : (value as Record<string, unknown>)[list];
      const entry = (container as unknown[])[path[at] as number];
      return problem(file, entryName(entry, idField, list, path[at] as number), path.slice(at + 1), message);
    }
    return problem(file, undefined, path, message);
  });
}

/** One sociale-kaart service on its own (the importer checks each incoming service). */
export function serviceProblems(file: string, service: unknown, index = 0): Problem[] {
  return issues(serviceSchema, service).map(({ path, message }) => problem(file, entryName(service, 'id', 'services', index), path, message));
}

function issues(schema: z.ZodTypeAny, value: unknown): z.ZodIssue[] {
  const result = schema.safeParse(value, { errorMap });
  return result.success ? [] : result.error.issues;
}

function problem(file: string, id: string | undefined, path: Array<string | number>, message: string): Problem {
  return { severity: 'error', file, id, field: keyPath(path) || undefined, message };
}
