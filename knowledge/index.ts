/**
 * The knowledge base: municipal provisions, national articles, the regional sociale kaart, and
 * search. Free of Bot Framework types, so the bot, the staff console and the CLI tools share it.
 */
export {
  checkKnowledgeBase,
  createKnowledgeBase,
  DEFAULT_DATA_DIR,
  type KnowledgeBase,
  KnowledgeBaseError,
  loadKnowledgeBase,
  type LoadOptions,
  readKnowledgeData,
} from './load.js';
export { type HitKind, type SearchHit, SearchIndex, type SearchOptions } from './search/index.js';
export { findMunicipalityInText } from './places.js';
export { formatProblem, validateKnowledgeData, type KnowledgeData } from './validate/index.js';
export { analyze, normalize, tokenize, TextAnalyzer } from './nlp/dutch.js';
export type * from './types.js';
export { TOPICS, type TopicId, isTopicId } from './topics.js';
export { CSV_COLUMNS, formatReport, ImportError, importFile, type ImportOptions, type ImportReport } from './import/index.js';
