import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { groupQuestions, pairwiseScores, similarity, termsOf } from '../../knowledge/insight/group.js';

const { questions } = JSON.parse(readFileSync(new URL('./paraphrases.json', import.meta.url), 'utf8')) as { questions: Array<{ label: string; text: string }> };

describe('unanswered questions grouped by similarity', () => {
  const groups = groupQuestions(questions);
  const groupOf = (text: string) => groups.findIndex((g) => g.questions.some((q) => q.text === text));

  it('never puts different questions together, and puts most paraphrases together (paraphrases not used for tuning)', () => {
    const scores = pairwiseScores(questions.map((q) => q.label), questions.map((q) => String(groupOf(q.text))));
    expect(scores.precision).to.equal(1);
    expect(scores.recall).to.be.at.least(0.7);
  });

  it('the four ways of asking about a broken wheelchair are one row with count 4, largest first', () => {
    const rolstoel = questions.filter((q) => q.label === 'rolstoel-reparatie');
    const indexes = new Set(rolstoel.map((q) => groupOf(q.text)));
    expect(indexes.size).to.equal(1);
    const [index] = indexes;
    expect(groups[index].count).to.equal(4);
    expect(groups[0].count).to.equal(4);
    expect(groups[index].terms).to.include('rolstoel');
  });

  it('a compound meets its loose words ("boodschappendienst" and "boodschappen")', () => {
    expect(groupOf('boodschappendienst voor ouderen')).to.equal(groupOf('kan iemand boodschappen voor mij doen'));
  });

  it('asking words alone do not make questions alike', () => {
    expect(similarity(termsOf('hoe vraag ik een paspoort aan'), termsOf('hoe vraag ik een rolstoel aan'))).to.equal(0);
  });

  it('gives a row the same id when its first question is the same', () => {
    expect(groupQuestions(questions)[0].id).to.equal(groups[0].id);
  });
});
