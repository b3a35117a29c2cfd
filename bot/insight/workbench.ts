/**
 * The knowledge manager's workbench: unanswered questions grouped by similarity, the actions on
 * a group (link to a topic or article → training examples; out of scope; a new article draft),
 * all as proposals in the one review list, and their approval. An approved change is checked
 * exactly as `npm run kb:check` checks the folder (on a copy with the change in it), then written
 * to the knowledge folder and made live by reloading the knowledge base and retraining the router.
 * Changes are applied one at a time.
 */
import { cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LoggerView } from '../../dialogs/ports.js';
import { UnansweredStore, type UnansweredQuestion } from '../../dialogs/unanswered.js';
import { groupQuestions } from '../../knowledge/insight/group.js';
import { upkeepList, type UpkeepItem } from '../../knowledge/insight/upkeep.js';
import { checkKnowledgeBase, formatProblem } from '../../knowledge/index.js';
import { isTopicId } from '../../knowledge/topics.js';
import type { Article, Problem } from '../../knowledge/types.js';
import { knowledgeRoot } from '../../knowledge/paths.js';
import { ReviewStore, type ListableStorage, type Proposal } from '../review/store.js';
import type { LiveKnowledge } from './live.js';
import { dutchDay } from './events.js';

/** A change the workbench refuses, with the status the API answers and what to fix. */
export class WorkbenchError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

export interface UnansweredGroupView {
  id: string;
  terms: string[];
  count: number;
  /** Up to five of the questions (redacted), newest first. */
  examples: string[];
  /** Every question's key, for an action on the whole group. */
  keys: string[];
  gemeenten: string[];
  /** The topics the router thought of most, for "link to a topic". */
  candidates: string[];
}

export type WorkbenchAction =
  | { action: 'link'; keys: string[]; topic?: string; articleId?: string }
  | { action: 'out-of-scope'; keys: string[] }
  | { action: 'draft'; keys: string[]; article: Article };

export interface WorkbenchDeps {
  storage: ListableStorage;
  live: LiveKnowledge;
  reviews: ReviewStore;
  /** Folder with the evaluation sets kb:check also reads (default knowledge/eval). */
  evalDir?: string;
  now?: () => Date;
  logger?: LoggerView;
}

const MAX_KEYS = 200;
/** Grouping compares every question with every group: the newest this many keep one request quick. */
export const MAX_GROUPED = 2000;

export class KnowledgeWorkbench {
  private applying: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;

  readonly reviews: ReviewStore;

  constructor(private readonly deps: WorkbenchDeps) {
    this.now = deps.now ?? (() => new Date());
    this.reviews = deps.reviews;
  }

