import { expect } from 'chai';
import { ConversationStore } from '../../bot/directline/conversations.js';
import { TokenIssuer } from '../../bot/directline/tokens.js';
import { TranscriptStore } from '../../bot/directline/transcripts.js';
import { createLogger } from '../../bot/logger.js';
import { randomBytes } from 'node:crypto';
import { MemoryStorage } from 'botbuilder';

describe('Direct Line conversations and tokens', () => {
  it('drops idle conversations, also one with an open stream (the stream is closed)', () => {
    const store = new ConversationStore({ idleMs: 60_000, unusedMs: 60_000 });
    const idle = store.create();
    const watched = store.create();
    let closed = 0;
    watched.listeners.add({ send: () => undefined, close: () => (closed += 1) });
    const later = Date.now() + 61_000;
    expect(store.expireIdle(later)).to.equal(2);
    expect(store.get(idle.id)).to.equal(undefined);
    expect(store.get(watched.id)).to.equal(undefined);
    expect(closed).to.equal(1);
    store.closeAll();
  });

  it('drops a conversation that never received a message sooner than one in use', () => {
    const store = new ConversationStore({ idleMs: 60 * 60_000, unusedMs: 5 * 60_000 });
    const unused = store.create();
    unused.append({ type: 'event', name: 'webchat/join' });
    const used = store.create();
    used.hasMessage = true;
    expect(store.expireIdle(Date.now() + 6 * 60_000)).to.equal(1);
    expect(store.get(unused.id)).to.equal(undefined);
    expect(store.get(used.id)).to.equal(used);
    store.closeAll();
  });

  it('keeps history within its byte budget and refuses new conversations when the memory budget is spent', () => {
    const store = new ConversationStore({ conversationBytes: 10_000, memoryBytes: 200_000, perAddress: 1000 });
    const big = store.create();
    for (let i = 0; i < 100; i++) big.append({ type: 'message', text: 'x'.repeat(1000) });
    expect(big.bytes).to.be.at.most(10_000);
    expect(big.watermark).to.equal('100');
    const opened = [];
    while (store.admit('127.0.0.1').ok && opened.length < 1000) opened.push(store.create(undefined, '127.0.0.1'));
    expect(store.bytes).to.be.at.most(200_000);
    expect(opened.length).to.be.lessThan(60);
    expect(store.admit('127.0.0.2')).to.include({ ok: false, status: 503 });
    store.closeAll();
  });

  it('limits open conversations per client address', () => {
    const store = new ConversationStore({ perAddress: 2 });
    store.create(undefined, '10.0.0.1');
    store.create(undefined, '10.0.0.1');
    expect(store.admit('10.0.0.1')).to.include({ ok: false, status: 429 });
    expect(store.admit('10.0.0.2').ok).to.equal(true);
    store.closeAll();
  });

  it('keeps a bounded history and answers "since watermark" from it', () => {
    const store = new ConversationStore({ history: 50 });
    const conversation = store.create();
    for (let i = 0; i < 600; i++) conversation.append({ type: 'message', text: `m${i}` });
    expect(conversation.watermark).to.equal('600');
    expect(conversation.since().length).to.equal(50);
    expect(conversation.since('598').map((a) => a.text)).to.deep.equal(['m598', 'm599']);
    expect(conversation.since('600')).to.deep.equal([]);
    expect(conversation.since('3').length).to.equal(50);
    expect(conversation.since('-1').length).to.equal(50);
    expect(conversation.since('tien').length).to.equal(50);
    store.closeAll();
  });

  it('persists a transcript without the personal data in it, and with the channel\'s own ids and times exactly as they are', async () => {
    const storage = new MemoryStorage();
    const transcripts = new TranscriptStore(storage, { retentionMs: 60_000, logger: createLogger('silent') });
    const store = new ConversationStore();
    // A conversation id with what looks like a phone number in it (random ids can have one).
    const conversation = store.create('Xy0612345678ab-_Q');
    const question = conversation.append({ type: 'message', text: 'bel me op 06 23456789', from: { id: 'inwoner', name: 'jan@example.nl', role: 'user' }, serviceUrl: 'http://127.0.0.1:3978/v3/directline' });
    const answer = conversation.append({ type: 'message', text: 'Dank u, ik bel u terug.', replyToId: question.id, from: { id: 'bot', name: 'Wmo-loket assistent', role: 'bot' } });
    await transcripts.save(conversation);
    const [mine, reply] = (await transcripts.load(conversation.id))!.activities;
    expect(mine.text).to.equal('bel me op [telefoon verwijderd]');
    expect(mine.from?.name).to.equal('[e-mail verwijderd]');
    expect(mine.id).to.equal(question.id);
    expect(mine.conversation?.id).to.equal('Xy0612345678ab-_Q');
    expect(mine.serviceUrl).to.equal('http://127.0.0.1:3978/v3/directline');
    expect(new Date(mine.timestamp!).getTime()).to.equal((question.timestamp as Date).getTime());
    expect(reply).to.include({ id: answer.id, replyToId: question.id, text: 'Dank u, ik bel u terug.' });
    // The same answer in another conversation, now next to a BSN: the answer stays, the BSN goes.
    const other = store.create();
    other.append({ type: 'message', text: 'Dank u, ik bel u terug.', from: { id: 'bot', name: 'Wmo-loket assistent', role: 'bot' } });
    other.append({ type: 'message', text: 'Dank u, ik bel u terug. 111222333', from: { id: 'inwoner', name: '', role: 'user' } });
    await transcripts.save(other);
    expect((await transcripts.load(other.id))!.activities.map((a) => a.text)).to.deep.equal(['Dank u, ik bel u terug.', 'Dank u, ik bel u terug. [BSN verwijderd]']);
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

  it('remembers a verified token without extending it: once expired it is refused, also from the cache', async () => {
    const issuer = new TokenIssuer(randomBytes(32));
    const { token } = issuer.issue('conv-b', undefined, 1);
    expect(issuer.verify(token)?.conversationId).to.equal('conv-b');
    expect(issuer.verify(token)?.conversationId).to.equal('conv-b');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(issuer.verify(token)).to.equal(undefined);
  });
});
