import { usDate, usDateNumeric, usDateTime } from './dates';

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
