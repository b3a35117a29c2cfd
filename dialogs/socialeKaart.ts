/**
 * Concrete next steps from the sociale kaart and the municipality data: who, phone, opening
 * hours, address, and whether they are open now (Dutch local time).
 */
import type { HsdsSchedule, HsdsService, Municipality, OpeningHours } from '../knowledge/types.js';
import type { TopicId } from '../knowledge/topics.js';
import type { KnowledgeView } from './ports.js';

const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** ISO weekday (1 = Monday) and "HH:MM" in the Netherlands for the given moment. */
export function dutchClock(now: Date): { day: number; time: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { day, time: `${get('hour')}:${get('minute')}` };
}

export function isOpenNow(hours: OpeningHours[] | undefined, now: Date): boolean | undefined {
  if (!hours?.length) return undefined;
  const { day, time } = dutchClock(now);
  return hours.some((h) => h.days.includes(day) && h.opens <= time && time < h.closes);
}

function scheduleToHours(schedules: HsdsSchedule[]): OpeningHours[] {
  return schedules
    .filter((s) => s.byday && s.opens_at && s.closes_at)
    .map((s) => ({
      days: s.byday!.split(',').map((code) => DAY_CODES.indexOf(code.trim()) + 1).filter((d) => d > 0),
      opens: s.opens_at!,
      closes: s.closes_at!,
    }));
}

/** "maandag t/m vrijdag 09:00-17:00" style text, Dutch weekday names from content. */
export function formatHours(hours: OpeningHours[] | undefined, weekdays: string[]): string | undefined {
  if (!hours?.length) return undefined;
  return hours
    .map((h) => {
      const days = [...h.days].sort((a, b) => a - b);
      const contiguous = days.every((d, i) => i === 0 || d === days[i - 1] + 1);
      const dayText =
        days.length > 2 && contiguous
          ? `${weekdays[days[0] - 1]} t/m ${weekdays[days[days.length - 1] - 1]}`
          : days.map((d) => weekdays[d - 1]).join(', ');
      return `${dayText} ${h.opens}-${h.closes}${h.note ? ` (${h.note})` : ''}`;
    })
    .join('; ');
}

export interface ContactCard {
  name: string;
  phone?: string;
  email?: string;
  website?: string;
  address?: string;
  hours?: string;
  openNow?: boolean;
}

export function serviceContact(kb: KnowledgeView, service: HsdsService, weekdays: string[], now: Date): ContactCard {
  const org = kb.organization(service.organization_id);
  const location = org?.locations.find((l) => service.location_ids.includes(l.id) && l.location_type === 'physical');
  const address = location?.addresses[0];
  const hours = scheduleToHours(service.schedules);
  return {
    name: org && !service.name.toLowerCase().includes(org.name.toLowerCase()) ? `${service.name} (${org.name})` : service.name,
    phone: service.phones[0]?.number ?? org?.phones?.[0]?.number,
    email: service.email ?? org?.email,
    website: service.url ?? org?.website,
    address: address ? `${address.address_1}, ${address.postal_code} ${address.city}` : undefined,
    hours: formatHours(hours, weekdays),
    openNow: isOpenNow(hours, now),
  };
}

export function loketContact(m: Municipality, weekdays: string[], now: Date): ContactCard {
  const a = m.loket.address;
  return {
    name: m.loket.name,
    phone: m.loket.phone,
    email: m.loket.email,
    website: m.loket.website,
    address: a ? `${a.street}, ${a.postalCode} ${a.city}` : undefined,
    hours: formatHours(m.loket.openingHours, weekdays),
    openNow: isOpenNow(m.loket.openingHours, now),
  };
}

/** A short block of contact lines, empty lines left out. */
export function formatContact(card: ContactCard): string {
  return [
    `**${card.name}**`,
    card.phone && `Telefoon: ${card.phone}`,
    card.email && `E-mail: ${card.email}`,
    card.address && `Adres: ${card.address}`,
    card.hours && `Open: ${card.hours}`,
    !card.phone && !card.email && card.website ? `Website: ${card.website}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');
}

function servesGemeente(service: HsdsService, gemeente: string | undefined): boolean {
  return !gemeente || service.service_areas.some((a) => a.gemeente === gemeente);
}

/**
 * Active services for a need in the resident's municipality: search hits first (best match),
 * filtered to services that really serve that municipality.
 */
export function findServices(
  kb: KnowledgeView,
  query: string,
  options: { gemeente?: string; topic?: TopicId; limit?: number },
): HsdsService[] {
  const limit = options.limit ?? 2;
  const hits = kb.search(query, { gemeente: options.gemeente, topic: options.topic, kinds: ['service'], limit: limit * 3 });
  const out: HsdsService[] = [];
  for (const hit of hits) {
    const service = kb.service(hit.id);
    if (!service || service.status !== 'active' || !servesGemeente(service, options.gemeente)) continue;
    if (!out.some((s) => s.id === service.id)) out.push(service);
    if (out.length >= limit) break;
  }
  return out;
}

/** A service by id from the municipality settings, if it exists and is active. */
export function activeService(kb: KnowledgeView, id: string | undefined): HsdsService | undefined {
  const service = id ? kb.service(id) : undefined;
  return service && service.status === 'active' ? service : undefined;
}
