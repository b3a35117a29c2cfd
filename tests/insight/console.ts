/**
 * A restify server with the insight routes mounted as the staff console will mount them, and a
 * stand-in for the console's session check (bot/console/api.ts `authenticate`, not merged here):
 * the same cookie name, the same 401/403 errors, a CSRF token on changes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import restify, { type Request, type Server } from 'restify';
import { registerInsightRoutes, type InsightRouteDeps, type SignedIn } from '../../bot/insight/routes.js';
import { LowdbStorage } from '../../bot/storage/index.js';

export const SESSIONS: Record<string, SignedIn & { csrf: string }> = {
  'sessie-beheer': { account: { username: 'bea', rol: 'beheerder' }, csrf: 'csrf-beheer' },
  'sessie-medewerker': { account: { username: 'mo', rol: 'medewerker' }, csrf: 'csrf-medewerker' },
};

export const BEHEERDER = { cookie: 'loket_sessie=sessie-beheer', 'x-csrf-token': 'csrf-beheer' };
export const MEDEWERKER = { cookie: 'loket_sessie=sessie-medewerker', 'x-csrf-token': 'csrf-medewerker' };

export async function consoleSession(req: Request, changes: boolean): Promise<SignedIn> {
  const token = /(?:^|;\s*)loket_sessie=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  const session = token ? SESSIONS[token] : undefined;
  if (!session) throw Object.assign(new Error('Log eerst in.'), { status: 401, code: 'Unauthorized' });
  if (changes && req.headers['x-csrf-token'] !== session.csrf) {
    throw Object.assign(new Error('De beveiligingscode (x-csrf-token) ontbreekt of klopt niet.'), { status: 403, code: 'CsrfTokenMissing' });
  }
  return { account: session.account };
}

export interface InsightServer {
  url: string;
  server: Server;
  storage: LowdbStorage;
  dir: string;
  close(): Promise<void>;
}

export async function startInsightServer(extra: (server: Server, storage: LowdbStorage) => Partial<InsightRouteDeps> | void = () => undefined): Promise<InsightServer> {
  const dir = await mkdtemp(join(tmpdir(), 'wmo-insight-'));
  const storage = new LowdbStorage(join(dir, 'state'));
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false, mapFiles: false }));
  const more = extra(server, storage) ?? {};
  registerInsightRoutes(server, { authenticate: consoleSession, storage, gemeenten: () => [{ code: 'GM0406', name: 'Huizen' }, { code: 'GM0402', name: 'Hilversum' }], ...more });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    server,
    storage,
    dir,
    close: async () => {
      server.server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await storage.flush();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
