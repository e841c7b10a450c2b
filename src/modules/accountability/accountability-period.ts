import { addDays, addMonths } from '../../common/dates';

/** The months a trend shows: the last twelve, ending with the month the period ends in. */
export const TREND_MONTHS = 12;

export interface AccountabilityPeriod {
  /** First and last day of the period, inclusive, in the program's calendar. */
  from: string;
  to: string;
  /** First day of the first trend month. */
  trendFrom: string;
  /** The trend's months, oldest first: "2026-01" … */
  months: string[];
  /** The earliest day any figure reads: the period or the trend, whichever starts first. */
  windowFrom: string;
}

/** The period asked for, or by default the last twelve months up to today. */
export function resolvePeriod(query: { from?: string; to?: string }, today: string): AccountabilityPeriod {
  const to = query.to ?? today;
  const trendFrom = addMonths(`${to.slice(0, 7)}-01`, -(TREND_MONTHS - 1));
  const from = query.from ?? trendFrom;
  const months = Array.from({ length: TREND_MONTHS }, (_, i) => addMonths(trendFrom, i).slice(0, 7));
  return { from, to, trendFrom, months, windowFrom: from < trendFrom ? from : trendFrom };
}

/** "2026-03" → "Mar 2026". */
export function monthLabel(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  return date.toLocaleDateString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** The day after, for half-open instants ranges in SQL. */
export const dayAfter = (day: string) => addDays(day, 1);
