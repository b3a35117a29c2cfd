/** Topic understanding: classifier, safety signals, router. See router.ts for the order of checks. */
export { TopicRouter, DEFAULT_CALIBRATION } from './router.js';
export { featuresOf } from './features.js';
export type { Understanding, Band, Calibration, RouterOptions } from './router.js';
export { detectSafety, normalizeForSafety, SafetyDetector, SAFETY_KINDS } from './safety.js';
export type { SafetySignal, SafetyKind } from './safety.js';
export { detectLanguage } from './language.js';
export type { Language } from './language.js';
export { validateUtterances, loadTrainingExamples, DEFAULT_TRAINING_DIR } from './training.js';
export type { TrainingExample } from './training.js';
