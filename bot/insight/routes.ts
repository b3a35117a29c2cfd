/**
 * The beheerder's insight API under /loket/api/, for the staff console (bot/console). The console
 * owns sign-in; these routes take its session check as `authenticate` and answer only a
 * beheerder. Errors are `{ "error": { "code", "message" } }`, as everywhere in the console API.
 *
 *   GET /loket/api/stats?from=YYYY-MM-DD&to=YYYY-MM-DD[&gemeente=GM0406]   the figures as JSON
 *   GET /loket/api/stats.csv (same parameters)                             the same as CSV
 */
import type { Request, Response, Server } from 'restify';
import type { StoreItem } from 'botbuilder';
import type { LoggerView } from '../../dialogs/ports.js';
import { INSIGHT_PREFIX, type ConversationInsight } from './events.js';
import { computeStats, MAX_PERIOD_DAYS, statsCsv, type StatsQuery } from './stats.js';

/** The signed-in employee as the console's session check gives it (bot/staff/accounts.ts). */
export interface SignedIn {
  account: { username: string; rol: string };
}

/** A Storage that lists by key prefix (LowdbStorage does). */
export interface ListingStore {
  list(prefix: string): Promise<Array<{ key: string; value: StoreItem }>>;
}

export interface InsightRouteDeps {
  /**
   * The console's session check (bot/console/api.ts `authenticate`): resolves with the signed-in
   * employee, or throws an error with `status`, `code` and `message` (401 without a session, 403
   * without the CSRF token on a change). `changes` is true for state-changing requests.
   */
  authenticate(req: Request, changes: boolean): Promise<SignedIn>;
  storage: ListingStore;
  /** CBS codes of the municipalities in the knowledge base (a filter for another one is a 400). */
  gemeenten(): string[];
  logger?: LoggerView;
}

export class InsightApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type InsightHandler = (req: Request, res: Response, who: SignedIn) => Promise<void>;

/** A route for the beheerder only: the console's session first (401), then the role (403). */
export function beheerderRoute(deps: Pick<InsightRouteDeps, 'authenticate' | 'logger'>, changes: boolean, handler: InsightHandler) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const who = await deps.authenticate(req, changes);
      if (who.account.rol !== 'beheerder') throw new InsightApiError(403, 'Forbidden', 'Alleen een beheerder kan dit zien.');
      await handler(req, res, who);
    } catch (error) {
      sendInsightError(res, error, deps.logger);
    }
  };
}

export function registerInsightRoutes(server: Server, deps: InsightRouteDeps): void {
  const readStats = async (req: Request) => {
    const query = statsQuery(req.query as Record<string, unknown> | undefined, deps.gemeenten());
    const records = (await deps.storage.list(INSIGHT_PREFIX)).map((item) => item.value as unknown as ConversationInsight);
    return computeStats(records, query);
  };
  server.get('/loket/api/stats', beheerderRoute(deps, false, async (req, res) => {
    res.send(200, await readStats(req));
  }));
  server.get('/loket/api/stats.csv', beheerderRoute(deps, false, async (req, res) => {
    const stats = await readStats(req);
    res.writeHead(200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="wmo-loket-cijfers-${stats.period.from}-${stats.period.to}${stats.gemeente ? `-${stats.gemeente}` : ''}.csv"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(statsCsv(stats));
  }));
}

/** The period and municipality from the query string; anything else is a 400 that says what is wrong. */
export function statsQuery(query: Record<string, unknown> | undefined, gemeenten: string[]): StatsQuery {
  const from = isoDay(query?.from, 'from');
  const to = isoDay(query?.to, 'to');
  if (from > to) throw new InsightApiError(400, 'BadArgument', '"from" ligt na "to". Kies een begindatum vóór de einddatum.');
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days > MAX_PERIOD_DAYS) throw new InsightApiError(400, 'BadArgument', `Kies een periode van hoogstens ${MAX_PERIOD_DAYS} dagen.`);
  const gemeente = query?.gemeente;
  if (gemeente === undefined || gemeente === '') return { from, to };
  if (typeof gemeente !== 'string' || !gemeenten.includes(gemeente)) {
    throw new InsightApiError(400, 'BadArgument', '"gemeente" is geen bekende gemeentecode (zoals GM0406).');
  }
  return { from, to, gemeente };
}

function isoDay(value: unknown, name: string): string {
  const text = typeof value === 'string' ? value : '';
  const time = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
  // 2026-02-30 is not a day: the round trip catches what the pattern lets through.
  const valid = !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
  if (!valid) throw new InsightApiError(400, 'BadArgument', `"${name}" moet een datum zijn als 2026-11-30.`);
  return text;
}

export function sendInsightError(res: Response, error: unknown, logger?: LoggerView): void {
  const e = error as { status?: unknown; code?: unknown; message?: unknown };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.code === 'string') {
    res.send(e.status, { error: { code: e.code, message: String(e.message) } });
    return;
  }
  logger?.error({ err: (error as Error)?.message }, 'insight request failed');
  res.send(500, { error: { code: 'InternalError', message: 'Er ging iets mis. Probeer het opnieuw.' } });
}
