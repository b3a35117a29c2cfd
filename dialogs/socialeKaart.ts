/**
 * Concrete next steps from the sociale kaart and the municipality data: who, phone, opening
 * hours, address, and whether they are open now. They are shown as one card (contactCard.ts):
 * the labels come from content (general.json › contactLabels), "open now" from knowledge/.
 */
import { amsterdamTime, openSchedule } from '../knowledge/search/openNow.js';
import type { HsdsSchedule, HsdsService, Municipality, OpeningHours } from '../knowledge/types.js';
import type { TopicId } from '../knowledge/topics.js';
import type { KnowledgeView } from './ports.js';

const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export interface ContactCard {
  name: string;
  phone?: string;
  email?: string;
  website?: string;
  address?: string;
  hours?: OpeningHours[];
  openNow?: boolean;
  /** The service is temporarily closed: shown, and said. */
  closed?: boolean;
}

/** Weekly HSDS schedules as opening hours to show (1 = Monday). */
function scheduleToHours(schedules: HsdsSchedule[]): OpeningHours[] {
  return schedules
    .filter((s) => s.byday && s.opens_at && s.closes_at)
    .map((s) => ({
      days: s.byday!.split(',').map((code) => DAY_CODES.indexOf(code.trim()) + 1).filter((d) => d > 0),
      opens: s.opens_at!,
      closes: s.closes_at!,
    }));
}

/** The loket's opening hours as weekly schedules, so one rule (knowledge/search/openNow) says "open now". */
function hoursToSchedules(hours: OpeningHours[]): HsdsSchedule[] {
  return hours.map((h, i) => ({ id: `loket-${i}`, freq: 'WEEKLY', byday: h.days.map((d) => DAY_CODES[d - 1]).join(','), opens_at: h.opens, closes_at: h.closes }));
}

function openNow(schedules: HsdsSchedule[], now: Date): boolean | undefined {
  return schedules.length ? openSchedule(schedules, amsterdamTime(now)) !== undefined : undefined;
}

/** Words for opening hours that read better than the machine's: "elke dag", "dag en nacht". */
export interface HoursWords {
  everyDay: string;
  dayAndNight: string;
}

/**
 * "maandag t/m vrijdag 09:00-17:00" style text, Dutch weekday names from content. A night that
 * runs past midnight (20:00-23:59 and 00:00-09:00) reads as one span (20:00-09:00), a whole day as
 * "dag en nacht", all seven days as "elke dag".
 */
export function formatHours(hours: OpeningHours[] | undefined, weekdays: string[], words?: HoursWords): string | undefined {
  if (!hours?.length) return undefined;
  const spans = joinOvernight(hours);
  return spans
    .map((h) => {
      const days = [...h.days].sort((a, b) => a - b);
      const contiguous = days.every((d, i) => i === 0 || d === days[i - 1] + 1);
      const dayText =
        words && days.length === 7
          ? words.everyDay
          : days.length > 2 && contiguous
            ? `${weekdays[days[0] - 1]} t/m ${weekdays[days[days.length - 1] - 1]}`
            : days.map((d) => weekdays[d - 1]).join(', ');
      const wholeDay = h.opens === '00:00' && (h.closes === '23:59' || h.closes === '24:00');
      // HSDS has no 24:00, so data says 23:59 for "until midnight"; people read 24:00.
      const time = words && wholeDay ? words.dayAndNight : `${h.opens}-${h.closes === '23:59' ? '24:00' : h.closes}`;
      const text = words && wholeDay && days.length === 7 ? words.dayAndNight : `${dayText} ${time}`;
      return `${text}${h.note ? ` (${h.note})` : ''}`;
    })
    .join('; ');
}

/** "20:00-23:59" and "00:00-09:00" on the same days are one night: "20:00-09:00". */
function joinOvernight(hours: OpeningHours[]): OpeningHours[] {
  const sameDays = (a: OpeningHours, b: OpeningHours) => a.days.length === b.days.length && a.days.every((d) => b.days.includes(d));
  const evening = hours.find((h) => h.closes === '23:59' && h.opens !== '00:00');
  const morning = evening && hours.find((h) => h.opens === '00:00' && h.closes !== '23:59' && sameDays(h, evening));
  if (!evening || !morning) return hours;
  return [...hours.filter((h) => h !== evening && h !== morning), { ...evening, closes: morning.closes, note: evening.note ?? morning.note }];
}

/** "Logeerhuis De Gooise Hoeve (voorbeeld)" → core "Logeerhuis De Gooise Hoeve", note "voorbeeld". */
function splitNote(name: string): { core: string; note?: string } {
  const m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(name);
  return m ? { core: m[1], note: m[2] } : { core: name };
}

/** The service's name with its organisation once: no name repeated in its own brackets, no brackets in brackets. */
function contactName(serviceName: string, orgName: string | undefined): string {
  if (!orgName) return serviceName;
  const { core, note } = splitNote(orgName);
  const inService = serviceName.toLowerCase().includes(core.toLowerCase());
  if (inService) return note && !serviceName.toLowerCase().includes(`(${note.toLowerCase()})`) ? `${serviceName} (${note})` : serviceName;
  return `${serviceName} (${[core, note].filter(Boolean).join(', ')})`;
}

export function serviceContact(kb: KnowledgeView, service: HsdsService, now: Date): ContactCard {
  const org = kb.organization(service.organization_id);
  const location = org?.locations.find((l) => service.location_ids.includes(l.id) && l.location_type === 'physical');
  const address = location?.addresses[0];
  return {
    name: contactName(service.name, org?.name),
    phone: service.phones[0]?.number ?? org?.phones?.[0]?.number,
    email: service.email ?? org?.email,
    website: service.url ?? org?.website,
    address: address ? `${address.address_1}, ${address.postal_code} ${address.city}` : undefined,
    hours: scheduleToHours(service.schedules),
    openNow: openNow(service.schedules, now),
    ...(service.status === 'temporarily closed' ? { closed: true } : {}),
  };
}

export function loketContact(m: Municipality, now: Date): ContactCard {
  const a = m.loket.address;
  return {
    name: m.loket.name,
    phone: m.loket.phone,
    email: m.loket.email,
    website: m.loket.website,
    address: a ? `${a.street}, ${a.postalCode} ${a.city}` : undefined,
    hours: m.loket.openingHours,
    openNow: openNow(hoursToSchedules(m.loket.openingHours ?? []), now),
  };
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
  options: {
    gemeente?: string;
    topic?: TopicId;
    limit?: number;
    /** Only services whose name or keywords hold a searched word, not those that merely mention it. */
    strict?: boolean;
    /** Leave out services only for young people (a maximum age): the resident did not say they are young. */
    adultsOnly?: boolean;
    /** Also a temporarily closed service: the resident asked for it and should hear that it is closed. */
    includeClosed?: boolean;
  },
): HsdsService[] {
  const limit = options.limit ?? 2;
  const hits = kb.search(query, { gemeente: options.gemeente, topic: options.topic, kinds: ['service'], limit: limit * 3 });
  const out: HsdsService[] = [];
  for (const hit of hits) {
    if (options.strict && !hit.inTitleOrKeywords) continue;
    const service = kb.service(hit.id);
    const usable = service?.status === 'active' || (options.includeClosed && service?.status === 'temporarily closed');
    if (!service || !usable || !servesGemeente(service, options.gemeente)) continue;
    if (options.adultsOnly && service.maximum_age !== undefined && service.maximum_age < 30) continue;
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
