/**
 * Prints, per threshold, how well the grouping of unanswered questions matches the labelled
 * paraphrases in paraphrases.tune.json (pairwise precision, recall, F1): `npx tsx knowledge/insight/tune.ts`.
 * DEFAULT_GROUP_THRESHOLD in group.ts is the choice from this table (precision first: a wrong
 * merge hides a question, a missed one only shows it twice).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { knowledgeRoot } from '../paths.js';
import { groupQuestions, pairwiseScores } from './group.js';

const { questions } = JSON.parse(readFileSync(join(knowledgeRoot, 'insight', 'paraphrases.tune.json'), 'utf8')) as { questions: Array<{ label: string; text: string }> };
for (let t = 0.2; t <= 0.71; t += 0.05) {
  const groups = groupQuestions(questions, t);
  const assigned = questions.map((q) => groups.findIndex((g) => g.questions.includes(q)).toString());
  const { precision, recall, f1 } = pairwiseScores(questions.map((q) => q.label), assigned);
  console.log(`threshold ${t.toFixed(2)}  groups ${String(groups.length).padStart(2)}  precision ${precision.toFixed(2)}  recall ${recall.toFixed(2)}  F1 ${f1.toFixed(2)}`);
}
