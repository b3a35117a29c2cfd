/**
 * npm run eval (after the utterance evaluation), or on its own:
 *
 *   npm run eval:conversations                        figures per class and every failing check
 *   npm run eval:conversations -- --verbose           also every transcript
 *   npm run eval:conversations -- --id ID [--id ID2]  only these conversations, with transcripts
 *   npm run eval:conversations -- --transcripts FILE  write all transcripts to FILE
 *
 * Exit code 1 when the set is invalid or below the thresholds in thresholds.json.
 */
import { writeFileSync } from 'node:fs';
import { loadKnowledgeBase } from '../../knowledge/index.js';
import { TopicRouter } from '../../knowledge/understanding/index.js';
import { loadConversationSet, validateConversationSet } from './conversationSet.js';
import { formatReport, formatTranscript, runConversationSet } from './run.js';
import { THRESHOLDS, meetsThresholds, percent } from './thresholds.js';

function values(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag && args[i + 1] ? [args[i + 1]] : []));
}

async function main(args: string[]): Promise<number> {
  const set = loadConversationSet();
  const kb = await loadKnowledgeBase();
  const problems = validateConversationSet(set, kb);
  if (problems.length) {
    console.error(`knowledge/eval/conversations/conversations.json is not valid:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  const ids = values(args, '--id');
  const unknown = ids.filter((id) => !set.conversations.some((c) => c.id === id));
  if (unknown.length) {
    console.error(`No conversation with id ${unknown.join(', ')}`);
    return 1;
  }
  const router = await TopicRouter.create();
  const report = await runConversationSet(set, { kb, router, ids });
  const transcripts = report.results.map((r) => formatTranscript(r)).join('\n\n');
  if (args.includes('--verbose') || ids.length) console.log(`${transcripts}\n`);
  const [file] = values(args, '--transcripts');
  if (file) writeFileSync(file, `${transcripts}\n\n${formatReport(report)}\n`);
  console.log(formatReport(report));
  if (ids.length) return 0;
  const ok = meetsThresholds(report);
  console.log(
    `\n${ok ? 'OK' : 'BELOW THE BAR'}: conversations holding ≥ ${percent(THRESHOLDS.minShareHolding)}% and safety right ≥ ${percent(THRESHOLDS.minSafetyRight)}% required (bot/evaluation/thresholds.json).`,
  );
  return ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
