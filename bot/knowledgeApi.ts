import type { Server } from 'restify';
import type { KnowledgeBase, SearchOptions } from '../knowledge/index.js';
import { isTopicId } from '../knowledge/topics.js';

const KINDS = ['provision', 'article', 'service'] as const;
type Kind = (typeof KINDS)[number];

/**
 * The public, read-only knowledge API for staff tools and the Teams lookup:
 *   GET /api/kb/search?q=…&gemeente=GM0406&topic=…&kinds=service,provision&openNow=true&limit=10
 *   GET /api/kb/gemeenten
 * Only public data (provisions, articles, the sociale kaart) is reachable here.
 */
export function mountKnowledgeApi(server: Server, kb: KnowledgeBase): void {
  server.get('/api/kb/gemeenten', async (_req, res) => {
    res.send(200, { gemeenten: kb.municipalities.map((m) => ({ code: m.code, name: m.name, example: m.example })) });
  });

  server.get('/api/kb/search', async (req, res) => {
    const query = req.query as Record<string, unknown>;
    // restify warns about values returned from async handlers, so this returns nothing.
    const bad = (message: string): void => {
      res.send(400, { error: { code: 'BadArgument', message } });
    };
    const q = typeof query.q === 'string' ? query.q.trim() : '';
    if (!q || q.length > 200) return bad('Give a search text in q (1 to 200 characters).');
    const options: SearchOptions = {};
    if (query.gemeente !== undefined) {
      const code = String(query.gemeente).toUpperCase();
      if (!kb.municipality(code)) return bad(`Unknown gemeente "${String(query.gemeente)}"; use a CBS code from /api/kb/gemeenten.`);
      options.gemeente = code;
    }
    if (query.topic !== undefined) {
      if (!isTopicId(query.topic)) return bad(`Unknown topic "${String(query.topic)}".`);
      options.topic = query.topic;
    }
    if (query.kinds !== undefined) {
      const kinds = String(query.kinds).split(',').map((k) => k.trim());
      if (!kinds.every((k): k is Kind => (KINDS as readonly string[]).includes(k))) return bad(`kinds takes ${KINDS.join(', ')}.`);
      options.kinds = kinds as Kind[];
    }
    if (query.openNow !== undefined) options.openNow = query.openNow === 'true' || query.openNow === '1';
    const limit = query.limit === undefined ? 10 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) return bad('limit is a whole number from 1 to 50.');
    options.limit = limit;
    res.send(200, { query: q, ...options, results: kb.search(q, options) });
  });
}
