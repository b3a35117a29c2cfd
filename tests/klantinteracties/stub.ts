/**
 * A stub of the Klantinteracties API 0.9.0 on loopback, for the contract test. Every request is
 * checked against the published OpenAPI description (tests/fixtures/standards): the path and
 * method must exist, query parameters must be ones the API defines, and every request body is
 * validated with ajv against the operation's schema converted from OpenAPI 3.0 to JSON Schema
 * 2019-09 (nullable → null allowed, readOnly fields not required and not accepted, the
 * discriminator as if/then). Unknown fields are refused too (unevaluatedProperties), which is
 * stricter than Open Klant, which ignores them: a misspelt field is our bug either way.
 *
 * It answers as the API does: 201 with the object, its uuid and url; 400 with the
 * vng-api-common error shape (invalidParams); 401 without `Authorization: Token <token>`;
 * paginated lists for searches. Controls simulate an API that is down or that loses an answer.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { Ajv2019, type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { repoRoot } from '../../bot/paths.js';

// ajv-formats is CommonJS with a default export; under NodeNext the plugin is its `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2019) => Ajv2019;
const SPEC_FILE = join(repoRoot, 'tests', 'fixtures', 'standards', 'klantinteracties-0.9.0.openapi.yaml');
const BASE = '/klantinteracties/api/v1';

type Json = Record<string, unknown>;
type SchemaNode = Record<string, unknown>;

interface Operation {
  validate?: ValidateFunction;
  queryParams: Set<string>;
}

/** Per request body: the property may be an object, so unknown fields in it are refused too. */
function closed(schema: unknown): unknown {
  return schema && typeof schema === 'object' && !Array.isArray(schema) ? { ...schema, unevaluatedProperties: false } : schema;
}

/** OpenAPI 3.0 schema → JSON Schema 2019-09, as a request body must satisfy it. */
export function toRequestSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toRequestSchema);
  if (!node || typeof node !== 'object') return node;
  const source = node as SchemaNode;
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(source)) {
    if (['nullable', 'discriminator', 'readOnly', 'example'].includes(key)) continue;
    if (key === 'properties') {
      const properties: SchemaNode = {};
      for (const [name, property] of Object.entries(value as SchemaNode)) {
        // A readOnly field is set by the server; sending it is a mistake (OpenAPI: SHOULD NOT be sent).
        properties[name] = (property as SchemaNode).readOnly ? false : closed(toRequestSchema(property));
      }
      out.properties = properties;
    } else if (key === 'required') {
      const properties = (source.properties ?? {}) as Record<string, SchemaNode>;
      out.required = (value as string[]).filter((name) => !properties[name]?.readOnly);
    } else if (key === 'items') {
      out.items = closed(toRequestSchema(value));
    } else {
      out[key] = toRequestSchema(value);
    }
  }
  const discriminator = source.discriminator as { propertyName: string; mapping: Record<string, string> } | undefined;
  if (discriminator && source.oneOf) {
    // ajv's discriminator needs the property in every branch; here the branches are allOf compositions.
    const { propertyName, mapping } = discriminator;
    delete out.oneOf;
    out.type = 'object';
    out.required = [propertyName];
    out.properties = { [propertyName]: { enum: Object.keys(mapping) } };
    out.allOf = Object.entries(mapping).map(([value, ref]) => ({
      if: { properties: { [propertyName]: { const: value } }, required: [propertyName] },
      then: { $ref: ref },
    }));
  }
  if (source.nullable) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    } else {
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

function loadOperations(): Map<string, Operation> {
  const spec = parse(readFileSync(SPEC_FILE, 'utf8')) as {
    paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; requestBody?: { content: { 'application/json': { schema: { $ref: string } } } } }>>;
    components: { schemas: Record<string, unknown> };
  };
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'klantinteracties', components: { schemas: toRequestSchema(spec.components.schemas) } });
  const operations = new Map<string, Operation>();
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const ref = operation.requestBody?.content['application/json']?.schema.$ref;
      operations.set(`${method.toUpperCase()} ${path}`, {
        validate: ref ? ajv.compile({ $ref: `klantinteracties${ref}`, unevaluatedProperties: false }) : undefined,
        queryParams: new Set((operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)),
      });
    }
  }
  return operations;
}

let operationsCache: Map<string, Operation> | undefined;

/** The field a search parameter filters on, where the name does not say it plainly. */
const FIELD_ALIASES: Record<string, Record<string, string>> = {
  bijlagen: { klantcontact: 'wasBijlageVanKlantcontact' },
};
const IDENTIFICATORS = ['actoridentificator', 'onderwerpobjectidentificator', 'bijlageidentificator'];

function valueAt(collection: string, object: Json, param: string): unknown {
  for (const group of IDENTIFICATORS) {
    if (param.startsWith(group) && param.length > group.length) {
      const field = param.slice(group.length);
      return ((object[group] ?? {}) as Json)[field[0].toLowerCase() + field.slice(1)];
    }
  }
  let value: unknown = object;
  for (const part of param.split('__')) {
    const name = FIELD_ALIASES[collection]?.[part] ?? part;
    value = value && typeof value === 'object' ? (value as Json)[name] : undefined;
  }
  return value;
}

function matches(collection: string, object: Json, param: string, wanted: string): boolean {
  const value = valueAt(collection, object, param);
  if (param === 'plaatsgevondenOp' || param === 'toegewezenOp') return Date.parse(String(value)) === Date.parse(wanted);
  return value !== undefined && value !== null && String(value) === wanted;
}

