/**
 * Importing sociale-kaart data (HSDS 3.0 JSON or CSV) into knowledge/data/sociale-kaart.json:
 * map, validate each service with the same rules as kb:check, upsert by id, and write the file
 * atomically (temp file + rename) only after everything was validated.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_DATA_DIR } from '../load.js';
import type { HsdsOrganization, Municipality, Problem, SocialeKaart } from '../types.js';
import { FILES, formatProblem, validateKnowledgeData, validateService } from '../validate/index.js';
import { parseCsvRecords } from './csv.js';
import { type Dropped, mapHsdsService, mapJson, type Mapped, MunicipalityResolver, type MapContext, type Rejected, slug } from './map.js';

export type { Dropped, Rejected } from './map.js';
export { parseCsv, parseCsvRecords, CsvError } from './csv.js';

/** The file could not be read or is not sociale-kaart data at all: nothing was imported. */
export class ImportError extends Error {}

export interface ImportReport {
  file: string;
  format: string;
  added: string[];
  changed: string[];
  unchanged: string[];
  rejected: Rejected[];
  dropped: Dropped[];
  organizations: { added: string[]; changed: string[] };
  /** Whether the store file was (re)written; false on a dry run or when nothing changed. */
  written: boolean;
  store: string;
}

export interface ImportOptions {
  /** Knowledge folder with municipalities.json and sociale-kaart.json (default knowledge/data). */
  kbDir?: string;
  /** Report only, do not write. */
  dryRun?: boolean;
  /** "Today" (for expired schedules); default new Date(). */
  now?: Date;
  /** For tests: the rename that makes the new file visible (simulate a failure here). */
  rename?: (from: string, to: string) => Promise<void>;
}

/** The CSV columns (one service per row). Documented in knowledge/README.md. */
export const CSV_COLUMNS = [
  'id', 'organization_id', 'organization_name', 'organization_description', 'name', 'description', 'status',
  'phone', 'email', 'url', 'gemeenten', 'topics', 'address', 'postal_code', 'city', 'country', 'location_name',
  'opens', 'eligibility', 'application_process', 'fees', 'minimum_age', 'maximum_age', 'last_modified',
] as const;
const REQUIRED_CSV_COLUMNS = ['id', 'name', 'description', 'gemeenten'];

const DAY_NAMES: Record<string, number> = {
  ma: 1, maandag: 1, mo: 1, mon: 1, di: 2, dinsdag: 2, tu: 2, tue: 2, wo: 3, woensdag: 3, we: 3, wed: 3,
  do: 4, donderdag: 4, th: 4, thu: 4, vr: 5, vrijdag: 5, fr: 5, fri: 5, za: 6, zaterdag: 6, sa: 6, sat: 6,
  zo: 7, zondag: 7, su: 7, sun: 7,
};
const BYDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** "ma-vr 09:00-17:00; za 10:00-12:00" → HSDS schedules; null when a part cannot be read. */
export function parseOpens(text: string, serviceId: string): Array<Record<string, string>> | null {
  const out: Array<Record<string, string>> = [];
  for (const [i, part] of text.split(';').map((p) => p.trim()).filter(Boolean).entries()) {
    const m = /^([a-z,\s-]+?)\s+(\d{1,2}[:.]\d{2})\s*(?:-|–|tot)\s*(\d{1,2}[:.]\d{2})$/i.exec(part);
    if (!m) return null;
    const days = new Set<number>();
    for (const piece of m[1].toLowerCase().split(',').map((p) => p.trim())) {
      const [from, to] = piece.split('-').map((d) => DAY_NAMES[d.trim()]);
      if (!from || (piece.includes('-') && !to)) return null;
      for (let d = from; d <= (to ?? from); d++) days.add(d);
    }
    const clock = (v: string): string => v.replace('.', ':').padStart(5, '0');
    out.push({ id: `${serviceId}-schedule-${i + 1}`, freq: 'WEEKLY', byday: [...days].sort().map((d) => BYDAY[d - 1]).join(','), opens_at: clock(m[2]), closes_at: clock(m[3]) });
  }
  return out;
}

const list = (v: string | undefined): string[] => (v ?? '').split(/[;|]/).map((x) => x.trim()).filter(Boolean);

