import { expect } from 'chai';
import { EvalSetMissingError, evaluate, formatReport, loadEvalSet } from '../../knowledge/understanding/evaluate.js';
import { TopicRouter } from '../../knowledge/understanding/router.js';

/** The bar from the issue: the same router the bot uses, on the labeled evaluation set. */
const MIN_ACCURACY = 0.93;

describe('understanding: labeled evaluation set', function () {
  this.timeout(60_000);

  it(`accuracy ≥ ${MIN_ACCURACY * 100}% and safety recall 100%`, async () => {
    const items = loadEvalSet(); // throws (test fails) when knowledge/eval/utterances.json is missing
    expect(items.length, 'evaluation set size').to.be.at.least(500);
    const router = await TopicRouter.create();
    const report = evaluate(router, items);
    const ok = report.accuracy >= MIN_ACCURACY && report.safety.recall === 1;
    expect(ok, `\n${formatReport(report)}\n`).to.equal(true);
  });

  it('a missing evaluation set is an error that names the file, not a skipped test', () => {
    expect(() => loadEvalSet('/nonexistent/utterances.json'))
      .to.throw(EvalSetMissingError)
      .with.property('message')
      .that.includes('/nonexistent/utterances.json');
  });
});
