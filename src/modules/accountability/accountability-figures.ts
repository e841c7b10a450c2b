/**
 * The figures of the accountability view, as pure functions: what a median, a 90th percentile,
 * a share and a disparity flag mean here. The service asks PostgreSQL for the same figures over
 * many rows at once (percentile_cont is this percentile); these are the definitions, and the
 * e2e suite checks the two agree.
 */

/** A delay or a count summarised: how many, median, 90th percentile, largest (null when none). */
export interface Spread {
  count: number;
  median: number | null;
  p90: number | null;
  max: number | null;
}

/**
 * The q-th percentile with linear interpolation between the two nearest values (PostgreSQL's
 * percentile_cont, spreadsheets' PERCENTILE.INC): the value at position q·(n−1) of the sorted list.
 */
export function percentile(values: readonly number[], q: number): number | null {
  if (q < 0 || q > 1 || Number.isNaN(q)) throw new RangeError(`a percentile is between 0 and 1, not ${q}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

export const median = (values: readonly number[]) => percentile(values, 0.5);
export const p90 = (values: readonly number[]) => percentile(values, 0.9);

export function max(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => (b > a ? b : a));
}

export function spread(values: readonly number[]): Spread {
  return { count: values.length, median: median(values), p90: p90(values), max: max(values) };
}

/** A share with the counts it rests on; null when there is nothing to divide by (not 0 %). */
export interface Share {
  count: number;
  of: number;
  share: number | null;
}

export function share(count: number, of: number): Share {
  if (!Number.isInteger(count) || !Number.isInteger(of) || count < 0 || of < 0 || count > of)
    throw new RangeError(`a share is a count out of a larger count, not ${count} of ${of}`);
  return { count, of, share: of === 0 ? null : count / of };
}

/** "42 %", "—" when there is no share to speak of. */
export function percentText(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)} %`;
}

/** How far one value's rate may stand from the rest's before the page says so, and on how few men it may not. */
export interface DisparityRule {
  /** In shares: 0.1 is ten percentage points. */
  margin: number;
  /** Both this value's count and the rest's must reach it, or no flag: a few men make no pattern. */
  minimumCount: number;
}

export const DISPARITY_RULE: DisparityRule = { margin: 0.1, minimumCount: 10 };

/** One value of a dimension (a language, a group) with a rate's counts. */
export interface RateOfValue {
  value: string;
  label: string;
  count: number;
  of: number;
}

export interface DisparityFlag {
  value: string;
  rate: Share;
  rest: Share;
  /** Positive when this value's rate is above the rest's. */
  difference: number;
  words: string;
}

/**
 * Compares each value's rate with the rest pooled (every other value together), and flags those
 * that differ by more than the margin, when both sides rest on at least the minimum count. The
 * sentence says it plainly, with the counts: "Spanish: terminated 40 % (4 of 10), the rest 12 % (6 of 50)".
 */
export function disparityFlags(rateName: string, values: readonly RateOfValue[], rule: DisparityRule = DISPARITY_RULE): DisparityFlag[] {
  const total = values.reduce((sum, value) => ({ count: sum.count + value.count, of: sum.of + value.of }), { count: 0, of: 0 });
  const flags: DisparityFlag[] = [];
  for (const value of values) {
    const rate = share(value.count, value.of);
    const rest = share(total.count - value.count, total.of - value.of);
    if (rate.share === null || rest.share === null) continue;
    if (rate.of < rule.minimumCount || rest.of < rule.minimumCount) continue;
    const difference = rate.share - rest.share;
    // A hair's breadth of floating point must not decide a flag exactly at the margin.
    if (Math.abs(difference) <= rule.margin + 1e-9) continue;
    flags.push({
      value: value.value,
      rate,
      rest,
      difference,
      words: `${value.label}: ${rateName} ${percentText(rate.share)} (${rate.count} of ${rate.of}), ${difference > 0 ? 'higher' : 'lower'} than the rest at ${percentText(rest.share)} (${rest.count} of ${rest.of})`,
    });
  }
  return flags;
}

/** Hours as people say them: "45 min", "5.5 h", "3.2 days". */
export function durationText(hours: number | null): string {
  if (hours === null) return '—';
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${(Math.round(hours * 10) / 10).toString()} h`;
  return `${(Math.round((hours / 24) * 10) / 10).toString()} days`;
}