  /**
   * The unanswered questions of a period (and municipality), grouped; questions already in a
   * proposal are left out, and only the newest MAX_GROUPED are grouped.
   */
  async unansweredGroups(query: { from: string; to: string; gemeente?: string }): Promise<UnansweredGroupView[]> {
    const inReview = new Set((await this.reviews.list()).filter((p) => p.status !== 'rejected').flatMap((p) => p.source.unansweredKeys ?? []));
    const questions = (await this.deps.storage.list(UnansweredStore.PREFIX))
      .map(({ key, value }) => ({ key, ...(value as unknown as UnansweredQuestion) }))
      .filter((q) => !inReview.has(q.key) && typeof q.text === 'string')
      .filter((q) => {
        const day = dutchDay(new Date(q.at));
        return day >= query.from && day <= query.to && (!query.gemeente || q.gemeente === query.gemeente);
      })
      .sort((a, b) => a.at.localeCompare(b.at))
      .slice(-MAX_GROUPED);
    return groupQuestions(questions).map((group) => {
      const candidates = new Map<string, number>();
      for (const q of group.questions) for (const c of q.candidates ?? []) candidates.set(c.topic, (candidates.get(c.topic) ?? 0) + c.confidence);
      return {
        id: group.id,
        terms: group.terms,
        count: group.count,
        examples: [...group.questions].reverse().slice(0, 5).map((q) => q.text),
        keys: group.questions.map((q) => q.key),
        gemeenten: [...new Set(group.questions.map((q) => q.gemeente).filter((g): g is string => Boolean(g)))].sort(),
        candidates: [...candidates].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([topic]) => topic),
      };
    });
  }

  /** Turns an action on a group into a pending proposal in the review list. */
  async propose(input: WorkbenchAction, by: { username: string; name?: string }): Promise<Proposal> {
    const examples = await this.examples(input.keys);
    const author = { id: by.username, name: by.name ?? by.username };
    const source = { kind: 'console' as const, unansweredKeys: input.keys };
    const kb = this.deps.live.kb;
    if (input.action === 'link') {
      const article = input.articleId ? kb.articles.find((a) => a.id === input.articleId) : undefined;
      if (input.articleId && !article) throw new WorkbenchError(400, 'BadArgument', `Er is geen artikel "${input.articleId}".`);
      const topic = article?.topics[0] ?? input.topic;
      if (!topic || !isTopicId(topic)) throw new WorkbenchError(400, 'BadArgument', 'Kies een bestaand onderwerp of artikel om de vragen aan te koppelen.');
      const text = `${examples.length} vragen als oefenvoorbeelden voor "${topic}"${article ? ` (artikel ${article.id})` : ''}`;
      return this.reviews.proposeChange({ kind: 'training', text, topic, ...(article ? { articleId: article.id } : {}), examples, source, author });
    }
    if (input.action === 'out-of-scope') {
      return this.reviews.proposeChange({ kind: 'out-of-scope', text: `${examples.length} vragen buiten de Wmo`, examples, source, author });
    }
    const article = input.article;
    if (!article || typeof article !== 'object' || typeof article.id !== 'string') throw new WorkbenchError(400, 'BadArgument', 'Stuur het concept-artikel mee (id, title, topics, body, followUps, sources, lastChecked).');
    if (kb.articles.some((a) => a.id === article.id)) throw new WorkbenchError(409, 'Conflict', `Er is al een artikel met id "${article.id}".`);
    // Checked now as well, so the beheerder hears about problems when writing, not only at approval.
    await this.check((dir) => this.addArticle(dir, article));
    return this.reviews.proposeChange({ kind: 'article', text: `Nieuw artikel: ${article.title}`, topic: article.topics[0], article, examples, source, author });
  }

  /** Approves (applies, then it is live) or rejects a pending proposal. */
  decide(id: string, decision: 'approved' | 'rejected', by: string, extra: { article?: Article; note?: string } = {}): Promise<Proposal> {
    const run = this.applying.then(() => this.decideNow(id, decision, by, extra));
    this.applying = run.catch(() => undefined);
    return run;
  }

  upkeep(maxAgeDays: number): UpkeepItem[] {
    return upkeepList(this.deps.live.kb, { maxAgeDays, today: this.now() });
  }

  private async decideNow(id: string, decision: 'approved' | 'rejected', by: string, extra: { article?: Article; note?: string }): Promise<Proposal> {
    const proposal = await this.reviews.get(id);
    if (!proposal) throw new WorkbenchError(404, 'NotFound', 'Dit voorstel bestaat niet.');
    if (proposal.status !== 'pending') throw new WorkbenchError(409, 'AlreadyDecided', `Dit voorstel is al ${proposal.status === 'approved' ? 'goedgekeurd' : 'afgewezen'} door ${proposal.decidedBy}.`);
    if (decision === 'rejected') return this.reviews.decide(id, 'rejected', by, extra.note);

    const change = this.changeFor(proposal, extra.article);
    if (change) await this.check(change);
    const decided = await this.reviews.decide(id, 'approved', by, extra.note);
    try {
      if (change) {
        await change(this.deps.live.knowledgeDir);
        await this.deps.live.reload();
      }
      const keys = proposal.source.unansweredKeys ?? [];
      if (keys.length) await this.deps.storage.delete(keys);
      await this.reviews.note(id, { by, action: 'applied' });
    } catch (error) {
      this.deps.logger?.error({ err: (error as Error).message, proposal: id }, 'approved change could not be applied');
      await this.reviews.note(id, { by, action: 'failed', note: (error as Error).message });
      throw error;
    }
    return (await this.reviews.get(id)) ?? decided;
  }

  /** What approving changes in a knowledge folder; undefined when it changes no file (out of scope). */
  private changeFor(proposal: Proposal, article?: Article): ((dir: string) => Promise<void>) | undefined {
    const kind = proposal.kind ?? 'answer';
    if (kind === 'training') return (dir) => this.addUtterances(dir, proposal.topic!, proposal.examples ?? []);
    if (kind === 'article') return (dir) => this.addArticle(dir, proposal.article!);
    if (kind === 'answer') {
      // A consultant's answer becomes an article when the beheerder gives it its title, topics and sources.
      if (!article) throw new WorkbenchError(400, 'BadArgument', 'Maak van dit antwoord eerst een artikel: stuur "article" mee (id, title, topics, body, followUps, sources, lastChecked).');
      return (dir) => this.addArticle(dir, article);
    }
    return undefined;
  }

  /**
   * Runs the kb:check validation on a copy of the knowledge folder with the change applied; a
   * refusal lists the problems as kb:check prints them.
   */
  private async check(change: (dir: string) => Promise<void>): Promise<void> {
    const staging = await mkdtemp(join(tmpdir(), 'wmo-kb-change-'));
    try {
      await cp(this.deps.live.knowledgeDir, staging, { recursive: true });
      await change(staging);
      const problems: Problem[] = await checkKnowledgeBase(staging, { evalDir: this.deps.evalDir ?? resolve(knowledgeRoot, 'eval') });
      const errors = problems.filter((p) => p.severity === 'error');
      if (errors.length) throw new WorkbenchError(422, 'InvalidChange', 'Deze wijziging komt niet door de controle (kb:check). Pas haar aan.', errors.map(formatProblem));
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  private async addArticle(dir: string, article: Article): Promise<void> {
    const file = join(dir, 'articles.json');
    const articles = JSON.parse(await readFile(file, 'utf8')) as Article[];
    await writeAtomically(file, `${JSON.stringify([...articles, article], null, 2)}\n`);
  }

  private async addUtterances(dir: string, topic: string, examples: string[]): Promise<void> {
    const file = join(dir, 'training', `${topic}.json`);
    const data = JSON.parse(await readFile(file, 'utf8')) as { topic: string; utterances: string[] };
    const known = new Set(data.utterances.map((u) => u.trim().toLowerCase()));
    const fresh = [...new Set(examples.map((e) => e.trim()))].filter((e) => e && !known.has(e.toLowerCase()));
    await writeAtomically(file, `${JSON.stringify({ ...data, utterances: [...data.utterances, ...fresh] }, null, 2)}\n`);
  }

  private async examples(keys: unknown): Promise<string[]> {
    if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_KEYS || !keys.every((k) => typeof k === 'string' && k.startsWith(UnansweredStore.PREFIX))) {
      throw new WorkbenchError(400, 'BadArgument', `Kies de vragen van een groep ("keys", 1 tot ${MAX_KEYS}).`);
    }
    const found = await this.deps.storage.read(keys);
    const texts = keys.map((k) => (found[k] as UnansweredQuestion | undefined)?.text).filter((t): t is string => typeof t === 'string');
    if (texts.length !== keys.length) throw new WorkbenchError(409, 'Conflict', 'Een deel van deze vragen bestaat niet meer (verlopen of al verwerkt). Laad de lijst opnieuw.');
    return texts;
  }
}

/** Temp file + rename: a reader (or a crash) never sees half a file. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, text, 'utf8');
  await rename(temp, file);
}
