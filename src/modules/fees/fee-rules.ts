import { FeeBracket, FeeSchedule } from '../policies/fee-schedule';

/** The facts of a ledger entry that its arithmetic needs. */
export interface LedgerLine {
  kind: 'charge' | 'payment' | 'adjustment' | 'waiver';
  /** Signed by its effect on what he owes. */
  amountCents: number;
  chargeFor?: 'intake' | 'session' | null;
  /** A session charge's reversal is an adjustment naming the session. */
  sessionId?: string | null;
}

export interface LedgerSummary {
  chargedCents: number;
  paidCents: number;
  waivedCents: number;
  adjustedCents: number;
  balanceCents: number;
  /** Nothing left to pay: a balance of zero or less (a credit). */
  settled: boolean;
}

/** Balance and totals: sums, so no order of the entries changes them. */
export function summarise(lines: readonly LedgerLine[]): LedgerSummary {
  let chargedCents = 0;
  let paidCents = 0;
  let waivedCents = 0;
  let adjustedCents = 0;
  for (const line of lines) {
    if (line.kind === 'charge') chargedCents += line.amountCents;
    else if (line.kind === 'payment') paidCents -= line.amountCents;
    else if (line.kind === 'waiver') waivedCents -= line.amountCents;
    else adjustedCents += line.amountCents;
  }
  const balanceCents = chargedCents - paidCents - waivedCents + adjustedCents;
  return { chargedCents, paidCents, waivedCents, adjustedCents, balanceCents, settled: balanceCents <= 0 };
}

/** What counts against the cap: charges, less the reversals of session charges. */
export function chargedTowardsCap(lines: readonly LedgerLine[]): number {
  return lines.reduce(
    (sum, line) => sum + (line.kind === 'charge' || (line.kind === 'adjustment' && line.sessionId) ? line.amountCents : 0),
    0,
  );
}

/** The next charge at `feeCents`, trimmed so the total never passes the cap (0: nothing to charge). */
export function nextCharge(feeCents: number, capCents: number | null, chargedSoFarCents: number): number {
  if (capCents === null) return feeCents;
  return Math.max(0, Math.min(feeCents, capCents - chargedSoFarCents));
}

/** A percentage of the standard fee, to the nearest cent (half a cent rounds up). */
export function percentOf(feeCents: number, percent: number): number {
  return Math.round((feeCents * percent) / 100);
}

/** The per-session fee a bracket sets; no bracket recorded: the standard fee. */
export function sessionFeeFor(schedule: Pick<FeeSchedule, 'sessionFeeCents'>, bracket: FeeBracket | null): number {
  if (!bracket) return schedule.sessionFeeCents;
  if (bracket.sessionFeeCents !== undefined) return bracket.sessionFeeCents;
  return percentOf(schedule.sessionFeeCents, bracket.percentOfSessionFee ?? 100);
}

/** Income in cents a month or a year, compared in cents a year. */
function yearly(cents: number, period: 'month' | 'year'): number {
  return period === 'month' ? cents * 12 : cents;
}

/**
 * The bracket an income falls in: the lowest upper bound at or above it (an open-ended bracket
 * takes everyone above the others); null when no bracket reaches that far.
 */
export function bracketForIncome(brackets: readonly FeeBracket[], incomeCents: number, period: 'month' | 'year'): FeeBracket | null {
  const income = yearly(incomeCents, period);
  let best: FeeBracket | null = null;
  for (const bracket of brackets) {
    const bound = bracket.upToIncomeCents === null ? Infinity : yearly(bracket.upToIncomeCents, bracket.period);
    if (income > bound) continue;
    const bestBound = best ? (best.upToIncomeCents === null ? Infinity : yearly(best.upToIncomeCents, best.period)) : Infinity;
    if (!best || bound < bestBound) best = bracket;
  }
  return best;
}

/** A waiver: of the amount asked, or of the whole balance; never more than he owes. */
export function waiverAmount(balanceCents: number, requestedCents: number | null): number {
  if (balanceCents <= 0) return 0;
  return requestedCents === null ? balanceCents : Math.min(requestedCents, balanceCents);
}

/** "$1,234.50" from cents. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '−' : '';
  const whole = Math.abs(cents);
  return `${sign}$${Math.floor(whole / 100).toLocaleString('en-US')}.${String(whole % 100).padStart(2, '0')}`;
}
