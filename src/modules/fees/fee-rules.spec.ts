import fc from 'fast-check';
import { FeeBracket } from '../policies/fee-schedule';
import { feeScheduleProblems } from '../policies/fee-schedule-problems';
import {
  bracketForIncome,
  chargedTowardsCap,
  LedgerLine,
  nextCharge,
  percentOf,
  sessionFeeFor,
  summarise,
  waiverAmount,
} from './fee-rules';

const line = fc.oneof(
  fc.record({ kind: fc.constant('charge' as const), amountCents: fc.integer({ min: 1, max: 100_000 }) }),
  fc.record({ kind: fc.constant('payment' as const), amountCents: fc.integer({ min: -100_000, max: -1 }) }),
  fc.record({ kind: fc.constant('waiver' as const), amountCents: fc.integer({ min: -100_000, max: -1 }) }),
  fc.record({ kind: fc.constant('adjustment' as const), amountCents: fc.integer({ min: -100_000, max: 100_000 }).filter((n) => n !== 0) }),
);

/** The model: what he owes is what he was charged, less what he paid and was forgiven, plus the corrections. */
function modelBalance(lines: LedgerLine[]): number {
  const total = (kind: LedgerLine['kind']) =>
    lines.filter((entry) => entry.kind === kind).reduce((sum, entry) => sum + Math.abs(entry.amountCents), 0);
  const adjustments = lines.filter((entry) => entry.kind === 'adjustment').reduce((sum, entry) => sum + entry.amountCents, 0);
  return total('charge') - total('payment') - total('waiver') + adjustments;
}

describe('the fees ledger arithmetic', () => {
  it('sums a ledger: $40 charged twice, $50 paid, $30 owed', () => {
    const summary = summarise([
      { kind: 'charge', amountCents: 4000 },
      { kind: 'charge', amountCents: 4000 },
      { kind: 'payment', amountCents: -5000 },
    ]);
    expect(summary).toEqual({ chargedCents: 8000, paidCents: 5000, waivedCents: 0, adjustedCents: 0, balanceCents: 3000, settled: false });
  });

  it('agrees with the model of the balance, for any ledger', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 60 }), (lines) => expect(summarise(lines).balanceCents).toBe(modelBalance(lines))));
  });

  it('never depends on the order of the entries', () => {
    fc.assert(
      fc.property(
        fc
          .array(line, { maxLength: 40 })
          .chain((lines) => fc.tuple(fc.constant(lines), fc.shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length }))),
        ([lines, shuffled]) => {
          expect(summarise(shuffled)).toEqual(summarise(lines));
        },
      ),
    );
  });

  it('is settled exactly when nothing is owed', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), (lines) => expect(summarise(lines).settled).toBe(modelBalance(lines) <= 0)));
  });

  it('a waiver of the remaining balance zeroes it, and never waives a credit', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.option(fc.integer({ min: 1, max: 200_000 }), { nil: null }), (lines, requested) => {
        const before = summarise(lines).balanceCents;
        const amount = waiverAmount(before, null);
        const after = summarise([...lines, ...(amount ? [{ kind: 'waiver' as const, amountCents: -amount }] : [])]).balanceCents;
        expect(after).toBe(Math.min(before, 0));
        const partial = waiverAmount(before, requested);
        expect(partial).toBeGreaterThanOrEqual(0);
        expect(partial).toBeLessThanOrEqual(Math.max(before, 0));
      }),
    );
  });

  it('a charge reversed by its adjustment leaves the balance and the cap where they were', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.integer({ min: 1, max: 100_000 }), (lines, fee) => {
        const charged = [...lines, { kind: 'charge' as const, amountCents: fee, chargeFor: 'session' as const, sessionId: 's1' }];
        const reversed = [...charged, { kind: 'adjustment' as const, amountCents: -fee, chargeFor: 'session' as const, sessionId: 's1' }];
        expect(summarise(reversed).balanceCents).toBe(summarise(lines).balanceCents);
        expect(chargedTowardsCap(reversed)).toBe(chargedTowardsCap(lines));
      }),
    );
  });
});

