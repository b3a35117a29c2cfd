import { expect } from 'chai';
import { loadContent } from '../../dialogs/content.js';
import type { KnowledgeView } from '../../dialogs/ports.js';
import { presentContact, serviceContact } from '../../dialogs/socialeKaart.js';
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
    const text = presentContact(content.general, serviceContact(kb, service(), TUESDAY_MORNING));
    const { phone, hours } = content.general.contactLabels;
    expect(text).to.include(`${phone}: 035 123 45 67`);
    expect(text).to.include(`${hours}: ${content.general.weekdays[0]} t/m ${content.general.weekdays[2]} 09:00-17:00`);
  });
});
