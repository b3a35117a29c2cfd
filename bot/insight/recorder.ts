/**
 * The bot's side of the insight records: WmoBot watches each turn with `watch` and counts
 * unanswered questions through `unansweredStore`. Recording never breaks a turn: a failure is
 * logged and the resident notices nothing.
 */
import type { Storage, TurnContext } from 'botbuilder';
import { takeFeedback } from '../../dialogs/feedback.js';
import type { LoggerView } from '../../dialogs/ports.js';
import { UnansweredStore, type UnansweredQuestion } from '../../dialogs/unanswered.js';
import type { KnowledgeBase } from '../../knowledge/index.js';
import { FeedbackStore } from './feedback.js';
import { InsightStore, observeTurn, type CitedAppearance } from './events.js';

export class InsightRecorder {
  readonly store: InsightStore;
  readonly feedback: FeedbackStore;

  constructor(
    private readonly storage: Storage,
    /** A getter, so a reloaded knowledge base resolves new citations. */
    private readonly kb: () => KnowledgeBase,
    private readonly now: () => Date = () => new Date(),
    private readonly logger?: LoggerView,
    /** Batch the counters in memory and write them this often (see InsightStoreOptions); unset: write per turn. */
    flushEveryMs?: number,
  ) {
    this.store = new InsightStore(storage, now, { flushEveryMs, onError: (error) => this.logger?.warn({ err: error.message }, 'insight not recorded') });
    this.feedback = new FeedbackStore(storage, now);
  }

  /** An UnansweredStore that also counts each stored question in the conversation's record. */
  unansweredStore(): UnansweredStore {
    const count = (question: { conversationId: string; reason: UnansweredQuestion['reason'] }) =>
      this.safely(() => this.store.unanswered(question.conversationId, question.reason));
    return new (class extends UnansweredStore {
      override async add(question: Omit<UnansweredQuestion, 'at'> & { conversationId: string }): Promise<string | undefined> {
        const key = await super.add(question);
        await count(question);
        return key;
      }
    })(this.storage, this.now);
  }

  /** Call at the start of a turn; call what it returns when the turn is over (state saved). */
  watch(context: TurnContext, gemeente: () => Promise<string | undefined>): () => Promise<void> {
    const conversationId = context.activity.conversation?.id;
    const finish = observeTurn(context, async (outcome) => {
      if (conversationId) await this.store.message(conversationId, outcome, await gemeente());
    }, (cited) => this.resolve(cited));
    return () =>
      this.safely(async () => {
        await finish();
        const feedback = takeFeedback(context);
        if (feedback && conversationId) {
          await this.feedback.add(conversationId, feedback);
          await this.store.feedback(conversationId, feedback.helped);
        }
      });
  }

  /** After "verwijder mijn gegevens": no batched counters of this conversation reach storage afterwards. */
  forget(conversationId: string): Promise<void> {
    return this.safely(() => this.store.forget(conversationId));
  }

  /** The knowledge id behind a citation: the article or provision whose title the citation carries. */
  private resolve(cited: CitedAppearance): string | undefined {
    const kb = this.kb();
    const title = cited.abstract ?? '';
    return (
      kb.articles.find((a) => a.title === title)?.id ??
      kb.provisions.find((p) => p.name === title)?.id ??
      kb.socialeKaart.services.find((s) => s.name === title)?.id ??
      cited.url
    );
  }

  private async safely(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.logger?.warn({ err: (error as Error).message }, 'insight not recorded');
    }
  }
}
