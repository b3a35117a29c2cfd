/**
 * What the dialogs need from the knowledge base and the topic router: the real types from
 * knowledge/, narrowed to what the dialogs use, so tools and tests can pass anything that fits.
 */
import type { KnowledgeBase, SearchHit, SearchOptions } from '../knowledge/index.js';
import type { SafetySignal, TopicRouter, Understanding } from '../knowledge/understanding/index.js';
import type { ResidentDataEraser } from '../knowledge/privacy/erasure.js';

export type { SearchHit, SearchOptions, SafetySignal, Understanding };
/** "Verwijder mijn gegevens": deletes what the service stored about a conversation (bot/retention/erasure.ts). */
export type { ResidentDataEraser };

export type KnowledgeView = Pick<
  KnowledgeBase,
  'municipalities' | 'provisions' | 'articles' | 'socialeKaart' | 'municipality' | 'service' | 'organization' | 'search'
>;

export type RouterView = Pick<TopicRouter, 'understand'>;

export interface LoggerView {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
}