describe('the cap on the total (Massachusetts guidelines)', () => {
  it('trims the charge that reaches the cap and charges nothing after it', () => {
    expect(nextCharge(4000, 10_000, 8000)).toBe(2000);
    expect(nextCharge(4000, 10_000, 10_000)).toBe(0);
    expect(nextCharge(4000, null, 1_000_000)).toBe(4000);
  });

  it('never lets the charges of any run of sessions pass the cap', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 80 }), fc.integer({ min: 0, max: 500_000 }), (fees, cap) => {
        let charged = 0;
        for (const fee of fees) {
          const charge = nextCharge(fee, cap, charged);
          expect(charge).toBeGreaterThanOrEqual(0);
          expect(charge).toBeLessThanOrEqual(fee);
          charged += charge;
        }
        expect(charged).toBeLessThanOrEqual(cap);
        // The model: uncapped, he would owe the sum; capped, the lesser of the two.
        expect(charged).toBe(
          Math.min(
            cap,
            fees.reduce((sum, fee) => sum + fee, 0),
          ),
        );
      }),
    );
  });
});

describe('the sliding scale', () => {
  const brackets: FeeBracket[] = [
    { key: 'A', label: 'Up to $1,000 a month', period: 'month', upToIncomeCents: 100_000, sessionFeeCents: 0 },
    { key: 'B', label: 'Up to $2,500 a month', period: 'month', upToIncomeCents: 250_000, percentOfSessionFee: 50 },
    { key: 'C', label: 'Above', period: 'year', upToIncomeCents: null, percentOfSessionFee: 100 },
  ];

  it('sets the per-session fee by bracket: outright, as a percentage, or the standard fee without one', () => {
    expect(sessionFeeFor({ sessionFeeCents: 4000 }, brackets[0])).toBe(0);
    expect(sessionFeeFor({ sessionFeeCents: 4000 }, brackets[1])).toBe(2000);
    expect(sessionFeeFor({ sessionFeeCents: 4000 }, null)).toBe(4000);
    expect(percentOf(4001, 50)).toBe(2001);
  });

  it('finds the bracket of an income, monthly or yearly alike', () => {
    expect(bracketForIncome(brackets, 90_000, 'month')?.key).toBe('A');
    expect(bracketForIncome(brackets, 100_000, 'month')?.key).toBe('A');
    expect(bracketForIncome(brackets, 100_001, 'month')?.key).toBe('B');
    expect(bracketForIncome(brackets, 2_000_000, 'year')?.key).toBe('B');
    expect(bracketForIncome(brackets, 9_000_000, 'year')?.key).toBe('C');
    expect(bracketForIncome(brackets.slice(0, 2), 9_000_000, 'year')).toBeNull();
  });

  it('puts an income in the narrowest bracket that holds it (against a brute-force model)', () => {
    const bracket = fc.record({
      upToIncomeCents: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
      period: fc.constantFrom('month' as const, 'year' as const),
    });
    fc.assert(
      fc.property(
        fc.array(bracket, { maxLength: 6 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.constantFrom('month' as const, 'year' as const),
        (bounds, income, period) => {
          const scale: FeeBracket[] = bounds.map((bound, index) => ({
            ...bound,
            key: `k${index}`,
            label: `k${index}`,
            sessionFeeCents: index,
          }));
          const yearly = (cents: number, per: 'month' | 'year') => (per === 'month' ? cents * 12 : cents);
          const holding = scale.filter(
            (candidate) =>
              candidate.upToIncomeCents === null || yearly(income, period) <= yearly(candidate.upToIncomeCents, candidate.period),
          );
          const found = bracketForIncome(scale, income, period);
          if (!holding.length) return expect(found).toBeNull();
          const boundOf = (candidate: FeeBracket) =>
            candidate.upToIncomeCents === null ? Infinity : yearly(candidate.upToIncomeCents, candidate.period);
          expect(found).not.toBeNull();
          expect(boundOf(found!)).toBe(Math.min(...holding.map(boundOf)));
        },
      ),
    );
  });

  it('refuses a schedule with a bracket giving both a fee and a percentage, a key twice, or a cap below the intake fee', () => {
    const problems = feeScheduleProblems({
      sessionFeeCents: 4000,
      intakeFeeCents: 5000,
      totalCapCents: 1000,
      brackets: [
        { key: 'A', label: 'a', period: 'month', upToIncomeCents: 1, sessionFeeCents: 1, percentOfSessionFee: 5 },
        { key: 'A', label: 'b', period: 'month', upToIncomeCents: null, sessionFeeCents: 1 },
      ],
    });
    expect(Object.keys(problems).sort()).toEqual(['feeBrackets.0', 'feeBrackets.1.key', 'feeTotalCapCents']);
    expect(feeScheduleProblems({ sessionFeeCents: 4000, intakeFeeCents: 5000, totalCapCents: null, brackets })).toEqual({});
  });
});
