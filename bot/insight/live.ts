/**
 * The knowledge base and topic router the running service answers from, reloadable without a
 * restart. Every part that holds them (WmoBot, the dialogs, the knowledge API) keeps the object
 * it was given at start-up; `reload` builds a complete new knowledge base and router first (a
 * failure leaves the old ones untouched) and then moves the new parts into those same objects in
 * one synchronous step, so a reader sees either everything old or everything new.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadKnowledgeBase, type KnowledgeBase } from '../../knowledge/index.js';
import { TopicRouter } from '../../knowledge/understanding/index.js';
import { DEFAULT_TRAINING_DIR } from '../../knowledge/understanding/index.js';

export class LiveKnowledge {
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    readonly kb: KnowledgeBase,
    readonly router: TopicRouter,
    /** The knowledge folder the service started from (config.knowledgeDir), with its training/ folder. */
    readonly knowledgeDir: string,
  ) {}

  static async load(knowledgeDir: string): Promise<LiveKnowledge> {
    const kb = await loadKnowledgeBase(knowledgeDir);
    return new LiveKnowledge(kb, await TopicRouter.create({ trainingDir: trainingDirOf(knowledgeDir) }), knowledgeDir);
  }

  /** Reads the folder again, retrains the router, and swaps both in; reloads run one at a time. */
  reload(): Promise<void> {
    const run = this.reloading.then(async () => {
      const kb = await loadKnowledgeBase(this.knowledgeDir);
      const router = await TopicRouter.create({ trainingDir: trainingDirOf(this.knowledgeDir) });
      swapInPlace(this.kb, kb);
      swapInPlace(this.router, router);
    });
    this.reloading = run.catch(() => undefined);
    return run;
  }
}

/** The folder's own training utterances, else the project's (a KB_DIR with data files only). */
export function trainingDirOf(knowledgeDir: string): string {
  const own = join(knowledgeDir, 'training');
  return existsSync(own) ? own : DEFAULT_TRAINING_DIR;
}

/** Gives `target` all own properties of `fresh` (same shape), in one synchronous step. */
function swapInPlace<T extends object>(target: T, fresh: T): void {
  Object.assign(target, fresh);
}