/** CSV rows → HSDS-shaped objects, then the same mapping as HSDS JSON. */
function mapCsv(text: string, ctx: MapContext, existing: SocialeKaart): Mapped {
  let rows: Array<Record<string, string>>;
  try {
    rows = parseCsvRecords(text);
  } catch (err) {
    throw new ImportError(`not a readable CSV file: ${(err as Error).message}`);
  }
  const header = rows.length ? Object.keys(rows[0]) : [];
  const missing = REQUIRED_CSV_COLUMNS.filter((c) => !header.includes(c));
  if (rows.length === 0) throw new ImportError('the CSV file has a header but no rows');
  if (missing.length) throw new ImportError(`the CSV file lacks the column(s) ${missing.join(', ')} (columns: ${CSV_COLUMNS.join(', ')})`);
  const out: Mapped = { candidates: [], rejected: [], dropped: [] };
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (unknown.length) out.dropped.push({ id: '(all rows)', field: unknown.join(', '), reason: 'unknown CSV column(s), ignored' });
  rows.forEach((row, i) => {
    const id = row.id || `row ${i + 2}`;
    const orgId = row.organization_id || (row.organization_name ? slug(row.organization_name) : '');
    const known = existing.organizations.find((o) => o.id === orgId);
    // Reuse the organisation's location at the same address, so a re-import adds no duplicate.
    const same = known?.locations.find((l) => l.addresses.some((a) => slug(`${a.postal_code} ${a.address_1}`) === slug(`${row.postal_code} ${row.address}`)));
    const location =
      row.address || row.postal_code
        ? {
            id: same?.id ?? `${orgId || id}-loc-${slug(`${row.postal_code} ${row.address}`)}`,
            location_type: 'physical',
            ...(row.location_name ? { name: row.location_name } : {}),
            addresses: [{ address_1: row.address, postal_code: row.postal_code, city: row.city, country: row.country || 'NL' }],
          }
        : undefined;
    const organization = row.organization_name
      ? { id: orgId, name: row.organization_name, description: row.organization_description || row.organization_name, locations: [] }
      : known;
    let schedules: unknown[] = [];
    if (row.opens) {
      const parsed = parseOpens(row.opens, id);
      if (parsed) schedules = parsed;
      else out.dropped.push({ id, field: 'opens', value: row.opens, reason: 'not readable as opening hours (e.g. "ma-vr 09:00-17:00; za 10:00-12:00")' });
    }
    const areas = list(row.gemeenten).map((g, j) => {
      const codes = ctx.resolver.find(g);
      return codes.length === 1 ? { id: `${id}-area-${codes[0].toLowerCase()}`, name: `Gemeente ${ctx.resolver.name(codes[0])}`, gemeente: codes[0] } : { id: `${id}-area-${j}`, name: g };
    });
    const service: Record<string, unknown> = {
      id: row.id,
      organization_id: orgId || undefined,
      organization,
      name: row.name,
      description: row.description,
      status: row.status || undefined,
      email: row.email || undefined,
      url: row.url || undefined,
      eligibility_description: row.eligibility || undefined,
      application_process: row.application_process || undefined,
      fees_description: row.fees || undefined,
      minimum_age: row.minimum_age || undefined,
      maximum_age: row.maximum_age || undefined,
      phones: list(row.phone).map((number, j) => ({ id: `${id}-phone-${j + 1}`, number, type: 'voice' })),
      schedules,
      service_areas: areas,
      service_at_locations: location ? [{ location }] : [],
      topics: list(row.topics),
      last_modified: row.last_modified || undefined,
    };
    const before = out.candidates.length;
    mapHsdsService(JSON.parse(JSON.stringify(service)), ctx, undefined, out, i);
    const badTopics = list(row.topics).filter((t) => !out.candidates[before]?.service.topics.includes(t as never));
    if (badTopics.length && out.candidates.length > before) out.dropped.push({ id, field: 'topics', value: badTopics.join('; '), reason: 'not a topic id' });
  });
  return out;
}

/** Deep equality that ignores key order (to tell "changed" from "unchanged"). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Existing organization updated with the incoming fields; locations are merged by id, none removed. */
function mergeOrganization(old: HsdsOrganization | undefined, incoming: HsdsOrganization): HsdsOrganization {
  if (!old) return incoming;
  const locations = new Map(old.locations.map((l) => [l.id, l]));
  for (const l of incoming.locations) locations.set(l.id, l);
  return {
    ...old,
    name: incoming.name,
    description: incoming.description,
    ...(incoming.email ? { email: incoming.email } : {}),
    ...(incoming.website ? { website: incoming.website } : {}),
    ...(incoming.phones?.length ? { phones: incoming.phones } : {}),
    locations: [...locations.values()],
  };
}

/** Writes via a temp file in the same folder and a rename, so readers see the old or the new file, never half of one. */
export async function writeFileAtomic(file: string, content: string, rename: (from: string, to: string) => Promise<void> = fs.rename): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

