import { expect } from 'chai';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestAdapter, type Activity } from 'botbuilder';
import { LiveKnowledge } from '../../bot/insight/live.js';
import { KnowledgeWorkbench, type UnansweredGroupView } from '../../bot/insight/workbench.js';
import { ReviewStore, type Proposal } from '../../bot/review/store.js';
import { WmoBot } from '../../bot/wmoBot.js';
import { UnansweredStore } from '../../dialogs/unanswered.js';
import { knowledgeDataDir, knowledgeRoot } from '../../knowledge/paths.js';
import type { Article } from '../../knowledge/types.js';
import { BEHEERDER, MEDEWERKER, startInsightServer, type InsightServer } from './console.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const PERIOD = 'from=2026-11-01&to=2026-11-30';
const HOND = ['mag mijn hondje ook mee in de regiotaxi', 'kan de hond mee met de taxi', 'hond meenemen in de regiotaxi, mag dat?'];

const DRAFT: Article = {
  id: 'hond-in-de-regiotaxi',
  title: 'Mag mijn hond mee in de regiotaxi?',
  topics: ['vervoer'],
  body: 'Een hulphond mag altijd mee in de regiotaxi. Zeg het wel als u de rit boekt.\n\nEen gewone huisdier mag meestal niet mee. Vraag het aan de vervoerder.',
  followUps: ['Hoe bestel ik de regiotaxi?'],
  keywords: ['hond', 'hulphond', 'huisdier', 'regiotaxi hond'],
  sources: [{ title: 'Voorbeeldbron regiotaxi', url: 'https://www.example.org/regiotaxi-huisdieren' }],
  lastChecked: '2026-11-20',
};

type ApiError = { error: { code: string; message: string; problems?: string[] } };