export interface StubRequest {
  method: string;
  path: string;
  status: number;
  body?: Json;
  authorization?: string;
}

function apiError(status: number, code: string, title: string, invalidParams?: Array<{ name: string; code: string; reason: string }>): Json {
  return { type: `https://open-klant/ref/fouten/${code}/`, code, title, status, detail: title, instance: `urn:uuid:${randomUUID()}`, ...(invalidParams ? { invalidParams } : {}) };
}

function invalidParams(errors: ErrorObject[]): Array<{ name: string; code: string; reason: string }> {
  return errors.map((error) => {
    const path = error.instancePath.split('/').filter(Boolean);
    const missing = (error.params as { missingProperty?: string }).missingProperty;
    const extra = (error.params as { unevaluatedProperty?: string }).unevaluatedProperty;
    if (missing) path.push(missing);
    if (extra) path.push(extra);
    return { name: path.join('.') || 'nonFieldErrors', code: error.keyword, reason: error.message ?? 'ongeldig' };
  });
}

export class KlantinteractiesStub {
  readonly token = `stub-${randomUUID()}`;
  readonly requests: StubRequest[] = [];
  /** Created objects per collection ("klantcontacten" → objects). */
  readonly store = new Map<string, Json[]>();
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private failures: Array<{ path: string; status: number }> = [];
  private losses: string[] = [];
  private readonly operations = (operationsCache ??= loadOperations());

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}${BASE}`;
  }

  objects(collection: string): Json[] {
    return this.store.get(collection) ?? [];
  }

  /** Every request body received, as one text (for "no BSN anywhere" checks). */
  bodies(): string {
    return this.requests.map((r) => JSON.stringify(r.body ?? {})).join('\n');
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** The API goes away: connections are refused until start() again (same port). */
  async stop(): Promise<void> {
    if (!this.server) return;
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    this.server = undefined;
  }

  /** The next `times` POSTs to path answer this status instead of creating anything. */
  failNext(path: string, status = 503, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ path, status });
  }

  /** The API works again. */
  clearFailures(): void {
    this.failures = [];
  }

  /** The next POST to path creates the object, but the connection drops before the answer. */
  loseAnswerOfNext(path: string): void {
    this.losses.push(path);
  }

  private send(res: ServerResponse, status: number, body: Json): void {
    res.writeHead(status, { 'Content-Type': 'application/json', 'API-version': '0.9.0' });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://stub');
    const record: StubRequest = { method: req.method ?? '', path: url.pathname, status: 0, authorization: req.headers.authorization };
    this.requests.push(record);
    const answer = (status: number, body: Json) => {
      record.status = status;
      this.send(res, status, body);
    };

    if (!url.pathname.startsWith(`${BASE}/`)) return answer(404, apiError(404, 'not_found', 'Niet gevonden.'));
    const collection = url.pathname.slice(BASE.length + 1).replace(/\/$/, '');
    const operation = this.operations.get(`${record.method} /${collection}`);
    if (!operation || collection.includes('/')) return answer(405, apiError(405, 'method_not_allowed', `Methode "${record.method}" niet toegestaan.`));

    const auth = req.headers.authorization;
    if (!auth) return answer(401, apiError(401, 'not_authenticated', 'Authenticatiegegevens zijn niet opgegeven.'));
    if (auth !== `Token ${this.token}`) return answer(401, apiError(401, 'authentication_failed', 'Ongeldige token.'));

    if (record.method === 'GET') {
      const unknown = [...url.searchParams.keys()].filter((name) => !operation.queryParams.has(name));
      if (unknown.length) return answer(400, apiError(400, 'invalid', 'Onbekende query parameters.', unknown.map((name) => ({ name, code: 'unknown-parameters', reason: 'Onbekende query parameter.' }))));
      const filters = [...url.searchParams.entries()].filter(([name]) => name !== 'page' && name !== 'pageSize');
      const results = this.objects(collection).filter((object) => filters.every(([name, wanted]) => matches(collection, object, name, wanted)));
      return answer(200, { count: results.length, next: null, previous: null, results });
    }

    if ((req.headers['content-type'] ?? '').split(';')[0] !== 'application/json') {
      return answer(415, apiError(415, 'unsupported_media_type', `Ongeldige media type "${req.headers['content-type'] ?? ''}" in aanvraag.`));
    }
    let body: Json;
    try {
      body = JSON.parse(raw) as Json;
    } catch {
      return answer(400, apiError(400, 'parse_error', 'JSON parse error.'));
    }
    record.body = body;
    if (!operation.validate!(body)) return answer(400, apiError(400, 'invalid', 'Invalid input.', invalidParams(operation.validate!.errors ?? [])));
    const failure = this.failures.findIndex((f) => f.path === `/${collection}`);
    if (failure >= 0) {
      const [{ status }] = this.failures.splice(failure, 1);
      return answer(status, apiError(status, 'unavailable', 'Service tijdelijk niet beschikbaar.'));
    }
    const uuid = randomUUID();
    const object: Json = { uuid, url: `${this.apiRoot}/${collection}/${uuid}`, ...body };
    this.store.set(collection, [...this.objects(collection), object]);
    const loss = this.losses.indexOf(`/${collection}`);
    if (loss >= 0) {
      this.losses.splice(loss, 1);
      record.status = -1; // created, but the client never hears it
      req.socket.destroy();
      return;
    }
    answer(201, object);
  }
}
