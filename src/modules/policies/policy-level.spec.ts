import fc from 'fast-check';
import { termsFor, weeksWithin } from './policy-level';
import { POLICY_PRESETS } from '../../database/seeds/policy-presets';

/**
 * An independent model of "the order date plus n months": count the months on as (year, month)
 * pairs, then take the same day or, where that month is shorter, its last day — written with
 * a table of month lengths and the Gregorian leap rule rather than with Date arithmetic.
 */
function modelCompleteBy(orderedOn: string, months: number): string {
  const [year, month, day] = orderedOn.split('-').map(Number);
  const index = year * 12 + (month - 1) + months;
  const toYear = Math.floor(index / 12);
  const toMonth = (index % 12) + 1;
  const leap = (toYear % 4 === 0 && toYear % 100 !== 0) || toYear % 400 === 0;
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  const toDay = Math.min(day, lengths[toMonth - 1]);
  return `${String(toYear).padStart(4, '0')}-${String(toMonth).padStart(2, '0')}-${String(toDay).padStart(2, '0')}`;
}

const level = (requiredSessions: number, completeWithinMonths: number) => ({ requiredSessions, completeWithinMonths });

describe('an order’s terms under a level', () => {
  it('takes the level’s sessions and adds its months to the order date', () => {
    expect(termsFor('2026-12-01', level(52, 12))).toEqual({ requiredSessions: 52, completeWithinMonths: 12, completeBy: '2027-12-01' });
    expect(termsFor('2026-03-15', level(26, 6))).toEqual({ requiredSessions: 26, completeWithinMonths: 6, completeBy: '2026-09-15' });
  });

  it('keeps a month end at the shorter month’s last day', () => {
    expect(termsFor('2026-08-31', level(26, 6)).completeBy).toBe('2027-02-28');
    expect(termsFor('2027-08-31', level(26, 6)).completeBy).toBe('2028-02-29'); // 2028 is a leap year
    expect(termsFor('2026-05-31', level(39, 9)).completeBy).toBe('2027-02-28');
    expect(termsFor('2026-01-31', level(78, 18)).completeBy).toBe('2027-07-31');
    expect(termsFor('2026-03-31', level(78, 18)).completeBy).toBe('2027-09-30');
  });

  it('takes a leap day to 28 February in a common year and keeps it in a leap year', () => {
    expect(termsFor('2028-02-29', level(52, 12)).completeBy).toBe('2029-02-28');
    expect(termsFor('2028-02-29', level(78, 48)).completeBy).toBe('2032-02-29');
    expect(termsFor('2099-02-28', level(52, 12)).completeBy).toBe('2100-02-28'); // 2100 is not a leap year
  });

  it('agrees with a month-table model for every date and level length (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 200 }),
        (date, months, sessions) => {
          const orderedOn = date.toISOString().slice(0, 10);
          const terms = termsFor(orderedOn, level(sessions, months));
          expect(terms.completeBy).toBe(modelCompleteBy(orderedOn, months));
          expect(terms.requiredSessions).toBe(sessions);
          // Never earlier than the order, and a longer level never ends sooner.
          expect(terms.completeBy > orderedOn).toBe(true);
          expect(termsFor(orderedOn, level(sessions, months + 1)).completeBy >= terms.completeBy).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('the Washington preset (WAC 388-60B-0420)', () => {
  const washington = POLICY_PRESETS.find((preset) => preset.key === 'wa-wac-388-60b')!;

  it('has levels 1-4 of 6 / 9 / 12 / 18 months, each its months in whole weeks', () => {
    expect(washington.levels!.map((l) => [l.key, l.completeWithinMonths, l.requiredSessions])).toEqual([
      ['1', 6, 26],
      ['2', 9, 39],
      ['3', 12, 52],
      ['4', 18, 78],
    ]);
    // Each level's sessions are exactly what fits at one a week: none can be dropped, none added.
    for (const l of washington.levels!) expect(l.requiredSessions).toBe(weeksWithin(l.completeWithinMonths));
    expect(washington.source).toContain('WAC 388-60B-0420');
  });

  it('lists the assessment factors of WAC 388-60B-0400(4)', () => {
    expect(washington.assessmentFactors).toEqual(
      expect.arrayContaining(['Behavioral assessment and screening interview', 'Legal history']),
    );
  });
});
