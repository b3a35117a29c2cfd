/**
 * Hold-out QA round for issue 9: new resident phrasings of each failure class the issue names,
 * written by the lead apart from the evaluation sets, the QA round (qaRound.ts) and the fixes, and
 * kept away from whoever tuned the bot until their work was done. It measures whether the fixes
 * hold for the class, not only for the phrasings they were made on. Transcripts go to
 * knowledge/eval/qa/ for a person to read.
 *
 *   npx tsx tests/dialogs/qaHoldout.ts [ROUND] [OUT.md]
 *
 * The conversations are data: knowledge/eval/qa/holdout-round<ROUND>.json (default round 2). Round 1
 * was written before the afternoon's fixes and has since been seen by them; round 2 was written by the
 * lead later, before anyone ran it, for a fresh unseen figure.
 *
 * useful: the last turn holds every needle and none of the things it must not say, and nothing
 * said it did not understand; partly: some needles; not: none. Every turn is also checked for more
 * than four messages and for buttons that are not on the last message.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Chat, type Reply } from './harness.js';

interface P { c: string; g?: string; says: string[]; needs: string[][]; not?: string[] }
const [round = '2', outFile = `knowledge/eval/qa/qa-holdout-round${round}.md`] = process.argv.slice(2);
const P = JSON.parse(readFileSync(`knowledge/eval/qa/holdout-round${round}.json`, 'utf8')) as P[];

const NOT_UNDERSTOOD = /begrijp ik (helaas )?niet|weet niet zeker wat u bedoelt/i;
function flat(r: Reply): string {
  const card = (r.attachments ?? []).map((a) => JSON.stringify(a.content)).join(' ');
  return `${r.text ?? ''} ${card} ${(r.suggestedActions?.actions ?? []).map((a) => `[${String(a.title)}]`).join(' ')}`;
}
const out: string[] = [];
const counts = { useful: 0, partly: 0, not: 0, deadEnds: 0, tooMany: 0, buttonsNotLast: 0, forbidden: 0 };
const byClass: Record<string, { n: number; useful: number }> = {};
for (const [i, p] of P.entries()) {
  const chat = await Chat.start({ gemeente: p.g });
  out.push(`## ${i + 1}. [${p.c}] ${p.g ?? 'geen gemeente'}`);
  let last: Reply[] = [];
  for (const say of p.says) {
    last = await chat.say(say);
    out.push(`> ${say}`);
    for (const r of last) out.push(`- ${(r.text ?? '').replace(/\n+/g, ' / ')}${r.attachments?.length ? ` {${r.attachments.length} attachment(s): ${r.attachments.map((a) => a.contentType).join(',')}}` : ''}${r.suggestedActions ? `  [${r.suggestedActions.actions.map((a) => String(a.title)).join(' | ')}]` : ''}`);
    if (last.length > 4) { counts.tooMany++; out.push(`  !! ${last.length} messages`); }
    if (last.slice(0, -1).some((r) => r.suggestedActions?.actions?.length)) { counts.buttonsNotLast++; out.push('  !! buttons not on the last message'); }
    const text = last.map(flat).join('\n');
    if (NOT_UNDERSTOOD.test(text) && !/\[/.test(text) && !/\d{3} \d{3}/.test(text)) counts.deadEnds++;
  }
  const text = last.map(flat).join('\n');
  const held = p.needs.filter((any) => any.some((n) => text.includes(n))).length;
  const bad = (p.not ?? []).filter((n) => text.includes(n));
  if (bad.length) counts.forbidden++;
  const verdict = held === p.needs.length && bad.length === 0 && !NOT_UNDERSTOOD.test(text) ? 'useful' : held > 0 ? 'partly' : 'not';
  counts[verdict]++;
  byClass[p.c] ??= { n: 0, useful: 0 };
  byClass[p.c].n++;
  if (verdict === 'useful') byClass[p.c].useful++;
  out.push('', `**${verdict}** (needs: ${p.needs.map((n) => n.join(' / ')).join('; ')}${bad.length ? `; said what it should not: ${bad.join(', ')}` : ''})`, '');
}
const n = P.length;
const pct = (x: number) => `${((100 * x) / n).toFixed(1)}%`;
const summary = [
  `Conversations: ${n}   useful ${pct(counts.useful)} (${counts.useful})   partly ${pct(counts.partly)} (${counts.partly})   not ${pct(counts.not)} (${counts.not})   dead ends: ${counts.deadEnds}`,
  `turns with >4 messages: ${counts.tooMany}   turns with buttons not on the last message: ${counts.buttonsNotLast}   conversations saying what they should not: ${counts.forbidden}`,
  `by class: ${Object.entries(byClass).map(([c, v]) => `${c} ${v.useful}/${v.n}`).join(', ')}`,
];
out.unshift(`# Hold-out QA round ${round}, issue 9 (new phrasings of each failure class, real bot, dialog harness)`, '', ...summary, '');
writeFileSync(outFile, `${out.join('\n')}\n`);
console.log(summary.join('\n'));
process.exit(0);
