import { expect } from 'chai';
import { ConversationStore } from '../../bot/directline/conversations.js';
import { TokenIssuer } from '../../bot/directline/tokens.js';
import { randomBytes } from 'node:crypto';

describe('Direct Line conversations and tokens', () => {
  it('drops idle conversations, but not one with an open stream', () => {
    const store = new ConversationStore(60_000);
    const idle = store.create();
    const watched = store.create();
    watched.listeners.add({ send: () => undefined, close: () => undefined });
    const later = Date.now() + 61_000;
    expect(store.expireIdle(later)).to.equal(1);
    expect(store.get(idle.id)).to.equal(undefined);
    expect(store.get(watched.id)).to.equal(watched);
    store.closeAll();
  });

  it('keeps a bounded history and answers "since watermark" from it', () => {
    const store = new ConversationStore(60_000);
    const conversation = store.create();
    for (let i = 0; i < 600; i++) conversation.append({ type: 'message', text: `m${i}` });
    expect(conversation.watermark).to.equal('600');
    expect(conversation.since().length).to.equal(200);
    expect(conversation.since('598').map((a) => a.text)).to.deep.equal(['m598', 'm599']);
    store.closeAll();
  });

  it('issues tokens that verify, and rejects expired, forged and foreign ones', () => {
    const issuer = new TokenIssuer(randomBytes(32));
    const { token } = issuer.issue('conv-a', 'user-1');
    expect(issuer.verify(token)).to.include({ conversationId: 'conv-a', userId: 'user-1' });
    expect(issuer.verify(issuer.issue('conv-a', undefined, -1).token)).to.equal(undefined);
    expect(issuer.verify(new TokenIssuer(randomBytes(32)).issue('conv-a').token)).to.equal(undefined);
    expect(issuer.verify('not-a-token')).to.equal(undefined);
    expect(issuer.verify(`${Buffer.from('{"conversationId":"x","exp":9999999999}').toString('base64url')}.${token.split('.')[1]}`)).to.equal(undefined);
  });
});
