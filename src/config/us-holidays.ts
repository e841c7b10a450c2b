/**
 * The days a program is closed by law: the federal holidays (5 U.S.C. 6103) and, for the states
 * the policy presets come from, the state's own court and state-office holidays. A holiday on a
 * Saturday is observed on the Friday before, on a Sunday the Monday after (as 5 U.S.C. 6103(b)
 * and the states' own rules do). Pure: dates in, dates out, as ISO strings of the program's days.
 */
export interface Holiday {
  date: string;
  name: string;
  /** Where the day comes from: `federal`, or `state:MN` and so on. */
  source: string;
}

export const HOLIDAY_STATES = ['MN', 'CA', 'TX', 'MA', 'FL', 'WA'] as const;
export type HolidayState = (typeof HOLIDAY_STATES)[number];

const iso = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** Day of the week of a date, 0 = Sunday … 6 = Saturday (UTC arithmetic, no time zone involved). */
function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** The n-th given weekday of a month (n = 1…4), or the last one when n is -1. */
export function nthWeekday(year: number, month: number, dayOfWeek: number, n: number): string {
  if (n === -1) {
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const back = (weekday(year, month, last) - dayOfWeek + 7) % 7;
    return iso(year, month, last - back);
  }
  const first = ((dayOfWeek - weekday(year, month, 1) + 7) % 7) + 1;
  return iso(year, month, first + (n - 1) * 7);
}

function shift(date: string, days: number): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}

/** A fixed-date holiday on a weekend is observed on the nearest weekday. */
export function observed(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 6 ? shift(date, -1) : day === 0 ? shift(date, 1) : date;
}

const MON = 1;
const THU = 4;
const FRI = 5;

export function federalHolidays(year: number): Holiday[] {
  const federal = (date: string, name: string): Holiday => ({ date, name, source: 'federal' });
  return [
    federal(observed(iso(year, 1, 1)), "New Year's Day"),
    federal(nthWeekday(year, 1, MON, 3), 'Martin Luther King Jr. Day'),
    federal(nthWeekday(year, 2, MON, 3), "Washington's Birthday"),
    federal(nthWeekday(year, 5, MON, -1), 'Memorial Day'),
    federal(observed(iso(year, 6, 19)), 'Juneteenth'),
    federal(observed(iso(year, 7, 4)), 'Independence Day'),
    federal(nthWeekday(year, 9, MON, 1), 'Labor Day'),
    federal(nthWeekday(year, 10, MON, 2), 'Columbus Day'),
    federal(observed(iso(year, 11, 11)), 'Veterans Day'),
    federal(nthWeekday(year, 11, THU, 4), 'Thanksgiving'),
    federal(observed(iso(year, 12, 25)), 'Christmas Day'),
  ];
}

/** The state's days beyond the federal ones, with the statute they come from. */
export function stateHolidays(state: HolidayState, year: number): Holiday[] {
  const source = `state:${state}`;
  const day = (date: string, name: string): Holiday => ({ date, name, source });
  const dayAfterThanksgiving = shift(nthWeekday(year, 11, THU, 4), 1);
  switch (state) {
    case 'MN': // Minn. Stat. 645.44 subd. 5; the day after Thanksgiving by the state's bargaining agreements
      return [day(dayAfterThanksgiving, 'Day after Thanksgiving')];
    case 'CA': // Cal. Code Civ. Proc. 135 (judicial holidays)
      return [
        day(observed(iso(year, 2, 12)), "Lincoln's Birthday"),
        day(observed(iso(year, 3, 31)), 'César Chávez Day'),
        day(nthWeekday(year, 9, FRI, 4), 'Native American Day'),
        day(dayAfterThanksgiving, 'Day after Thanksgiving'),
      ];
    case 'TX': // Tex. Gov't Code 662.003(a): national holidays the state observes
      return [
        day(dayAfterThanksgiving, 'Day after Thanksgiving'),
        day(iso(year, 12, 24), 'Christmas Eve'),
        day(iso(year, 12, 26), 'Day after Christmas'),
      ];
    case 'MA': // Mass. Gen. Laws ch. 4, sec. 7
      return [day(nthWeekday(year, 4, MON, 3), "Patriots' Day")];
    case 'FL': // Fla. Stat. 110.117 (state employees' paid holidays)
      return [day(dayAfterThanksgiving, 'Day after Thanksgiving')];
    case 'WA': // RCW 1.16.050: the day after Thanksgiving is Native American Heritage Day
      return [day(dayAfterThanksgiving, 'Native American Heritage Day')];
  }
}

/**
 * A program's closed days for a year: federal, then the state's. Two holidays on one day (a
 * fixed date observed onto another's) keep the first name; the weekend ones are not business days
 * anyway, but stay listed so the schedule can say why.
 */
export function programHolidays(year: number, state: HolidayState | null): Holiday[] {
  const all = [...federalHolidays(year), ...(state ? stateHolidays(state, year) : [])];
  const byDate = new Map<string, Holiday>();
  for (const holiday of all) if (!byDate.has(holiday.date)) byDate.set(holiday.date, holiday);
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}
