import { addDays, daysBetween, usDate, usDateNumeric, usDateTime } from './dates';

describe('the one US date formatter', () => {
  it('writes a calendar day as US courts read it, in prose and in tables', () => {
    expect(usDate('2026-12-01')).toBe('Dec 1, 2026');
    expect(usDate('2026-12-01', { weekday: true })).toBe('Tue, Dec 1, 2026');
    expect(usDateNumeric('2026-12-01')).toBe('12/01/2026');
  });

  it('puts an instant on the day it is in the program’s time zone, not in UTC', () => {
    // 03:30 UTC on Dec 2 is still the evening of Dec 1 in Chicago.
    const lateEvening = new Date('2026-12-02T03:30:00Z');
    expect(usDate(lateEvening, { timeZone: 'America/Chicago' })).toBe('Dec 1, 2026');
    expect(usDateNumeric(lateEvening, { timeZone: 'America/Chicago' })).toBe('12/01/2026');
    expect(usDateTime(lateEvening, 'America/Chicago')).toBe('Dec 1, 2026, 9:30 PM');
  });

  it('says a missing date with a dash and leaves what is not a date as it is', () => {
    expect(usDate(null)).toBe('—');
    expect(usDateNumeric(undefined)).toBe('—');
    expect(usDateTime(null, 'America/Chicago')).toBe('—');
    expect(usDate('never')).toBe('never');
  });
});

describe('daysBetween', () => {
  const byDateParse = (from: string, to: string) =>
    Math.round((new Date(`${to}T00:00:00Z`).getTime() - new Date(`${from}T00:00:00Z`).getTime()) / 86_400_000);

  it('counts the days as parsing both dates would, across month ends, leap days and years', () => {
    const dates: string[] = [];
    for (let day = 0; day < 1200; day += 7) dates.push(addDays('2023-12-25', day));
    for (const from of ['2024-02-28', '2024-02-29', '2023-12-31', '2026-03-08']) {
      for (const to of dates) expect([from, to, daysBetween(from, to)]).toEqual([from, to, byDateParse(from, to)]);
    }
  });

  it('rolls a day past the month’s end over as a parsed date does', () => {
    expect(daysBetween('2026-02-28', '2026-02-30')).toBe(byDateParse('2026-02-28', '2026-02-30'));
  });
});