describe('the workbench: unanswered groups, proposals in the one review list, approval makes them live', function () {
  this.timeout(60_000);
  let dir: string;
  let live: LiveKnowledge;
  let app: InsightServer;
  let workbench: KnowledgeWorkbench;

  const post = (path: string, body: unknown, headers: Record<string, string> = BEHEERDER) =>
    fetch(`${app.url}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const get = (path: string, headers: Record<string, string> = BEHEERDER) => fetch(`${app.url}${path}`, { headers });

  async function groups(): Promise<UnansweredGroupView[]> {
    const res = await get(`/loket/api/insight/unanswered?${PERIOD}`);
    expect(res.status).to.equal(200);
    return ((await res.json()) as { groups: UnansweredGroupView[] }).groups;
  }

  async function ask(bot: WmoBot, text: string): Promise<Array<Partial<Activity>>> {
    const adapter = new TestAdapter(async (context) => bot.run(context));
    adapter.locale = 'nl-NL';
    await adapter.receiveActivity({ type: 'event', name: 'webchat/join', value: { gemeente: 'GM0406' } });
    adapter.activeQueue.splice(0);
    await adapter.receiveActivity({ type: 'message', text });
    return adapter.activeQueue.splice(0);
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmo-workbench-'));
    await cp(knowledgeDataDir, join(dir, 'data'), { recursive: true });
    live = await LiveKnowledge.load(join(dir, 'data'));
    app = await startInsightServer((_server, storage) => {
      workbench = new KnowledgeWorkbench({ storage, live, reviews: new ReviewStore(storage, () => NOW), evalDir: join(knowledgeRoot, 'eval'), now: () => NOW });
      return { workbench, upkeepDays: 365 };
    });
    const unanswered = new UnansweredStore(app.storage, () => NOW);
    for (const [i, text] of HOND.entries()) await unanswered.add({ conversationId: `c${i}`, text, reason: 'laag', gemeente: 'GM0406', candidates: [{ topic: 'vervoer', confidence: 0.2 }] });
    await unanswered.add({ conversationId: 'c9', text: 'wanneer wordt het grofvuil opgehaald', reason: 'geen-van-deze', gemeente: 'GM0406', candidates: [] });
  });
  afterEach(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('groups the three ways of asking about the dog in the taxi into one row, with examples', async () => {
    const rows = await groups();
    const hond = rows.find((g) => g.count === 3)!;
    expect(hond.examples).to.have.members(HOND);
    expect(hond.candidates).to.deep.equal(['vervoer']);
    expect(rows.find((g) => g.examples[0].includes('grofvuil'))!.count).to.equal(1);
  });

  it('a draft is not searchable until a beheerder approves it; then it is live without a restart, with who and when kept', async () => {
    const bot = new WmoBot({ storage: app.storage, kb: live.kb, router: live.router }, { now: () => NOW });
    const [hond] = await groups();
    const proposed = await post('/loket/api/insight/unanswered/actions', { action: 'draft', keys: hond.keys, article: DRAFT });
    expect(proposed.status).to.equal(201);
    const proposal = (await proposed.json()) as Proposal;
    expect(proposal).to.include({ kind: 'article', status: 'pending' });

    // Pending: not in the knowledge base, not in the file, not in the bot's answer; the group left the list.
    expect(live.kb.search('hond regiotaxi', { kinds: ['article'] }).map((h) => h.id)).not.to.include(DRAFT.id);
    expect(await readFile(join(dir, 'data', 'articles.json'), 'utf8')).not.to.include(DRAFT.id);
    expect((await ask(bot, 'mag mijn hulphond mee in de regiotaxi?')).map((r) => r.text).join(' ')).not.to.include('Een hulphond mag altijd mee');
    expect((await groups()).some((g) => g.count === 3)).to.equal(false);

    const approved = await post(`/loket/api/review/${proposal.id}/approve`, {});
    expect(approved.status).to.equal(200);
    const done = (await approved.json()) as Proposal;
    expect(done).to.include({ status: 'approved', decidedBy: 'bea', decidedAt: NOW.toISOString() });
    expect(done.history!.map((h) => [h.action, h.by])).to.deep.equal([['proposed', 'bea'], ['approved', 'bea'], ['applied', 'bea']]);

    expect(live.kb.search('hond regiotaxi', { kinds: ['article'] }).map((h) => h.id)).to.include(DRAFT.id);
    expect(JSON.parse(await readFile(join(dir, 'data', 'articles.json'), 'utf8')).map((a: Article) => a.id)).to.include(DRAFT.id);
    // The bot built before the approval answers from the new article now.
    expect((await ask(bot, 'mag mijn hulphond mee in de regiotaxi?')).map((r) => r.text).join(' ')).to.include('Een hulphond mag altijd mee');
    // The questions are handled: gone from the unanswered store.
    expect(Object.keys(await app.storage.read(hond.keys))).to.deep.equal([]);

    const again = await post(`/loket/api/review/${proposal.id}/approve`, {});
    expect(again.status).to.equal(409);
  });

  it('a draft that fails the kb:check validation is refused with the problems; nothing is written', async () => {
    const [hond] = await groups();
    const bad = { ...DRAFT, topics: ['geen-onderwerp'], sources: [] };
    const res = await post('/loket/api/insight/unanswered/actions', { action: 'draft', keys: hond.keys, article: bad });
    expect(res.status).to.equal(422);
    const body = (await res.json()) as ApiError;
    expect(body.error.code).to.equal('InvalidChange');
    expect(body.error.problems!.join('\n')).to.match(/hond-in-de-regiotaxi/);
    expect(await readFile(join(dir, 'data', 'articles.json'), 'utf8')).not.to.include(DRAFT.id);
    expect((await (await get('/loket/api/review')).json() as { items: Proposal[] }).items).to.deep.equal([]);
  });

  it('link to a topic: the examples become training data only after approval, and the router retrains', async () => {
    const belbus = ['mag de kat mee in de belbus', 'huisdier mee in de belbus', 'mag mijn kat mee in de belbus'];
    const unanswered = new UnansweredStore(app.storage, () => NOW);
    for (const [i, text] of belbus.entries()) await unanswered.add({ conversationId: `b${i}`, text, reason: 'laag', gemeente: 'GM0406', candidates: [] });
    const group = (await groups()).find((g) => g.examples.some((e) => e.includes('belbus')))!;
    expect(group.count).to.equal(3);
    const trainingFile = join(dir, 'data', 'training', 'vervoer.json');
    // A way of asking that is in none of the examples: the router is not sure of it yet (a resident would get
    // "Bedoelt u…?" or "Dat begrijp ik niet"), and it is sure after the approval.
    const heldOut = 'belbus met huisdier';
    const sure = () => {
      const u = live.router.understand(heldOut);
      return u.topic === 'vervoer' && u.band === 'high';
    };
    expect(sure()).to.equal(false);
    const res = await post('/loket/api/insight/unanswered/actions', { action: 'link', keys: group.keys, topic: 'vervoer' });
    expect(res.status).to.equal(201);
    const proposal = (await res.json()) as Proposal;
    expect(proposal).to.include({ kind: 'training', topic: 'vervoer' });
    expect(proposal.examples).to.have.members(belbus);
    expect(await readFile(trainingFile, 'utf8')).not.to.include(belbus[0]);
    expect(sure()).to.equal(false);

    expect((await post(`/loket/api/review/${proposal.id}/approve`, {})).status).to.equal(200);
    expect(JSON.parse(await readFile(trainingFile, 'utf8')).utterances).to.include.members(belbus);
    expect(sure()).to.equal(true);
  });

  it('out of scope and rejection: nothing changes in the knowledge, the decision is kept', async () => {
    const rows = await groups();
    const grofvuil = rows.find((g) => g.examples[0].includes('grofvuil'))!;
    const res = await post('/loket/api/insight/unanswered/actions', { action: 'out-of-scope', keys: grofvuil.keys });
    const proposal = (await res.json()) as Proposal;
    const rejected = await post(`/loket/api/review/${proposal.id}/reject`, { note: 'toch wel Wmo' });
    expect(((await rejected.json()) as Proposal).history!.at(-1)).to.include({ action: 'rejected', by: 'bea', note: 'toch wel Wmo' });
    // Rejected: the question is back in the list for another decision.
    expect((await groups()).some((g) => g.keys[0] === grofvuil.keys[0])).to.equal(true);
  });

  it('a consultant\'s answer from Teams waits in the same list; approving it needs it made into an article', async () => {
    const teams = await workbench.reviews.propose({ text: 'Een hulphond mag mee.', question: 'hond in taxi?', source: { kind: 'teams', conversationId: '19:abc;messageid=1' }, author: { id: 'u1', name: 'Consulent' } });
    const list = (await (await get('/loket/api/review?status=pending')).json()) as { items: Proposal[] };
    expect(list.items.map((i) => i.id)).to.include(teams.id);
    const without = await post(`/loket/api/review/${teams.id}/approve`, {});
    expect(without.status).to.equal(400);
    const withArticle = await post(`/loket/api/review/${teams.id}/approve`, { article: DRAFT });
    expect(withArticle.status).to.equal(200);
    expect(live.kb.articles.map((a) => a.id)).to.include(DRAFT.id);
  });

  it('only a beheerder, with the CSRF token on changes', async () => {
    const [hond] = await groups();
    expect((await get(`/loket/api/insight/unanswered?${PERIOD}`, {})).status).to.equal(401);
    expect((await get(`/loket/api/insight/unanswered?${PERIOD}`, MEDEWERKER)).status).to.equal(403);
    expect((await post('/loket/api/insight/unanswered/actions', { action: 'out-of-scope', keys: hond.keys }, MEDEWERKER)).status).to.equal(403);
    expect((await post('/loket/api/insight/unanswered/actions', { action: 'out-of-scope', keys: hond.keys }, { cookie: BEHEERDER.cookie })).status).to.equal(403);
    expect((await post('/loket/api/insight/unanswered/actions', { action: 'out-of-scope', keys: ['review/x'] })).status).to.equal(400);
    expect((await get('/loket/api/review', MEDEWERKER)).status).to.equal(403);
  });

  it('the upkeep list names file and id of what to check again', async () => {
    const res = await get('/loket/api/insight/upkeep');
    const { items } = (await res.json()) as { items: Array<{ reason: string; file: string; id: string }> };
    for (const item of items) expect(item.file).to.match(/\.json$/);
    expect(items.every((i) => ['verouderd', 'inactief', 'verwijzing'].includes(i.reason))).to.equal(true);
  });
});
