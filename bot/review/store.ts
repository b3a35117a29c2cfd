/**
 * The review list: every proposed change to the knowledge waits here for a beheerder, whoever
 * proposed it. Answers proposed by consultants in Teams ("Opslaan als antwoord", kind 'answer'),
 * and from the knowledge manager's workbench: example questions for a topic's training data
 * ('training'), questions marked out of scope ('out-of-scope') and new article drafts ('article').
 * Nothing in it is live: the knowledge only changes when a beheerder approves (bot/insight/workbench.ts).
 * Every change is kept with who and when (`history`). Keys "review/<ISO time>-<random>" so a
 * listing comes out oldest first.
 *
 * The same store as wip/teams' bot/review/store.ts, extended: `propose`, `get`, `list` and `decide`
 * keep their signatures and an item Teams writes (without `kind`) reads as kind 'answer'.
 */
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItem } from 'botbuilder';
import type { Article } from '../../knowledge/types.js';
import { redact } from '../../knowledge/privacy/redact.js';
import { ETagConflictError } from '../storage/index.js';

export type ReviewStatus = 'pending' | 'approved' | 'rejected';
export type ReviewKind = 'answer' | 'training' | 'out-of-scope' | 'article';

export interface ReviewSource {
  kind: 'teams' | 'console';
  /** The Teams conversation (a thread id carries `;messageid=`). */
  conversationId?: string;
  /** The escalation the reply was written in, when it came from an escalation thread. */
  escalationId?: string;
  /** The unanswered questions (storage keys) the proposal came from, in the workbench. */
  unansweredKeys?: string[];
}

export interface ReviewEvent {
  at: string;
  by: string;
  action: 'proposed' | 'approved' | 'rejected' | 'applied' | 'failed';
  note?: string;
}

export interface Proposal {
  id: string;
  /** Absent in items written before kinds existed (Teams): those are answers. */
  kind?: ReviewKind;
  /** The proposed answer, or a short description of the change, redacted. */
  text: string;
  /** The question it answers, redacted, when known. */
  question?: string;
  source: ReviewSource;
  author: { id: string; name: string };
  created: string;
  status: ReviewStatus;
  decidedBy?: string;
  decidedAt?: string;
  /** 'training': the topic the examples teach; 'article': the draft's first topic. */
  topic?: string;
  /** 'training': the article the questions were linked to, when it was an article. */
  articleId?: string;
  /** 'training' and 'out-of-scope': the residents' questions, redacted. */
  examples?: string[];
  /** 'article': the draft, exactly as it will be written to articles.json. */
  article?: Article;
  history?: ReviewEvent[];
}

export type ChangeInput = Pick<Proposal, 'kind' | 'text' | 'topic' | 'articleId' | 'examples' | 'article' | 'source' | 'author'>;

/** A Storage that can list keys by prefix (LowdbStorage can). */
export type ListableStorage = Storage & { list(prefix: string): Promise<Array<{ key: string; value: StoreItem }>> };

export class ReviewStore {
  static readonly PREFIX = 'review/';

  constructor(
    private readonly storage: ListableStorage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** An answer proposed from Teams (the Teams store's call, unchanged). */
  async propose(input: { text: string; question?: string; source: ReviewSource; author: { id: string; name: string } }): Promise<Proposal> {
    return this.add({
      kind: 'answer',
      text: redact(input.text).text,
      ...(input.question ? { question: redact(input.question).text } : {}),
      source: input.source,
      author: input.author,
    });
  }

  /** A change from the workbench: training examples, out of scope, or an article draft. */
  async proposeChange(input: ChangeInput): Promise<Proposal> {
    return this.add({ ...input, text: redact(input.text).text, ...(input.examples ? { examples: input.examples.map((e) => redact(e).text) } : {}) });
  }

  async get(id: string): Promise<Proposal | undefined> {
    const item = (await this.storage.read([ReviewStore.PREFIX + id]))[ReviewStore.PREFIX + id];
    return item ? withoutETag(item) : undefined;
  }

  async list(status?: ReviewStatus): Promise<Proposal[]> {
    const items = (await this.storage.list(ReviewStore.PREFIX)).map((item) => withoutETag(item.value));
    return status ? items.filter((p) => p.status === status) : items;
  }

  /** Approve or reject a pending proposal once; a second decision (or a concurrent one) is refused. */
  async decide(id: string, status: Exclude<ReviewStatus, 'pending'>, by: string, note?: string): Promise<Proposal> {
    const key = ReviewStore.PREFIX + id;
    const item = (await this.storage.read([key]))[key];
    if (!item) throw new Error(`Review: no proposal "${id}".`);
    if (item.status !== 'pending') throw new Error(`Review: proposal "${id}" was already ${String(item.status)}.`);
    const at = this.now().toISOString();
    const current = withoutETag(item);
    const event: ReviewEvent = { at, by, action: status, ...(note ? { note: redact(note).text } : {}) };
    const decided: Proposal = { ...current, status, decidedBy: by, decidedAt: at, history: [...(current.history ?? []), event] };
    try {
      await this.storage.write({ [key]: { ...decided, eTag: item.eTag } });
    } catch (error) {
      if (error instanceof ETagConflictError) throw new Error(`Review: proposal "${id}" was decided meanwhile.`);
      throw error;
    }
    return decided;
  }

  /** Adds to an item's history (applied, or failed after approval) without changing its status. */
  async note(id: string, event: Omit<ReviewEvent, 'at'>): Promise<void> {
    const key = ReviewStore.PREFIX + id;
    for (let attempt = 0; attempt < 4; attempt++) {
      const item = (await this.storage.read([key]))[key];
      if (!item) return;
      const current = withoutETag(item);
      const history = [...(current.history ?? []), { ...event, at: this.now().toISOString() }];
      try {
        await this.storage.write({ [key]: { ...current, history, eTag: item.eTag } });
        return;
      } catch (error) {
        if (!(error instanceof ETagConflictError)) throw error;
      }
    }
  }

  private async add(fields: Omit<Proposal, 'id' | 'created' | 'status' | 'history'>): Promise<Proposal> {
    const created = this.now().toISOString();
    const proposal: Proposal = {
      id: `${created}-${randomUUID().slice(0, 8)}`,
      ...fields,
      created,
      status: 'pending',
      history: [{ at: created, by: fields.author.name, action: 'proposed' }],
    };
    await this.storage.write({ [ReviewStore.PREFIX + proposal.id]: { ...proposal } });
    return proposal;
  }
}

function withoutETag(item: StoreItem): Proposal {
  const rest: StoreItem = { ...item };
  delete rest.eTag;
  return rest as Proposal;
}
