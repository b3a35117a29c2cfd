/**
 * Loading the knowledge base: read the JSON files, validate them all, and refuse invalid data with
 * one readable list of problems (the server calls this at start and does not start on errors).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SynonymEntry } from './nlp/dutch.js';
import { knowledgeDataDir } from './paths.js';
import { allowPublicContacts, stringsIn } from './privacy/redact.js';
import { SearchIndex, type SearchHit, type SearchOptions } from './search/index.js';
import type { HsdsOrganization, HsdsService, Municipality, Problem, Provision, Article, SocialeKaart } from './types.js';
import { validateUtterances } from './understanding/training.js';
import { FILES, formatProblem, type KnowledgeData, validateKnowledgeData, type ValidateOptions } from './validate/index.js';

/** knowledge/data in the repository (the same from source and from dist/). */
export const DEFAULT_DATA_DIR = knowledgeDataDir;

export interface KnowledgeBase {
  municipalities: Municipality[];
  provisions: Provision[];
  articles: Article[];
  socialeKaart: SocialeKaart;
  /** Warnings found while loading (errors make loading fail). */
  warnings: Problem[];
  municipality(code: string): Municipality | undefined;
  service(id: string): HsdsService | undefined;
  organization(id: string): HsdsOrganization | undefined;
  search(query: string, options?: SearchOptions): SearchHit[];
}

export class KnowledgeBaseError extends Error {
  constructor(readonly problems: Problem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(`The knowledge base has ${errors.length} error(s):\n${errors.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'KnowledgeBaseError';
  }
}

export interface LoadOptions extends ValidateOptions {
  /** Folder with evaluation sets (default: <dir>/../eval); validated only for text + topic. */
  evalDir?: string;
}

async function readJson(file: string, label: string, problems: Problem[], required: boolean): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    if (missing && !required) return undefined;
    problems.push({ severity: 'error', file: label, message: missing ? 'file is missing' : `cannot be read: ${(err as Error).message}` });
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    problems.push({ severity: 'error', file: label, message: `is not valid JSON: ${(err as Error).message}` });
    return undefined;
  }
}

async function readFolder(dir: string, label: string, problems: Problem[]): Promise<Record<string, unknown> | undefined> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return undefined; // optional folder
  }
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const data = await readJson(path.join(dir, name), `${label}/${name}`, problems, true);
    if (data !== undefined) out[name] = data;
  }
  return out;
}

/** Reads the files of a knowledge folder; unreadable files and broken JSON are returned as problems. */
export async function readKnowledgeData(dir = DEFAULT_DATA_DIR, options: LoadOptions = {}): Promise<{ data: KnowledgeData; problems: Problem[] }> {
  const problems: Problem[] = [];
  const data: KnowledgeData = {
    municipalities: await readJson(path.join(dir, FILES.municipalities), FILES.municipalities, problems, true),
    provisions: await readJson(path.join(dir, FILES.provisions), FILES.provisions, problems, true),
    articles: await readJson(path.join(dir, FILES.articles), FILES.articles, problems, true),
    socialeKaart: await readJson(path.join(dir, FILES.socialeKaart), FILES.socialeKaart, problems, true),
    synonyms: await readJson(path.join(dir, FILES.synonyms), FILES.synonyms, problems, false),
    safetySignals: await readJson(path.join(dir, FILES.safetySignals), FILES.safetySignals, problems, false),
    evaluation: await readFolder(options.evalDir ?? path.join(dir, '..', 'eval'), '../eval', problems),
  };
  return { data, problems };
}

/** Reads and validates a knowledge folder: the data as read, and every problem (errors and warnings). */
async function inspect(dir: string, options: LoadOptions): Promise<{ data: KnowledgeData; problems: Problem[] }> {
  const { data, problems } = await readKnowledgeData(dir, options);
  // Validate even when a file failed to parse, so one run lists every problem; skip only the broken file.
  const present: KnowledgeData = {
    ...data,
    municipalities: data.municipalities ?? [],
    provisions: data.provisions ?? [],
    articles: data.articles ?? [],
    socialeKaart: data.socialeKaart ?? { region: '-', example: true, lastChecked: '2000-01-01', organizations: [], services: [] },
  };
  // Training utterances, when this folder has them (the topic router refuses to start without).
  const trainingDir = path.join(dir, 'training');
  const training = existsSync(trainingDir)
    ? validateUtterances(trainingDir).map((p) => ({ ...p, file: path.relative(dir, p.file) }))
    : [];
  const found = [...validateKnowledgeData(present, options), ...training];
  // A broken file's own entries are not checked, nor references into it (they would all look unknown).
  const broken = new Set(problems.map((p) => p.file));
  const followUp = (p: Problem): boolean =>
    (broken.has(FILES.municipalities) && p.message.includes('not in municipalities.json')) ||
    (broken.has(FILES.socialeKaart) && p.message.includes('unknown sociale-kaart service'));
  return { data, problems: [...problems, ...found.filter((p) => !broken.has(p.file) && !followUp(p))] };
}

/** All problems (errors and warnings) of a knowledge folder, without throwing. */
export async function checkKnowledgeBase(dir = DEFAULT_DATA_DIR, options: LoadOptions = {}): Promise<Problem[]> {
  return (await inspect(dir, options)).problems;
}

/** Builds a KnowledgeBase over already validated data. */
export function createKnowledgeBase(
  data: { municipalities: Municipality[]; provisions: Provision[]; articles: Article[]; socialeKaart: SocialeKaart },
  options: { synonyms?: SynonymEntry[]; warnings?: Problem[] } = {},
): KnowledgeBase {
  const municipalities = new Map(data.municipalities.map((m) => [m.code, m]));
  const services = new Map(data.socialeKaart.services.map((s) => [s.id, s]));
  const organizations = new Map(data.socialeKaart.organizations.map((o) => [o.id, o]));
  const index = SearchIndex.build(data, { synonyms: options.synonyms });
  return {
    ...data,
    warnings: options.warnings ?? [],
    municipality: (code) => municipalities.get(code),
    service: (id) => services.get(id),
    organization: (id) => organizations.get(id),
    search: (query, searchOptions) => index.search(query, searchOptions),
  };
}

/** Reads, validates and indexes the knowledge folder; throws KnowledgeBaseError listing every error. */
export async function loadKnowledgeBase(dir = DEFAULT_DATA_DIR, options: LoadOptions = {}): Promise<KnowledgeBase> {
  const { data, problems } = await inspect(dir, options);
  if (problems.some((p) => p.severity === 'error')) throw new KnowledgeBaseError(problems);
  const synonyms = (data.synonyms as { synonyms?: SynonymEntry[] } | undefined)?.synonyms ?? [];
  // The loket's and the sociale kaart's phone numbers and e-mail addresses are published, not personal data.
  allowPublicContacts(stringsIn([data.municipalities, data.socialeKaart, data.articles, data.provisions]));
  return createKnowledgeBase(
    {
      municipalities: data.municipalities as Municipality[],
      provisions: data.provisions as Provision[],
      articles: data.articles as Article[],
      socialeKaart: data.socialeKaart as SocialeKaart,
    },
    { synonyms, warnings: problems },
  );
}
