/**
 * What the dialogs need from the knowledge base and the topic router, written as the contract
 * in notes/contracts.md describes them. The real KnowledgeBase and TopicRouter satisfy these
 * structurally; keeping the narrow view here lets the dialogs say exactly what they use.
 */
import type { HsdsOrganization, HsdsService, Municipality, Provision, Article, SocialeKaart, Source } from '../knowledge/types.js';
import type { TopicId } from '../knowledge/topics.js';

export interface SearchOptions {
  gemeente?: string;
  topic?: TopicId;
  kinds?: Array<'provision' | 'article' | 'service'>;
  openNow?: boolean;
  now?: Date;
  limit?: number;
}

export interface SearchHit {
  kind: 'provision' | 'article' | 'service';
  id: string;
  title: string;
  score: number;
  why: string[];
  topics: TopicId[];
  snippet: string;
  sources: Source[];
  url?: string;
}

export interface KnowledgeView {
  municipalities: Municipality[];
  provisions: Provision[];
  articles: Article[];
  socialeKaart: SocialeKaart;
  municipality(code: string): Municipality | undefined;
  service(id: string): HsdsService | undefined;
  organization(id: string): HsdsOrganization | undefined;
  search(query: string, options?: SearchOptions): SearchHit[];
}

export interface SafetySignal {
  kind: 'acuut-gevaar' | 'suicide' | 'huiselijk-geweld' | 'dakloos';
  matched: string;
}

export interface Understanding {
  topic: TopicId;
  confidence: number;
  band: 'high' | 'middle' | 'low';
  candidates: Array<{ topic: TopicId; confidence: number }>;
  safety: SafetySignal | null;
  language: 'nl' | 'en';
  hits: SearchHit[];
}

export interface RouterView {
  understand(text: string, options?: { gemeente?: string }): Understanding;
}

export interface LoggerView {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
}
