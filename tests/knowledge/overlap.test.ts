import { expect } from 'chai';
import { nearCopies, words } from '../../knowledge/understanding/overlap.js';

describe('overlap of the evaluation set with the training data', () => {
  it('reads sentences as their words: case, accents and punctuation do not make a new sentence', () => {
    expect(words('Wat is een Cliëntondersteuner?!')).to.deep.equal(['wat', 'is', 'een', 'clientondersteuner']);
  });

  it('counts a copy and a near-copy, and leaves a sentence in other words alone', () => {
    const training = ['wat is het abonnementstarief', 'ik wil een traplift aanvragen bij de gemeente'];
    expect(
      nearCopies(['Wat is het abonnementstarief?', 'ik wil een traplift aanvragen bij gemeente', 'hoeveel kost de hulp per maand'], training),
    ).to.deep.equal([true, true, false]);
  });
});
