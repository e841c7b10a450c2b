import fc from 'fast-check';
import { federalHolidays, HOLIDAY_STATES, nthWeekday, observed, programHolidays, stateHolidays } from './us-holidays';

/** The independent model: walk every day of the month and count. */
function modelNthWeekday(year: number, month: number, dayOfWeek: number, n: number): string {
  const days: string[] = [];
  for (let day = 1; day <= 31; day++) {
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() !== month - 1) break;
    if (date.getUTCDay() === dayOfWeek) days.push(date.toISOString().slice(0, 10));
  }
  return n === -1 ? days[days.length - 1] : days[n - 1];
}

const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

describe('the holiday calendar', () => {
  it('knows the 2026 and 2027 federal days, observed where they fall on a weekend', () => {
    const y2026 = Object.fromEntries(federalHolidays(2026).map((h) => [h.name, h.date]));
    expect(y2026).toMatchObject({
      "New Year's Day": '2026-01-01',
      'Martin Luther King Jr. Day': '2026-01-19',
      'Memorial Day': '2026-05-25',
      'Independence Day': '2026-07-03', // Saturday the 4th
      'Labor Day': '2026-09-07',
      'Veterans Day': '2026-11-11',
      Thanksgiving: '2026-11-26',
      'Christmas Day': '2026-12-25',
    });
    const y2027 = Object.fromEntries(federalHolidays(2027).map((h) => [h.name, h.date]));
    expect(y2027).toMatchObject({ Juneteenth: '2027-06-18', 'Independence Day': '2027-07-05', 'Christmas Day': '2027-12-24' });
    // 1 January 2028 is a Saturday: observed on Friday 31 December 2027.
    expect(federalHolidays(2028)[0]).toEqual({ date: '2027-12-31', name: "New Year's Day", source: 'federal' });
  });

  it('adds the state days of the presets, with the day after Thanksgiving where the state closes', () => {
    expect(stateHolidays('MN', 2026)).toEqual([{ date: '2026-11-27', name: 'Day after Thanksgiving', source: 'state:MN' }]);
    expect(stateHolidays('MA', 2026)).toEqual([{ date: '2026-04-20', name: "Patriots' Day", source: 'state:MA' }]);
    expect(stateHolidays('CA', 2026).map((h) => h.date)).toEqual(['2026-02-12', '2026-03-31', '2026-09-25', '2026-11-27']);
    expect(programHolidays(2026, null)).toHaveLength(11);
    expect(programHolidays(2026, 'TX')).toHaveLength(14);
  });

  it('property: the n-th weekday agrees with counting the days of the month', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2200 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom(1, 2, 3, 4, -1),
        (year, month, dow, n) => {
          expect(nthWeekday(year, month, dow, n)).toBe(modelNthWeekday(year, month, dow, n));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: every federal day is observed on a weekday, once, eleven a year, Thanksgiving the fourth Thursday', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1971, max: 2200 }), (year) => {
        const days = federalHolidays(year);
        expect(days).toHaveLength(11);
        expect(new Set(days.map((h) => h.date)).size).toBe(11);
        for (const holiday of days) expect([1, 2, 3, 4, 5]).toContain(weekdayOf(holiday.date));
        const thanksgiving = days.find((h) => h.name === 'Thanksgiving')!.date;
        expect(weekdayOf(thanksgiving)).toBe(4);
        expect(Number(thanksgiving.slice(8))).toBeGreaterThanOrEqual(22);
        expect(Number(thanksgiving.slice(8))).toBeLessThanOrEqual(28);
      }),
    );
  });

  it('property: observing moves a day at most one, onto a weekday, and leaves weekdays alone', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1950-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }), (when) => {
        const date = when.toISOString().slice(0, 10);
        const moved = observed(date);
        const gap = Math.abs(Date.parse(moved) - Date.parse(date)) / 86_400_000;
        expect(gap).toBeLessThanOrEqual(1);
        expect([1, 2, 3, 4, 5]).toContain(weekdayOf(moved));
        if ([1, 2, 3, 4, 5].includes(weekdayOf(date))) expect(moved).toBe(date);
      }),
    );
  });

  it('property: a program calendar never lists a day twice, and every state keeps all federal days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1971, max: 2200 }), fc.constantFrom(null, ...HOLIDAY_STATES), (year, state) => {
        const days = programHolidays(year, state);
        expect(new Set(days.map((h) => h.date)).size).toBe(days.length);
        for (const federal of federalHolidays(year)) expect(days.map((h) => h.date)).toContain(federal.date);
      }),
    );
  });
});
