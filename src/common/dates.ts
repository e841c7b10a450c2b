/** Calendar dates as ISO strings (YYYY-MM-DD), computed in UTC so no local offset shifts a day. */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function parse(value: string): Date {
  return new Date(`${value}T00:00:00Z`);
}

function format(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(value: string, days: number): string {
  const date = parse(value);
  date.setUTCDate(date.getUTCDate() + days);
  return format(date);
}

/** Adds calendar months; the 31st plus one month is the last day of the next month. */
export function addMonths(value: string, months: number): string {
  const date = parse(value);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return format(date);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(value: string): number {
  const day = parse(value).getUTCDay();
  return day === 0 ? 7 : day;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((utcTime(to) - utcTime(from)) / 86_400_000);
}

/**
 * The same instant as `parse(value).getTime()` for a YYYY-MM-DD date, from its numbers rather than by
 * parsing a date string: the rules count days between every attendance and every cancelled week of
 * a man's history on each save, and the string parse was most of their time (bench/findings.md,
 * 2026-12-03). A day past the month's end rolls over as `new Date` does.
 */
function utcTime(value: string): number {
  if (value.length !== 10) return parse(value).getTime();
  return Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, Number(value.slice(8, 10)));
}

/** The first date on or after `from` that falls on the ISO weekday. */
export function nextWeekday(from: string, weekday: number): string {
  return addDays(from, (weekday - isoWeekday(from) + 7) % 7);
}

/** Today's date in the program's time zone (a session at 7 pm is still "today" at 8 pm). */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return dayFormat(timeZone).format(now);
}

// Building an Intl.DateTimeFormat costs far more than formatting with one: one per time zone.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format;
}

/*
 * How dates are written for people: US courts read "Dec 1, 2026" in prose (pages, letters, e-mails)
 * and 12/01/2026 in tables, in the program's time zone. These are the only formatters: pages,
 * e-mails and PDFs all call them (README, "Style notes").
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const NO_DATE = '—';

function calendarParts(value: string): { year: string; month: number; day: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  return match ? { year: match[1], month: Number(match[2]), day: Number(match[3]) } : null;
}

/** A calendar day (YYYY-MM-DD) or an instant, as the calendar day it is in the program's zone. */
function calendarDay(value: string | Date, timeZone: string): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : todayIn(timeZone, value);
  if (calendarParts(value) && value.length === 10) return value;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? null : todayIn(timeZone, instant);
}

export interface UsDateOptions {
  /** Where an instant (not a calendar day) falls; calendar days are taken as they are. */
  timeZone?: string;
  /** "Tue, Dec 1, 2026": where the day of the week helps (a session). */
  weekday?: boolean;
}

/** Prose: 2026-12-01 → "Dec 1, 2026" (with `weekday`: "Tue, Dec 1, 2026"). */
export function usDate(value: string | Date | null | undefined, options: UsDateOptions = {}): string {
  if (value === null || value === undefined || value === '') return NO_DATE;
  const day = calendarDay(value, options.timeZone ?? 'UTC');
  const parts = day ? calendarParts(day) : null;
  if (!day || !parts) return String(value);
  const text = `${MONTHS[parts.month - 1]} ${parts.day}, ${parts.year}`;
  return options.weekday ? `${WEEKDAYS_SHORT[isoWeekday(day) - 1]}, ${text}` : text;
}

/** Tables: 2026-12-01 → "12/01/2026". */
export function usDateNumeric(value: string | Date | null | undefined, options: Pick<UsDateOptions, 'timeZone'> = {}): string {
  if (value === null || value === undefined || value === '') return NO_DATE;
  const day = calendarDay(value, options.timeZone ?? 'UTC');
  const parts = day ? calendarParts(day) : null;
  if (!day || !parts) return String(value);
  return `${String(parts.month).padStart(2, '0')}/${String(parts.day).padStart(2, '0')}/${parts.year}`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
/** An instant in the program's zone: "Dec 1, 2026, 6:42 PM". */
export function usDateTime(value: Date | string | null | undefined, timeZone: string): string {
  if (value === null || value === undefined || value === '') return NO_DATE;
  const instant = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(instant.getTime())) return String(value);
  let time = timeFormats.get(timeZone);
  if (!time) {
    time = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit', hour12: true });
    timeFormats.set(timeZone, time);
  }
  return `${usDate(instant, { timeZone })}, ${time.format(instant)}`;
}
