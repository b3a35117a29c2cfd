/**
 * The beheerder's insight API under /loket/api/, for the staff console (bot/console). The console
 * owns sign-in; these routes take its session check as `authenticate` and answer only a
 * beheerder. Errors are `{ "error": { "code", "message" } }`, as everywhere in the console API.
 *
 *   GET /loket/api/stats?from=YYYY-MM-DD&to=YYYY-MM-DD[&gemeente=GM0406]   the figures as JSON
 *   GET /loket/api/stats.csv (same parameters)                             the same as CSV
 *   GET /loket/api/insight/filters                         the municipalities to filter by, the topic ids
 *   GET /loket/api/insight/unanswered?from&to[&gemeente]   unanswered questions grouped by similarity
 *   POST /loket/api/insight/unanswered/actions             { action: link|out-of-scope|draft, keys, topic|articleId|article }
 *   GET /loket/api/review[?status=pending]                 the one review list (Teams answers and the workbench's changes)
 *   POST /loket/api/review/:id/approve                     { note?, article? }: checked like kb:check, then live
 *   POST /loket/api/review/:id/reject                      { note? }
 *   GET /loket/api/insight/upkeep                          entries to check again, inactive services, broken references
 */
import type { Request, Response, Server } from 'restify';
import type { StoreItem } from 'botbuilder';
import type { LoggerView } from '../../dialogs/ports.js';
import { INSIGHT_PREFIX, type ConversationInsight } from './events.js';
import { computeStats, MAX_PERIOD_DAYS, statsCsv, type StatsQuery } from './stats.js';
import type { KnowledgeWorkbench, WorkbenchAction } from './workbench.js';
import { TOPICS } from '../../knowledge/topics.js';
import type { Article } from '../../knowledge/types.js';

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
  /** The municipalities in the knowledge base (a filter for another one is a 400). */
  gemeenten(): Array<{ code: string; name: string }>;
  /** The unanswered questions, review list and upkeep; without it only the figures are served. */
  workbench?: KnowledgeWorkbench;
  /** Entries last checked longer ago than this are on the upkeep list (KB_CHECK_DAYS, default 365). */
  upkeepDays?: number;
  /** Writes the counters the bot has batched, so the figures are up to the last message. */
  flushCounters?: () => Promise<void>;
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
  const codes = () => deps.gemeenten().map((g) => g.code);
  server.get('/loket/api/insight/filters', beheerderRoute(deps, false, async (_req, res) => {
    res.send(200, { gemeenten: deps.gemeenten(), topics: TOPICS });
  }));
  const readStats = async (req: Request) => {
    const query = statsQuery(req.query as Record<string, unknown> | undefined, codes());
    await deps.flushCounters?.();
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

  const workbench = deps.workbench;
  if (!workbench) return;
  server.get('/loket/api/insight/unanswered', beheerderRoute(deps, false, async (req, res) => {
    const query = statsQuery(req.query as Record<string, unknown> | undefined, codes());
    res.send(200, { groups: await workbench.unansweredGroups(query) });
  }));
  server.post('/loket/api/insight/unanswered/actions', beheerderRoute(deps, true, async (req, res, who) => {
    const body = objectBody(req);
    if (!['link', 'out-of-scope', 'draft'].includes(String(body.action))) {
      throw new InsightApiError(400, 'BadArgument', '"action" moet link, out-of-scope of draft zijn.');
    }
    res.send(201, await workbench.propose(body as unknown as WorkbenchAction, { username: who.account.username }));
  }));
  server.get('/loket/api/review', beheerderRoute(deps, false, async (req, res) => {
    const status = (req.query as Record<string, unknown> | undefined)?.status;
    if (status !== undefined && !['pending', 'approved', 'rejected'].includes(String(status))) {
      throw new InsightApiError(400, 'BadArgument', '"status" moet pending, approved of rejected zijn.');
    }
    res.send(200, { items: await workbench.reviews.list(status as 'pending' | undefined) });
  }));
  for (const decision of ['approve', 'reject'] as const) {
    server.post(`/loket/api/review/:id/${decision}`, beheerderRoute(deps, true, async (req, res, who) => {
      const body = req.body === undefined ? {} : objectBody(req);
      const note = typeof body.note === 'string' ? body.note.slice(0, 500) : undefined;
      const article = body.article && typeof body.article === 'object' ? (body.article as Article) : undefined;
      res.send(200, await workbench.decide(reviewId(req), decision === 'approve' ? 'approved' : 'rejected', who.account.username, { note, article }));
    }));
  }
  server.get('/loket/api/insight/upkeep', beheerderRoute(deps, false, async (_req, res) => {
    const days = deps.upkeepDays ?? 365;
    res.send(200, { maxAgeDays: days, items: workbench.upkeep(days) });
  }));
}

function objectBody(req: Request): Record<string, unknown> {
  const body = req.body as unknown;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new InsightApiError(400, 'BadArgument', 'Stuur een JSON-object.');
  return body as Record<string, unknown>;
}

function reviewId(req: Request): string {
  const id = (req.params as Record<string, unknown> | undefined)?.id;
  if (typeof id !== 'string' || !/^[0-9A-Za-z:.-]{10,60}$/.test(id)) throw new InsightApiError(404, 'NotFound', 'Dit voorstel bestaat niet.');
  return id;
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
  const e = error as { status?: unknown; code?: unknown; message?: unknown; problems?: unknown };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.code === 'string') {
    const problems = Array.isArray(e.problems) && e.problems.length ? { problems: e.problems } : {};
    res.send(e.status, { error: { code: e.code, message: String(e.message), ...problems } });
    return;
  }
  logger?.error({ err: (error as Error)?.message }, 'insight request failed');
  res.send(500, { error: { code: 'InternalError', message: 'Er ging iets mis. Probeer het opnieuw.' } });
}
