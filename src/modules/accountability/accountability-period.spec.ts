import { monthLabel, resolvePeriod } from './accountability-period';

describe('the period of the accountability view', () => {
  it('is by default the last twelve months up to today, the trend the same twelve', () => {
    expect(resolvePeriod({}, '2026-11-25')).toEqual({
      from: '2025-12-01',
      to: '2026-11-25',
      trendFrom: '2025-12-01',
      windowFrom: '2025-12-01',
      months: [
        '2025-12',
        '2026-01',
        '2026-02',
        '2026-03',
        '2026-04',
        '2026-05',
        '2026-06',
        '2026-07',
        '2026-08',
        '2026-09',
        '2026-10',
        '2026-11',
      ],
    });
  });

  it('reads from the earlier of the period and the trend, and ends the trend with the period’s month', () => {
    const period = resolvePeriod({ from: '2024-01-01', to: '2026-03-31' }, '2026-11-25');
    expect(period).toMatchObject({ from: '2024-01-01', to: '2026-03-31', trendFrom: '2025-04-01', windowFrom: '2024-01-01' });
    expect(period.months[11]).toBe('2026-03');
    expect(resolvePeriod({ from: '2026-10-01', to: '2026-10-31' }, '2026-11-25').windowFrom).toBe('2025-11-01');
  });

  it('names months the way a meeting reads them', () => {
    expect(monthLabel('2026-03')).toBe('Mar 2026');
  });
});
