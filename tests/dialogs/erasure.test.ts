/**
 * "Verwijder mijn gegevens": the bot asks first, then deletes what it stored about this
 * conversation (also what this very turn would have saved) and names the meldingen the loket keeps.
 */
import { expect } from 'chai';
import { MemoryStorage } from 'botbuilder';
import { ResidentDataDeletion } from '../../bot/retention/erasure.js';
import type { ListingStorage } from '../../bot/retention/purge.js';
import { MeldingStore, type Melding } from '../../dialogs/meldingen.js';
import { asksErasure } from '../../dialogs/turn/handlers/erasure.js';
import { buttons, Chat, CONTENT, last, texts, topicOf } from './harness.js';

const ERASURE = CONTENT.general.erasure;

/** botbuilder's MemoryStorage with the listing the eraser needs; `memory` shows what is stored. */
function listingStorage(): { storage: ListingStorage; memory: Record<string, string> } {
  const memory: Record<string, string> = {};
  const storage = Object.assign(new MemoryStorage(memory), {
    list: async (prefix: string) =>
      Object.entries(memory)
        .filter(([key, value]) => key.startsWith(prefix) && value !== undefined)
        .map(([key, value]) => ({ key, value: JSON.parse(value) as Record<string, unknown> })),
  });
  return { storage, memory };
}

async function start(storage: ListingStorage, conversationId: string): Promise<Chat> {
  return Chat.start({ storage, conversationId, gemeente: 'GM0406', eraser: new ResidentDataDeletion(storage) });
}

function keysOf(memory: Record<string, string>, conversationId: string): string[] {
  return Object.entries(memory)
    .filter(([key, value]) => value !== undefined && (key.includes(conversationId) || value.includes(conversationId)))
    .map(([key]) => key);
}

describe('dialogs: verwijder mijn gegevens', () => {
  it('asks with Ja/Nee, deletes this conversation (also what this turn held), names the kept melding, and leaves others alone', async () => {
    const { storage, memory } = listingStorage();
    const chat = await start(storage, 'mijn-gesprek');
    await chat.say('xqzt blorp vrmbl'); // an unanswered question
    await chat.sayAll('Een melding doen', '1', 'Ik kan niet meer stofzuigen.', 'niets', '1', '1', 'ja', 'E-mail', 'a@b.nl');
    const other = await start(storage, 'ander-gesprek');
    await other.say('xqzt blorp vrmbl');
    const melding = JSON.parse(memory[Object.keys(memory).find((k) => k.startsWith(MeldingStore.PREFIX))!]) as Melding;
    expect(keysOf(memory, 'mijn-gesprek').length).to.be.greaterThan(2);

    const question = last(await chat.say('Verwijder mijn gegevens'));
    expect(question.text).to.equal(ERASURE.question);
    expect(buttons(question)).to.deep.equal([ERASURE.yes.label, ERASURE.no.label]);
    expect(keysOf(memory, 'mijn-gesprek').length, 'nothing deleted before the resident says yes').to.be.greaterThan(2);

    const done = await chat.say('Ja');
    expect(texts(done)).to.contain(ERASURE.done);
    expect(texts(done)).to.contain(melding.reference);
    expect(keysOf(memory, 'mijn-gesprek'), 'only the melding the loket has').to.deep.equal([`${MeldingStore.PREFIX}${melding.reference}`]);
    expect(keysOf(memory, 'ander-gesprek')).to.include.members(['test/conversations/ander-gesprek/']);

    // The conversation starts afresh: the municipality given before is forgotten too.
    expect(last(await chat.say('Wanneer is het loket open?')).text).to.match(new RegExp(CONTENT.general.gemeente.question.slice(0, 20)));
  });

  it('"Nee" deletes nothing and the running flow asks its question again', async () => {
    const { storage, memory } = listingStorage();
    const chat = await start(storage, 'nee-gesprek');
    const question = last(await chat.say('Een melding doen')).text;
    expect(last(await chat.say('wis mijn gegevens')).text).to.equal(ERASURE.question);
    const replies = await chat.say('Nee');
    expect(replies[0].text).to.equal(ERASURE.cancelled);
    expect(last(replies).text).to.contain(question);
    expect(topicOf(last(replies))).to.equal('wmo-melding');
    expect(Object.keys(memory)).to.include('test/conversations/nee-gesprek/');
  });

  it('is recognised with typos and in a short sentence, not in look-alikes or long stories', () => {
    for (const text of ['verwijder mijn gegevens', 'Verwijdr mijn gegevns!', 'kunt u al mijn gegevens verwijderen?', 'Vergeet mij.', 'mijn gegevens wissen aub']) {
      expect(asksErasure(text, ERASURE.phrases), text).to.equal(true);
    }
    const story = 'ik heb gisteren aan de telefoon gevraagd of ze mijn gegevens willen verwijderen maar dat is nooit gebeurd en nu weet ik het niet';
    for (const text of ['vergeef mij', 'wat doen jullie met mijn gegevens?', 'mijn gegevens', story]) {
      expect(asksErasure(text, ERASURE.phrases), text).to.equal(false);
    }
  });

  it('danger still comes first', async () => {
    const { storage } = listingStorage();
    const chat = await start(storage, 'veilig-gesprek');
    const replies = await chat.say('verwijder mijn gegevens, ik wil niet meer leven');
    expect(topicOf(replies[0])).to.equal('veiligheid');
    expect(texts(replies)).not.to.contain(ERASURE.question);
  });

  it('without an eraser the resident is pointed to the loket, not told it is done', async () => {
    const chat = await Chat.start({ gemeente: 'GM0406' });
    expect(last(await chat.say('verwijder mijn gegevens')).text).to.equal(ERASURE.unavailable);
  });
});