async function readJsonFile(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new ImportError(`cannot read ${what} ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ImportError(`${what} ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Imports one file into the store; throws ImportError when the file (or the store) cannot be used at all. */
export async function importFile(file: string, options: ImportOptions = {}): Promise<ImportReport> {
  const kbDir = options.kbDir ?? DEFAULT_DATA_DIR;
  const store = path.join(kbDir, FILES.socialeKaart);
  const municipalities = (await readJsonFile(path.join(kbDir, FILES.municipalities), 'municipalities file')) as Municipality[];
  const existing = (await readJsonFile(store, 'sociale kaart')) as SocialeKaart;
  if (!Array.isArray(municipalities) || !existing || !Array.isArray(existing.services) || !Array.isArray(existing.organizations)) {
    throw new ImportError(`the knowledge folder ${kbDir} has no valid municipalities.json / sociale-kaart.json: run npm run kb:check`);
  }
  const ctx: MapContext = { resolver: new MunicipalityResolver(municipalities), today: (options.now ?? new Date()).toISOString().slice(0, 10) };

  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new ImportError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let mapped: Mapped & { format?: string };
  if (/\.csv$/i.test(file)) mapped = { ...mapCsv(text, ctx, existing), format: 'CSV' };
  else {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new ImportError(`${file} is not valid JSON: ${(err as Error).message} (CSV files must end in .csv)`);
    }
    try {
      mapped = mapJson(data, ctx);
    } catch (err) {
      throw new ImportError(`${file}: ${(err as Error).message}`);
    }
  }

  const report: ImportReport = {
    file,
    format: mapped.format ?? 'unknown',
    added: [],
    changed: [],
    unchanged: [],
    rejected: [...mapped.rejected],
    dropped: dedupe(mapped.dropped),
    organizations: { added: [], changed: [] },
    written: false,
    store,
  };

  // Upsert into a copy; each service is validated against the store as it will be.
  const organizations = new Map(existing.organizations.map((o) => [o.id, o]));
  const services = new Map(existing.services.map((s) => [s.id, s]));
  const seen = new Set<string>();
  for (const { service, organization } of mapped.candidates) {
    if (seen.has(service.id)) {
      report.rejected.push({ id: service.id, reasons: ['the file holds this id twice; the first one was imported'] });
      continue;
    }
    seen.add(service.id);
    const org = organization ? mergeOrganization(organizations.get(organization.id), organization) : organizations.get(service.organization_id);
    const problems: Problem[] = [];
    const orgs = new Map(organizations);
    if (org) orgs.set(org.id, org);
    validateService(service, {
      municipalityCodes: new Set(municipalities.map((m) => m.code)),
      organizationIds: new Set(orgs.keys()),
      locationsByOrganization: new Map([...orgs.values()].map((o) => [o.id, new Set(o.locations.map((l) => l.id))])),
    }, problems, path.basename(file));
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length) {
      report.rejected.push({ id: service.id, reasons: errors.map((p) => `${p.field ?? ''}: ${p.message}`.replace(/^: /, '')) });
      continue;
    }
    if (org) {
      const before = organizations.get(org.id);
      if (!before) report.organizations.added.push(org.id);
      else if (!sameJson(before, org) && !report.organizations.changed.includes(org.id)) report.organizations.changed.push(org.id);
      organizations.set(org.id, org);
    }
    const before = services.get(service.id);
    if (!before) report.added.push(service.id);
    else if (sameJson(before, service)) report.unchanged.push(service.id);
    else report.changed.push(service.id);
    services.set(service.id, service);
  }

  const changedAnything = report.added.length + report.changed.length + report.organizations.added.length + report.organizations.changed.length > 0;
  if (!changedAnything || options.dryRun) return report;

  const next: SocialeKaart = { ...existing, organizations: [...organizations.values()], services: [...services.values()] };
  // The whole store must still pass kb:check (e.g. no id collisions) before it replaces the old file.
  const storeErrors = validateKnowledgeData({ municipalities, provisions: [], articles: [], socialeKaart: next }).filter(
    (p) => p.severity === 'error' && p.file === FILES.socialeKaart,
  );
  if (storeErrors.length) throw new ImportError(`the store would become invalid, nothing written:\n${storeErrors.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  await writeFileAtomic(store, `${JSON.stringify(next, null, 2)}\n`, options.rename);
  report.written = true;
  return report;
}

function dedupe(dropped: Dropped[]): Dropped[] {
  const seen = new Set<string>();
  return dropped.filter((d) => {
    const key = `${d.id}|${d.field}|${d.value ?? ''}|${d.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The report as readable lines (the CLI prints these). */
export function formatReport(r: ImportReport): string[] {
  const ids = (xs: string[]): string => (xs.length ? `: ${xs.join(', ')}` : '');
  const lines = [
    `${r.file} (${r.format}) → ${r.store}${r.written ? '' : ' (not written)'}`,
    `added ${r.added.length}${ids(r.added)}`,
    `changed ${r.changed.length}${ids(r.changed)}`,
    `unchanged ${r.unchanged.length}`,
    `rejected ${r.rejected.length}`,
    ...r.rejected.map((x) => `  ✗ ${x.id}: ${x.reasons.join('; ')}`),
  ];
  if (r.organizations.added.length || r.organizations.changed.length) {
    lines.push(`organizations added ${r.organizations.added.length}${ids(r.organizations.added)}, changed ${r.organizations.changed.length}${ids(r.organizations.changed)}`);
  }
  if (r.dropped.length) lines.push(`dropped ${r.dropped.length} field(s):`, ...r.dropped.map((d) => `  – ${d.id} › ${d.field}${d.value !== undefined ? ` ${JSON.stringify(d.value.length > 80 ? `${d.value.slice(0, 80)}…` : d.value)}` : ''}: ${d.reason}`));
  return lines;
}
