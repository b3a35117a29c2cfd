import { expect } from 'chai';
import { MemoryStorage } from 'botbuilder';
import { FeedbackStore, type StoredFeedback } from '../../bot/insight/feedback.js';
import { InsightStore } from '../../bot/insight/events.js';
import { buttons, Chat, CONTENT, texts } from '../dialogs/harness.js';

const { feedback } = CONTENT.general;
const QUESTION = 'hoeveel is de eigen bijdrage?';

async function stored(storage: MemoryStorage, conversationId: string): Promise<StoredFeedback[]> {
  return Object.values(await storage.read(FeedbackStore.keysFor(conversationId))) as StoredFeedback[];
}

describe('feedback on an answer from the knowledge base', () => {
  it('puts the two buttons on the answer\'s last message; one tap stores "helped" with topic, municipality and sources', async () => {
    const storage = new MemoryStorage();
    const chat = await Chat.start({ storage, gemeente: 'GM0406', conversationId: 'fb-1' });
    const answer = await chat.say(QUESTION);
    expect(buttons(answer.at(-1))).to.include.members([feedback.yes.label, feedback.no.label]);
    const thanks = await chat.say(feedback.yes.label);
    expect(texts(thanks)).to.include(feedback.thanks);
    const [item] = await stored(storage, 'fb-1');
    expect(item).to.include({ helped: true, gemeente: 'GM0406', topic: 'kosten' });
    expect(item.sources.length).to.be.at.least(1);
    for (const source of item.sources) expect(source).to.match(/^https:\/\//);
    expect((await new InsightStore(storage).get('fb-1'))!.feedback).to.deep.equal({ up: 1, down: 0 });
  });

  it('"niet" asks what was missing; the short comment is stored redacted', async () => {
    const storage = new MemoryStorage();
    const chat = await Chat.start({ storage, gemeente: 'GM0406', conversationId: 'fb-2' });
    await chat.say(QUESTION);
    const ask = await chat.say(feedback.no.label);
    expect(texts(ask)).to.include(feedback.askComment);
    expect(buttons(ask.at(-1))).to.deep.equal([feedback.skip.label]);
    await chat.say('ik wil weten wat ik zelf betaal, bel me op 06-12345678');
    const [item] = await stored(storage, 'fb-2');
    expect(item.helped).to.equal(false);
    expect(item.comment).to.include('wat ik zelf betaal').and.not.include('12345678');
    expect((await new InsightStore(storage).get('fb-2'))!.feedback).to.deep.equal({ up: 0, down: 1 });
  });

  it('"Overslaan" counts the "niet" without a comment; a new question instead is answered and the "niet" still counts', async () => {
    const storage = new MemoryStorage();
    const chat = await Chat.start({ storage, gemeente: 'GM0406', conversationId: 'fb-3' });
    await chat.say(QUESTION);
    await chat.say(feedback.no.label);
    await chat.say(feedback.skip.label);
    await chat.say(QUESTION);
    await chat.say(feedback.no.label);
    const next = await chat.say('wat is een keukentafelgesprek?');
    expect(texts(next)).to.match(/keukentafelgesprek/i);
    const items = await stored(storage, 'fb-3');
    expect(items.map((i) => [i.helped, i.comment])).to.deep.equal([[false, undefined], [false, undefined]]);
  });

  it('the follow-up buttons under the answer still work next to the feedback buttons', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406', conversationId: 'fb-4' });
    const answer = await chat.say(QUESTION);
    const followUp = answer.flatMap((reply) => buttons(reply)).find((b) => b !== feedback.yes.label && b !== feedback.no.label);
    expect(followUp, 'the answer has follow-up questions').to.be.a('string');
    const replies = await chat.say(followUp!);
    expect(texts(replies)).not.to.include(feedback.thanks);
    // Answered within the topic, from the knowledge base again (with sources and the buttons).
    expect(replies.some((r) => r.entities?.some((e) => e.type === 'https://schema.org/Message'))).to.equal(true);
  });
});
