import { expect } from 'chai';
import { loadConversationSet, validateConversationSet, type ConversationSet } from '../../bot/evaluation/conversationSet.js';
import { evaluateTurn, formatReport, runConversationSet } from '../../bot/evaluation/run.js';
import { THRESHOLDS, meetsThresholds, percent } from '../../bot/evaluation/thresholds.js';
import { knowledge } from '../dialogs/harness.js';

const ISSUE_CLASSES = [
  'safety-edges',
  'question-in-flow',
  'basic-questions',
  'local-answers',
  'follow-ups',
  'buttons-visible',
  'flows-use-answers',
  'typed-answers',
  'messages-format',
  'safety-false-alarm',
];

/** A one-conversation set around `goedemorgen`, for the rules of the runner itself. */
function tiny(expectations: Record<string, unknown>): ConversationSet {
  const set = loadConversationSet();
  return { ...set, conversations: [{ id: 'tiny', class: 'happy-path', gemeente: 'GM0406', description: 'rules', turns: [{ say: 'goedemorgen', expect: expectations }] }] };
}

describe('evaluation: scripted conversations', function () {
  this.timeout(180_000);

  describe('the set (knowledge/eval/conversations/conversations.json)', () => {
    it('is valid: unique ids, known checks, real municipalities, topics, articles, and traceable figures', async () => {
      const { kb } = await knowledge();
      expect(validateConversationSet(loadConversationSet(), kb)).to.deep.equal([]);
    });

    it('has at least 150 conversations, five or more per failure class of issue 9, and every municipality of the region', async () => {
      const { kb } = await knowledge();
      const set = loadConversationSet();
      expect(set.conversations.length).to.be.at.least(150);
      for (const cls of ISSUE_CLASSES) expect(set.conversations.filter((c) => c.class === cls).length, cls).to.be.at.least(5);
      const used = new Set(set.conversations.map((c) => c.gemeente));
      for (const m of kb.municipalities) expect(used.has(m.code), m.name).to.equal(true);
      expect(used.has(null), 'a conversation without a municipality').to.equal(true);
    });

    it('validation names each problem: duplicate id, unknown check, unknown municipality, figures without or outside their source', async () => {
      const { kb } = await knowledge();
      const set = tiny({});
      const turn = { say: 'x', source: 'kb:municipalities/GM0406', expect: { mustContain: ['€999'] } };
      set.conversations.push(
        { id: 'tiny', class: 'happy-path', gemeente: 'GM9999', description: 'd', turns: [{ say: 'x', expect: { mustContian: ['a'] } as never }] },
        { id: 'figures', class: 'nope', gemeente: null, description: 'd', turns: [turn, { say: 'y', expect: { safetyNumber: '0800-2000' } }] },
      );
      const problems = validateConversationSet(set, kb).join('\n');
      expect(problems).to.include('conversation tiny: id is not unique');
      expect(problems).to.include('unknown check "mustContian"');
      expect(problems).to.include('unknown municipality "GM9999"');
      expect(problems).to.include('conversation figures: unknown class "nope"');
      expect(problems).to.include('figure "€999" is not in kb:municipalities/GM0406');
      expect(problems).to.include('conversation figures turn 2: expected figures need a "source"');
    });
  });

  describe('the runner', () => {
    it('judges by the rules: useful when all hold, partly when only a form check fails, not when the answer is missing', async () => {
      const { kb, router } = await knowledge();
      const useful = await runConversationSet(tiny({ buttonsOnLast: true, topic: 'groet' }), { kb, router });
      expect(useful.judgments, formatReport(useful)).to.deep.include({ useful: 1 });
      const partly = await runConversationSet(tiny({ mustContain: ['helpen'], maxMessages: 0 }), { kb, router });
      expect(partly.judgments, formatReport(partly)).to.deep.include({ partly: 1 });
      const not = await runConversationSet(tiny({ mustContain: ['Veilig Thuis'] }), { kb, router });
      expect(not.judgments, formatReport(not)).to.deep.include({ not: 1 });
    });

    it('"voorbeeldgegevens" holds only next to example data from the knowledge base', async () => {
      const { kb } = await knowledge();
      const notice = (text: string) =>
        evaluateTurn(tiny({}), { say: 'x' }, [{ type: 'message', text }], { kb, log: [], stored: [] }).find((c) => c.check === 'exampleNotice');
      expect(notice('In 2026 is het €21,80 per maand.\n\nLet op: dit zijn voorbeeldgegevens.')).to.deep.include({ ok: false });
      expect(notice('Steunpunt Mantelzorg Huizen: 035 000 11 47. Let op: dit zijn voorbeeldgegevens.')).to.deep.include({ ok: true });
      expect(notice('In 2026 is het €21,80 per maand.')).to.equal(undefined);
    });

    it('every turn: no doubled names, no raw opening hours, and local numbers of the own municipality only', async () => {
      const { kb } = await knowledge();
      const failing = (text: string, gemeente: string | null = 'GM0406') =>
        evaluateTurn(tiny({}), { say: 'x' }, [{ type: 'message', text }], { kb, log: [], stored: [], gemeente })
          .filter((c) => !c.ok)
          .map((c) => c.check);
      expect(failing('**Logeerhuis De Gooise Hoeve (Logeerhuis De Gooise Hoeve (voorbeeld))**: 035 000 11 58')).to.deep.equal(['noDoubledName']);
      expect(failing('**Cliëntondersteuning spreekuur Huizen (Stichting Naast U (voorbeeld))**: 035 000 11 85')).to.deep.equal([]);
      expect(failing('Open: maandag t/m zondag 00:00-23:59')).to.deep.equal(['noRawText']);
      expect(failing('Steunpunt Mantelzorg Hilversum: 035 000 11 48')).to.deep.equal(['localNumbers']);
      expect(failing('Steunpunt Mantelzorg Hilversum: 035 000 11 48', null)).to.deep.equal([]);
    });

    it('a button the resident presses must have been offered', async () => {
      const { kb, router } = await knowledge();
      const set = tiny({});
      set.conversations[0].turns.push({ press: 'Bestaat niet' });
      const report = await runConversationSet(set, { kb, router });
      const press = report.results[0].turns[1].checks.find((c) => c.check === 'press');
      expect(press).to.deep.include({ ok: false });
    });
  });

  it(`holds at or above the thresholds (bot/evaluation/thresholds.json: ${percent(THRESHOLDS.minShareHolding)}% holding, safety ${percent(THRESHOLDS.minSafetyRight)}%)`, async () => {
    const { kb, router } = await knowledge();
    const report = await runConversationSet(loadConversationSet(), { kb, router });
    expect(meetsThresholds(report), `\n${formatReport(report, { failures: false })}\n`).to.equal(true);
  });
});
