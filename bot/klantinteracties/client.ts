/**
 * A minimal client for the Klantinteracties API (0.9.0, as Open Klant serves it): JSON over
 * HTTPS with `Authorization: Token <token>`. Only create and search: the outbox never updates or
 * deletes anything in the municipality's system.
 */
import type { KlantinteractiesTarget } from './config.js';

/** A created or found object: the {uuid, url} pair the API uses for every reference. */
export interface ApiObject {
  uuid: string;
  url: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status, or undefined when the API could not be reached. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const TIMEOUT_MS = 15_000;

export class KlantinteractiesClient {
  constructor(
    private readonly target: KlantinteractiesTarget,
    private readonly signal?: AbortSignal,
  ) {}

  async create(path: string, body: object): Promise<ApiObject & Record<string, unknown>> {
    const result = await this.request('POST', path, body);
    return asObject(result, `POST ${path}`);
  }

  /** The first page of a filtered list (enough: our filters match one or a handful). */
  async find(path: string, query: Record<string, string>): Promise<Array<ApiObject & Record<string, unknown>>> {
    const search = new URLSearchParams({ ...query, pageSize: '100' });
    const result = (await this.request('GET', `${path}?${search}`)) as { results?: unknown };
    if (!Array.isArray(result?.results)) throw new ApiError(`GET ${path}: the answer has no results list`);
    return result.results.map((item) => asObject(item, `GET ${path}`));
  }

  private async request(method: 'GET' | 'POST', path: string, body?: object): Promise<unknown> {
    const url = `${this.target.apiRoot}${path}`;
    const signals = [AbortSignal.timeout(TIMEOUT_MS), ...(this.signal ? [this.signal] : [])];
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          Authorization: `Token ${this.target.token}`,
          Accept: 'application/json',
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.any(signals),
        redirect: 'error', // never follow a redirect with the token to somewhere else
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new ApiError(`${method} ${url}: not reachable (${cause})`);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw new ApiError(`${method} ${url}: HTTP ${response.status} ${describe(text)}`, response.status);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ApiError(`${method} ${url}: the answer is not JSON`, response.status);
    }
  }
}

function asObject(value: unknown, what: string): ApiObject & Record<string, unknown> {
  const item = value as Partial<ApiObject> | null;
  if (!item || typeof item.uuid !== 'string' || typeof item.url !== 'string') throw new ApiError(`${what}: the answer has no uuid and url`);
  return item as ApiObject & Record<string, unknown>;
}

/** The API's error in one line: title and the invalid parameters (vng-api-common error shape). */
function describe(text: string): string {
  try {
    const body = JSON.parse(text) as { title?: string; detail?: string; invalidParams?: Array<{ name?: string; reason?: string }> };
    const params = (body.invalidParams ?? []).map((p) => `${p.name}: ${p.reason}`).join('; ');
    return [body.title ?? body.detail, params].filter(Boolean).join(' — ').slice(0, 500);
  } catch {
    return text.slice(0, 200);
  }
}
