/**
 * The official HSDS 3.0 JSON Schemas (hsds-schema/, CC BY-SA 4.0, © Open Referral): an incoming
 * HSDS document is checked against them before it is mapped, and every schema error is
 * reported by its JSON path ("/phones/0/id: must match format "uuid"").
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** Documents the importer reads, by their schema file (a *_list schema is one element of `contents`). */
export type HsdsDocument = 'service' | 'service_list' | 'organization';

const SCHEMA_FILES = ['service', 'service_list', 'organization', 'organization_list', 'service_at_location', 'service_at_location_list'];
// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

let ajv: Ajv | undefined;
const compiled = new Map<HsdsDocument, ValidateFunction>();

function validator(document: HsdsDocument): ValidateFunction {
  if (!ajv) {
    // strict: false because the HSDS schemas carry Frictionless Data keywords (name, constraints, …).
    // The compiled schemas are about 1 MB each: unoptimised code compiles in half the time.
    ajv = new Ajv({ strict: false, allErrors: true, code: { optimize: false } });
    addFormats(ajv);
    for (const name of SCHEMA_FILES) {
      ajv.addSchema(JSON.parse(readFileSync(new URL(`./hsds-schema/${name}.json`, import.meta.url), 'utf8')) as object, name);
    }
  }
  let validate = compiled.get(document);
  if (!validate) {
    validate = ajv.getSchema(document)!;
    compiled.set(document, validate);
  }
  return validate;
}

function describe(error: ErrorObject, base: string): string {
  const extra = error.keyword === 'enum' ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
  return `${base}${error.instancePath || '/'}: ${error.message ?? 'is not valid'}${extra}`;
}

/** The schema errors of a document, each as "path: message"; empty when it is valid HSDS 3.0. */
export function hsdsSchemaErrors(document: HsdsDocument, value: unknown, base = ''): string[] {
  const validate = validator(document);
  if (validate(value)) return [];
  const out = (validate.errors ?? []).map((e) => describe(e, base));
  return [...new Set(out)];
}
