import fc from 'fast-check';
import {
  disparityFlags,
  DISPARITY_RULE,
  durationText,
  max,
  median,
  p90,
  percentile,
  percentText,
  share,
  spread,
} from './accountability-figures';

/** The textbook median: the middle value, or the mean of the two middle ones. */
function naiveMedian(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** PERCENTILE.INC by its other reading: the share of the list at or below each value, walked step by step. */
function naivePercentile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 1) return sorted[0];
  for (let i = 0; i < sorted.length - 1; i++) {
    const lower = i / (sorted.length - 1);
    const upper = (i + 1) / (sorted.length - 1);
    if (q >= lower && q <= upper) return sorted[i] + ((q - lower) / (upper - lower)) * (sorted[i + 1] - sorted[i]);
  }
  return sorted[sorted.length - 1];
}

const delays = fc.array(fc.double({ min: 0, max: 10_000, noNaN: true }), { maxLength: 60 });
const close = (a: number | null, b: number | null) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

describe('the figures of the accountability view', () => {
  it('takes the median as the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('takes the 90th percentile between the two nearest values, as PostgreSQL’s percentile_cont does', () => {
    // Ten values 1..10: position 0.9 × 9 = 8.1, so 9 + 0.1 × (10 − 9).
    expect(p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBeCloseTo(9.1, 10);
    expect(p90([7])).toBe(7);
    expect(max([3, 9, 2])).toBe(9);
    expect(spread([2, 4])).toEqual({ count: 2, median: 3, p90: 3.8, max: 4 });
    expect(spread([])).toEqual({ count: 0, median: null, p90: null, max: null });
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
  });

  it('agrees with the textbook median on any list (property)', () => {
    fc.assert(fc.property(delays, (values) => close(median(values), naiveMedian(values))));
  });

  it('agrees with a step-by-step reading of the percentile on any list and any q, and lies between min and max (property)', () => {
    fc.assert(
      fc.property(delays, fc.double({ min: 0, max: 1, noNaN: true }), (values, q) => {
        const value = percentile(values, q);
        if (!close(value, naivePercentile(values, q))) return false;
        return value === null || (value >= Math.min(...values) - 1e-9 && value <= Math.max(...values) + 1e-9);
      }),
    );
  });

  it('keeps a share’s counts and says nothing (not 0 %) when there is nothing to divide by', () => {
    expect(share(1, 4)).toEqual({ count: 1, of: 4, share: 0.25 });
    expect(share(0, 0)).toEqual({ count: 0, of: 0, share: null });
    expect(() => share(5, 4)).toThrow(RangeError);
    expect(percentText(0.256)).toBe('26 %');
    expect(percentText(null)).toBe('—');
  });

  it('says durations the way people do', () => {
    expect(durationText(0.5)).toBe('30 min');
    expect(durationText(5.25)).toBe('5.3 h');
    expect(durationText(76.8)).toBe('3.2 days');
    expect(durationText(null)).toBe('—');
  });

  describe('disparity of impact', () => {
    const spanish = { value: 'es', label: 'Spanish', count: 4, of: 10 };
    const english = { value: 'en', label: 'English', count: 6, of: 50 };

    it('flags a value whose rate differs from the rest by more than the margin, in plain words with its counts', () => {
      const flags = disparityFlags('terminated', [english, spanish]);
      expect(flags.map((flag) => flag.value)).toEqual(['en', 'es']);
      expect(flags[1].words).toBe('Spanish: terminated 40 % (4 of 10), higher than the rest at 12 % (6 of 50)');
      expect(flags[0].words).toBe('English: terminated 12 % (6 of 50), lower than the rest at 40 % (4 of 10)');
    });

    it('raises no flag below the minimum count, on either side', () => {
      expect(disparityFlags('terminated', [english, { ...spanish, count: 4, of: 9 }])).toEqual([]);
      expect(disparityFlags('terminated', [{ ...english, count: 1, of: 9 }, spanish])).toEqual([]);
    });

    it('raises no flag at exactly the margin, and one just past it', () => {
      // 30 % against 20 %: exactly ten points.
      expect(
        disparityFlags('terminated', [
          { value: 'a', label: 'A', count: 3, of: 10 },
          { value: 'b', label: 'B', count: 2, of: 10 },
        ]),
      ).toEqual([]);
      expect(
        disparityFlags('terminated', [
          { value: 'a', label: 'A', count: 31, of: 100 },
          { value: 'b', label: 'B', count: 20, of: 100 },
        ]),
      ).toHaveLength(2);
    });

    it('agrees with a naive model that pools the rest by hand (property)', () => {
      const value = fc.record({ of: fc.integer({ min: 0, max: 40 }), ratio: fc.double({ min: 0, max: 1, noNaN: true }) });
      fc.assert(
        fc.property(fc.array(value, { minLength: 1, maxLength: 6 }), (generated) => {
          const values = generated.map((entry, i) => ({
            value: `v${i}`,
            label: `V${i}`,
            of: entry.of,
            count: Math.floor(entry.of * entry.ratio),
          }));
          const expected = values
            .filter((candidate) => {
              const others = values.filter((other) => other !== candidate);
              const restOf = others.reduce((sum, other) => sum + other.of, 0);
              const restCount = others.reduce((sum, other) => sum + other.count, 0);
              if (candidate.of < DISPARITY_RULE.minimumCount || restOf < DISPARITY_RULE.minimumCount) return false;
              return Math.abs(candidate.count / candidate.of - restCount / restOf) > DISPARITY_RULE.margin + 1e-9;
            })
            .map((candidate) => candidate.value);
          return JSON.stringify(disparityFlags('x', values).map((flag) => flag.value)) === JSON.stringify(expected);
        }),
      );
    });
  });
});
