import { expect } from 'chai';
import { buttons, Chat, knowledge, texts } from './harness.js';

const FIRST_QUESTION = /Wat lukt niet meer zo goed in huis\?/;

describe('dialogs: something else typed in the middle of a flow', () => {
  const inFlow = async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    const start = await chat.say('mn moeder kan niet meer zelf schoonmaken');
    expect(texts(start)).to.match(FIRST_QUESTION);
    return chat;
  };

  it('an English question gets the English line first, then an offer to switch', async () => {
    const chat = await inFlow();
    const replies = await chat.say('How do I apply for a wheelchair?');
    expect(replies[0].text).to.match(/English/);
    expect(texts(replies)).to.match(/Wilt u eerst/);
  });

  it('English that is no question gets the English line and the question again, with its buttons', async () => {
    const chat = await inFlow();
    const replies = await chat.say('Hello');
    expect(replies[0].text).to.match(/English/);
    expect(buttons(replies.at(-1))).to.include('Schoonmaken');
  });

  it('a BSN typed as an answer is removed, the resident is told, and the question comes again', async () => {
    const chat = await inFlow();
    const replies = await chat.say('mijn bsn is 111222333');
    expect(replies[0].text).to.match(/BSN weggehaald/);
    expect(buttons(replies.at(-1))).to.include('Schoonmaken');
  });

  it('"wat kost dat?" is offered as a switch and answered about this flow\'s subject, then the flow goes on', async () => {
    const chat = await inFlow();
    const offer = await chat.say('wat kost dat?');
    expect(texts(offer)).to.match(/Wilt u eerst/);
    const answer = await chat.say('ja');
    expect(texts(answer)).to.match(/abonnementstarief/i).and.match(/2026/).and.match(/€21,80/);
    expect(texts(answer)).to.match(FIRST_QUESTION);
  });
});

describe('dialogs: safety answers fit what was recognised', () => {
  it('a clear phrase gets its own number first', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    const replies = await chat.say('mijn man slaat me');
    expect(replies[0].text).to.match(/^Bel Veilig Thuis: 0800-2000/);
  });

  it('a worry the classifier flags without a danger phrase gets every number, not just 112', async () => {
    const worry = 'ik maak me zorgen';
    const { router } = await knowledge();
    // Precondition: only the classifier's net fires on this text (if that changes, pick another example).
    expect(router.understand(worry).safety).to.deep.include({ matched: '' });
    const chat = await Chat.start({ gemeente: 'GM0406' });
    const first = (await chat.say(worry))[0].text ?? '';
    expect(first).to.match(/112/).and.match(/113/).and.match(/0800-2000/);
  });
});
