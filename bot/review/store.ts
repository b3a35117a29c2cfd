/**
 * The review list: answers proposed by consultants (from Teams, later also drafts from the
 * console) wait here for the knowledge manager. Nothing in it is live: the knowledge base only
 * changes when a beheerder approves (issue 14 builds that on this store).
 * Keys "review/<ISO time>-<random>" so a listing comes out oldest first.
 */
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItem } from 'botbuilder';
import { redact } from '../../knowledge/privacy/redact.js';
import { ETagConflictError } from '../storage/index.js';

export type ReviewStatus = 'pending' | 'approved' | 'rejected';

export interface ReviewSource {
  kind: 'teams';
  /** The Teams conversation (a thread id carries `;messageid=`). */
  conversationId: string;
  /** The escalation the reply was written in, when it came from an escalation thread. */
  escalationId?: string;
}

export interface Proposal {
  id: string;
  /** The proposed answer, redacted. */
  text: string;
  /** The question it answers, redacted, when known. */
  question?: string;
  source: ReviewSource;
  author: { id: string; name: string };
  created: string;
  status: ReviewStatus;
  decidedBy?: string;
  decidedAt?: string;
}

/** A Storage that can list keys by prefix (LowdbStorage can). */
export type ListableStorage = Storage & { list(prefix: string): Promise<Array<{ key: string; value: StoreItem }>> };

export class ReviewStore {
  static readonly PREFIX = 'review/';

  constructor(
    private readonly storage: ListableStorage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async propose(input: { text: string; question?: string; source: ReviewSource; author: { id: string; name: string } }): Promise<Proposal> {
    const created = this.now().toISOString();
    const proposal: Proposal = {
      id: `${created}-${randomUUID().slice(0, 8)}`,
      text: redact(input.text).text,
      ...(input.question ? { question: redact(input.question).text } : {}),
      source: input.source,
      author: input.author,
      created,
      status: 'pending',
    };
    await this.storage.write({ [ReviewStore.PREFIX + proposal.id]: { ...proposal } });
    return proposal;
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
  async decide(id: string, status: Exclude<ReviewStatus, 'pending'>, by: string): Promise<Proposal> {
    const key = ReviewStore.PREFIX + id;
    const item = (await this.storage.read([key]))[key];
    if (!item) throw new Error(`Review: no proposal "${id}".`);
    if (item.status !== 'pending') throw new Error(`Review: proposal "${id}" was already ${String(item.status)}.`);
    const decided = { ...withoutETag(item), status, decidedBy: by, decidedAt: this.now().toISOString() };
    try {
      await this.storage.write({ [key]: { ...decided, eTag: item.eTag } });
    } catch (error) {
      if (error instanceof ETagConflictError) throw new Error(`Review: proposal "${id}" was decided meanwhile.`);
      throw error;
    }
    return decided;
  }
}

function withoutETag(item: StoreItem): Proposal {
  const rest: StoreItem = { ...item };
  delete rest.eTag;
  return rest as Proposal;
}
