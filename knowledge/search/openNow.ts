/** "Open now" for sociale-kaart services: HSDS weekly schedules read in Europe/Amsterdam time. */
import type { HsdsSchedule } from '../types.js';
import { parseByday, parseClock } from '../validate/formats.js';

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export interface LocalTime {
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** Minutes after midnight. */
  minutes: number;
  /** YYYY-MM-DD. */
  date: string;
}

/** The wall-clock time in the Netherlands at `now`. */
export function amsterdamTime(now: Date): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter.formatToParts(now)) parts[p.type] = p.value;
  return {
    weekday: WEEKDAYS.indexOf(parts.weekday) + 1,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

/**
 * The schedule that makes the service open at `at`, or undefined. Only weekly schedules with byday,
 * opens_at and closes_at count (a monthly rule or free text cannot be checked, so it is not "open").
 */
export function openSchedule(schedules: HsdsSchedule[], at: LocalTime): HsdsSchedule | undefined {
  return schedules.find((s) => {
    if (s.freq !== undefined && s.freq !== 'WEEKLY') return false;
    if (s.valid_from && at.date < s.valid_from) return false;
    if (s.valid_to && at.date > s.valid_to) return false;
    const days = parseByday(s.byday);
    const opens = parseClock(s.opens_at);
    const closes = parseClock(s.closes_at);
    return days !== null && opens !== null && closes !== null && days.includes(at.weekday) && opens <= at.minutes && at.minutes < closes;
  });
}
