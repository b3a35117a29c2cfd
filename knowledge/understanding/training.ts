/**
 * Training utterances: knowledge/data/training/<topic>.json, one file per topic,
 * shaped { "topic": "<topic id>", "utterances": ["…", …] }. Data, edited by a knowledge manager.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { knowledgeDataDir } from '../paths.js';
import { TOPICS, isTopicId, type TopicId } from '../topics.js';
import type { Problem } from '../types.js';

export interface TrainingExample {
  text: string;
  topic: TopicId;
}

export const DEFAULT_TRAINING_DIR = join(knowledgeDataDir, 'training');

/** Fewer utterances than this per topic gives the classifier too little to learn from. */
export const MIN_UTTERANCES_PER_TOPIC = 40;

function duplicateKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Checks the training files: valid JSON, file name equals a known topic id, non-empty texts,
 * no duplicates (within a topic: warning; the same text under two topics: error), every topic
 * present with enough utterances.
 */
export function validateUtterances(dir: string = DEFAULT_TRAINING_DIR): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, { topic: string; file: string }>();
  const counts = new Map<string, number>();
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [{ severity: 'error', file: dir, message: 'the folder with training utterances is missing' }];
  }
  for (const name of files) {
    const file = join(dir, name);
    const fileTopic = name.slice(0, -'.json'.length);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      problems.push({ severity: 'error', file, message: `not valid JSON: ${(err as Error).message}` });
      continue;
    }
    const { topic, utterances } = (data ?? {}) as { topic?: unknown; utterances?: unknown };
    if (!isTopicId(topic)) {
      problems.push({ severity: 'error', file, field: 'topic', message: `unknown topic "${String(topic)}"` });
      continue;
    }
    if (topic !== fileTopic) {
      problems.push({
        severity: 'error',
        file,
        field: 'topic',
        message: `topic "${topic}" belongs in ${topic}.json, not in ${name}`,
      });
    }
    if (!Array.isArray(utterances)) {
      problems.push({ severity: 'error', file, field: 'utterances', message: 'utterances must be a list of sentences' });
      continue;
    }
    utterances.forEach((text: unknown, i) => {
      const field = `utterances[${i}]`;
      if (typeof text !== 'string' || text.trim() === '') {
        problems.push({ severity: 'error', file, field, message: 'empty or not a sentence' });
        return;
      }
      const key = duplicateKey(text);
      const earlier = seen.get(key);
      if (earlier && earlier.topic === topic) {
        problems.push({ severity: 'warning', file, field, message: `duplicate sentence "${text}"` });
      } else if (earlier) {
        problems.push({
          severity: 'error',
          file,
          field,
          message: `"${text}" is also under ${earlier.topic} (${earlier.file}); a sentence belongs to one topic`,
        });
      } else {
        seen.set(key, { topic, file: name });
        counts.set(topic, (counts.get(topic) ?? 0) + 1);
      }
    });
  }
  for (const topic of TOPICS) {
    const n = counts.get(topic) ?? 0;
    if (n < MIN_UTTERANCES_PER_TOPIC) {
      problems.push({
        severity: 'error',
        file: join(dir, `${topic}.json`),
        message: `${n} training utterances for ${topic}; at least ${MIN_UTTERANCES_PER_TOPIC} needed`,
      });
    }
  }
  return problems;
}

/** Reads every training file; throws when validation finds errors. */
export function loadTrainingExamples(dir: string = DEFAULT_TRAINING_DIR): TrainingExample[] {
  const errors = validateUtterances(dir).filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`Invalid training utterances:\n${errors.map((p) => `${p.file} ${p.field ?? ''}: ${p.message}`).join('\n')}`);
  }
  const examples: TrainingExample[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const { topic, utterances } = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
      topic: TopicId;
      utterances: string[];
    };
    for (const text of utterances) examples.push({ text, topic });
  }
  return examples;
}
