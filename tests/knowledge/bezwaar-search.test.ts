import { expect } from 'chai';
import { loadKnowledgeBase, type KnowledgeBase } from '../../knowledge/index.js';

// A resident who asks how long they have to object must get the article with the 6-week term to
// file, not the one about how long the gemeente takes to decide.
describe('search: the term to file a bezwaar', () => {
  let kb: KnowledgeBase;
  before(async () => {
    kb = await loadKnowledgeBase();
  });

  for (const query of ['hoe lang heb ik om bezwaar te maken', 'hoeveel tijd heb ik voor bezwaar', 'termijn bezwaar']) {
    it(`"${query}" finds the article that says: bezwaar within 6 weeks of the decision`, () => {
      const top = kb.search(query, { limit: 1 })[0];
      expect(top?.id).to.equal('bezwaar-maken');
      const article = kb.articles.find((a) => a.id === top.id);
      expect(article?.body).to.match(/binnen 6 weken na het besluit/);
    });
  }

  it('"hoe lang duurt een bezwaar" still finds how long the gemeente takes to decide', () => {
    expect(kb.search('hoe lang duurt een bezwaar', { limit: 1 })[0]?.id).to.equal('bezwaar-beslistermijn');
  });
});
