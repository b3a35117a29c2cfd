import { expect } from 'chai';
import { TopicClassifier } from '../../knowledge/understanding/classifier.js';
import type { TopicId } from '../../knowledge/topics.js';

/** A tiny training set: each topic has its own words, 'hulp' is in both. */
const examples: Array<{ features: string[]; topic: TopicId }> = [
  ...['rolstoel hulp', 'scootmobiel', 'rolstoel kapot', 'rollator hulp'].map((t) => ({ features: t.split(' '), topic: 'hulpmiddelen' as TopicId })),
  ...['schoonmaken hulp', 'huishouden', 'schoonmaken ramen', 'stofzuigen hulp'].map((t) => ({ features: t.split(' '), topic: 'huishoudelijke-hulp' as TopicId })),
];

describe('understanding: the topic classifier', () => {
  const classifier = TopicClassifier.train(examples);

  it("a topic's own word decides; a word both topics use leaves it open", () => {
    const [best] = classifier.classify(['rolstoel'], 1);
    expect(best.topic).to.equal('hulpmiddelen');
    expect(best.confidence).to.be.greaterThan(0.8);
    const shared = classifier.classify(['hulp'], 1);
    expect(shared[0].confidence).to.be.below(0.65);
  });

  it('confidences sum to 1, best first; a higher temperature makes them less sure', () => {
    const scores = classifier.classify(['schoonmaken', 'hulp'], 1);
    expect(scores[0].topic).to.equal('huishoudelijke-hulp');
    expect(scores.reduce((sum, s) => sum + s.confidence, 0)).to.be.closeTo(1, 1e-9);
    expect(scores.map((s) => s.confidence)).to.deep.equal(scores.map((s) => s.confidence).sort((a, b) => b - a));
    expect(classifier.classify(['schoonmaken', 'hulp'], 3)[0].confidence).to.be.below(scores[0].confidence);
  });

  it('words never seen in training are unknown, and an utterance without features teaches nothing', () => {
    expect(classifier.knowsAny(['xqzt', 'blorp'])).to.equal(false);
    expect(classifier.knowsAny(['xqzt', 'rolstoel'])).to.equal(true);
    const withEmpty = TopicClassifier.train([...examples, { features: [], topic: 'pgb' }]);
    expect(withEmpty.classify(['rolstoel'], 1).map((s) => s.topic)).to.not.include('pgb');
  });
});
