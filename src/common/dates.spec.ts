import { addDays, addMonths, daysBetween, isIsoDate, isoWeekday, nextWeekday, todayIn } from './dates';

describe('calendar dates', () => {
  it('adds days across a month and a leap day', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('adds months, clamping to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-05-15', 18)).toBe('2027-11-15');
  });

  it('knows ISO weekdays and finds the next one', () => {
    expect(isoWeekday('2026-11-23')).toBe(1); // a Monday
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(nextWeekday('2026-11-25', 2)).toBe('2026-12-01');
    expect(nextWeekday('2026-11-24', 2)).toBe('2026-11-24');
  });

  it('validates real calendar dates only', () => {
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-11-25')).toBe(true);
    expect(daysBetween('2026-11-01', '2026-11-25')).toBe(24);
  });

  it('takes today in the program time zone', () => {
    const lateEveningInChicago = new Date('2026-11-25T04:30:00Z');
    expect(todayIn('America/Chicago', lateEveningInChicago)).toBe('2026-11-24');
    expect(todayIn('UTC', lateEveningInChicago)).toBe('2026-11-25');
  });
});
