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

/** A weekly schedule parsed once (at index build), so "open now" costs a few comparisons per service. */
export interface WeeklyHours {
  schedule: HsdsSchedule;
  /** Bit (1 << weekday) per open day. */
  days: number;
  opens: number;
  closes: number;
}

/** The checkable weekly schedules (see openSchedule for which count). */
export function weeklyHours(schedules: HsdsSchedule[]): WeeklyHours[] {
  const out: WeeklyHours[] = [];
  for (const s of schedules) {
    if (s.freq !== undefined && s.freq !== 'WEEKLY') continue;
    const days = parseByday(s.byday);
    const opens = parseClock(s.opens_at);
    const closes = parseClock(s.closes_at);
    if (days && opens !== null && closes !== null) out.push({ schedule: s, days: days.reduce((m, d) => m | (1 << d), 0), opens, closes });
  }
  return out;
}

/** The parsed schedule that makes the service open at `at`, or undefined. */
export function openHours(hours: WeeklyHours[], at: LocalTime): WeeklyHours | undefined {
  return hours.find(
    (h) =>
      (h.days & (1 << at.weekday)) !== 0 &&
      h.opens <= at.minutes &&
      at.minutes < h.closes &&
      !(h.schedule.valid_from && at.date < h.schedule.valid_from) &&
      !(h.schedule.valid_to && at.date > h.schedule.valid_to),
  );
}

/**
 * The schedule that makes the service open at `at`, or undefined. Only weekly schedules with byday,
 * opens_at and closes_at count (a monthly rule or free text cannot be checked, so it is not "open").
 */
export function openSchedule(schedules: HsdsSchedule[], at: LocalTime): HsdsSchedule | undefined {
  return openHours(weeklyHours(schedules), at)?.schedule;
}
