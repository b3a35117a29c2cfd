/**
 * The knowledge manager's insight for the staff console, in one piece for the composition root:
 * the workbench over the live knowledge, and `mount`, which adds the beheerder's API and the
 * dashboard page to the server once the console's session check is there (bot/console, which
 * owns sign-in). Until the console is merged nothing is mounted: these routes have no sign-in
 * of their own.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Server } from 'restify';
import type { LoggerView } from '../../dialogs/ports.js';
import { webDir } from '../paths.js';
import { ReviewStore, type ListableStorage } from '../review/store.js';
import type { LiveKnowledge } from './live.js';
import { InsightStore } from './events.js';
import { registerInsightRoutes, type InsightRouteDeps } from './routes.js';
import { KnowledgeWorkbench } from './workbench.js';

export { LiveKnowledge } from './live.js';
export { registerInsightRoutes, type InsightRouteDeps } from './routes.js';

/** What the handoff service knows of a case (bot/handoff/types.ts HandoffCase), as far as the figures need it. */
export interface HandoffCaseTimes {
  gemeente: string;
  createdAt: string;
  claimedAt?: string;
  endedAt?: string;
  outcome?: string;
  reference: { conversation?: { id?: string } };
}

export interface Insight {
  workbench: KnowledgeWorkbench;
  /** Records a handoff's request, claim and end for the figures; call it on each change of a case. */
  recordHandoff(c: HandoffCaseTimes): Promise<void>;
  /** Adds /loket/api/stats(.csv), the workbench API and /loket/dashboard, behind the console's session check. */
  mount(server: Server, authenticate: InsightRouteDeps['authenticate']): void;
}

/** `counters`: the bot's own store (bot.insight.store), so the figures include the counters it has batched. */
export function createInsight(deps: { storage: ListableStorage; live: LiveKnowledge; upkeepDays: number; logger?: LoggerView; now?: () => Date; counters?: InsightStore }): Insight {
  const workbench = new KnowledgeWorkbench({ storage: deps.storage, live: deps.live, reviews: new ReviewStore(deps.storage, deps.now), logger: deps.logger, now: deps.now });
  const store = deps.counters ?? new InsightStore(deps.storage, deps.now);
  return {
    workbench,
    async recordHandoff(c) {
      const conversationId = c.reference.conversation?.id;
      if (!conversationId) return;
      await store.handoff(conversationId, { requestedAt: c.createdAt, claimedAt: c.claimedAt, closedAt: c.endedAt, outcome: c.outcome }, c.gemeente);
    },
    mount(server, authenticate) {
      registerInsightRoutes(server, {
        authenticate,
        storage: deps.storage,
        gemeenten: () => deps.live.kb.municipalities.map((m) => ({ code: m.code, name: m.name })),
        workbench,
        flushCounters: () => store.flush(),
        upkeepDays: deps.upkeepDays,
        logger: deps.logger,
      });
      registerDashboardFiles(server);
    },
  };
}

const require = createRequire(import.meta.url);
/** Chart.js's UMD build, served from node_modules like the Web Chat bundle (no CDN). */
const chartBundle = join(require.resolve('chart.js'), '..', 'chart.umd.min.js');

export const DASHBOARD_FILES: Record<string, { file: string; type: string }> = {
  '/loket/dashboard': { file: join(webDir, 'loket', 'dashboard.html'), type: 'text/html; charset=utf-8' },
  '/loket/dashboard.js': { file: join(webDir, 'loket', 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
  '/loket/dashboard.css': { file: join(webDir, 'loket', 'dashboard.css'), type: 'text/css; charset=utf-8' },
  '/loket/vendor/chart.umd.min.js': { file: chartBundle, type: 'text/javascript; charset=utf-8' },
};

const HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  // The page's own script and Chart.js only; every figure comes from the same origin's API.
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

/** The dashboard's static files (no data in them: the page asks the API, which checks the session). */
export function registerDashboardFiles(server: Server): void {
  for (const [path, { file, type }] of Object.entries(DASHBOARD_FILES)) {
    server.get(path, async (_req, res) => {
      if (!existsSync(file)) {
        res.send(404, { error: { code: 'NotFound', message: 'Niet gevonden.' } });
        return;
      }
      res.writeHead(200, { 'Content-Type': type, ...HEADERS });
      createReadStream(file).pipe(res);
    });
  }
}
