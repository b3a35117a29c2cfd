import { expect } from 'chai';
import { loadContent } from '../../dialogs/content.js';
import type { KnowledgeView } from '../../dialogs/ports.js';
import { serviceContact, type ContactCard } from '../../dialogs/socialeKaart.js';
import { ADAPTIVE_CARD, contactMessage } from '../../dialogs/contactCard.js';
import { readable } from './harness.js';
import type { HsdsService } from '../../knowledge/types.js';

/** Tuesday 24 November 2026, 10:00 in the Netherlands. */
const TUESDAY_MORNING = new Date('2026-11-24T09:00:00Z');

describe('dialogs: one presenter for a sociale-kaart contact', () => {
  const content = loadContent();
  const kb = { organization: () => undefined } as unknown as KnowledgeView;
  const service = (validTo?: string): HsdsService =>
    ({
      id: 's',
      name: 'Steunpunt',
      organization_id: 'o',
      phones: [{ id: 'p', number: '035 123 45 67' }],
      location_ids: [],
      schedules: [{ id: 'h', freq: 'WEEKLY', byday: 'MO,TU,WE', opens_at: '09:00', closes_at: '17:00', ...(validTo ? { valid_to: validTo } : {}) }],
    }) as unknown as HsdsService;

  it('says open now from the weekly schedule, in Dutch time', () => {
    expect(serviceContact(kb, service(), TUESDAY_MORNING).openNow).to.equal(true);
  });

  it('a schedule that is no longer valid does not make the service open (valid_to, as the search reads it)', () => {
    expect(serviceContact(kb, service('2026-01-01'), TUESDAY_MORNING).openNow).to.equal(false);
  });

  it('takes its labels and weekday names from content', () => {
    const text = readable(contactMessage(content.general, [serviceContact(kb, service(), TUESDAY_MORNING)]));
    const { phone, hours } = content.general.contactLabels;
    expect(text).to.include(`${phone}: 035 123 45 67`);
    expect(text).to.include(`${hours}: ${content.general.weekdays[0]} t/m ${content.general.weekdays[2]} 09:00-17:00`);
  });
});

describe('dialogs: contacts as one Adaptive Card', () => {
  const content = loadContent();
  const contact = (name: string, extra: Partial<ContactCard> = {}): ContactCard => ({ name, phone: '035 000 00 01', hours: [], ...extra });

  it('puts every contact of a message in one Adaptive Card 1.3 (Web Chat and Teams), one container each', () => {
    const message = contactMessage(content.general, [contact('Steunpunt A'), contact('Steunpunt B', { email: 'b@voorbeeld.example' })], 'Bij u in de buurt:');
    expect(message.attachments).to.have.length(1);
    const [card] = message.attachments!;
    expect(card.contentType).to.equal(ADAPTIVE_CARD);
    const body = (card.content as { version: string; body: Array<{ type: string; items: unknown[] }> });
    expect(body.version).to.equal('1.3');
    expect(body.body.map((b) => b.type)).to.deep.equal(['Container', 'Container']);
    expect(readable(message)).to.match(/Steunpunt B[\s\S]*E-mail: b@voorbeeld\.example/);
  });

  it('shows the contacts only in the card: the text is the intro and the note, the card carries a plain-text fallback', () => {
    const message = contactMessage(content.general, [contact('Steunpunt A'), contact('Formulierenhulp', { phone: undefined, website: 'https://voorbeeld.example' })], 'Bij u in de buurt:', 'Let op.');
    expect(message.text).to.equal('Bij u in de buurt:\n\nLet op.');
    const card = message.attachments![0].content as { fallbackText: string; speak: string };
    for (const plain of [card.fallbackText, card.speak]) {
      expect(plain).to.match(/Steunpunt A — Telefoon: 035 000 00 01/).and.match(/Formulierenhulp — Website: https:\/\/voorbeeld\.example/);
    }
    // A resident reading text and card together sees the phone number once.
    expect(readable(message).match(/035 000 00 01/g)).to.have.length(1);
  });

  it('says a temporarily closed service is closed, in the card and in its plain-text fallback', () => {
    const message = contactMessage(content.general, [contact('Buurteettafel', { closed: true })]);
    const closed = content.general.hoursWords.temporarilyClosed;
    expect((message.attachments![0].content as { fallbackText: string }).fallbackText).to.include(closed);
    expect(readable(message)).to.include(closed);
  });
});
