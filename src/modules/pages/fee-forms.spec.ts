import fc from 'fast-check';
import { formatCents } from '../fees/fee-rules';
import { dollarsToCents, feeFormBody } from './fee-forms';

describe('the fees forms', () => {
  it('reads dollars and cents as a person types them', () => {
    expect(dollarsToCents('25')).toBe(2500);
    expect(dollarsToCents('25.5')).toBe(2550);
    expect(dollarsToCents('$1,025.50')).toBe(102550);
    expect(dollarsToCents('-15.00')).toBe(-1500);
    expect(dollarsToCents('sixty')).toBeNull();
    expect(dollarsToCents('1.234')).toBeNull();
    expect(dollarsToCents('')).toBeNull();
  });

  it('reads back any amount the page prints', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 999_999_999 }), (cents) => expect(dollarsToCents(formatCents(cents))).toBe(cents)));
  });

  it('turns each form into the API body, or says per field what is wrong', () => {
    expect(feeFormBody('payment', { amount: '60', method: 'check', note: 'No. 1041' })).toEqual({
      value: { amountCents: 6000, method: 'check', note: 'No. 1041' },
      errors: null,
    });
    expect(feeFormBody('payment', { amount: '-5', method: 'gold' }).errors).toEqual({
      amount: ['Give a positive amount in dollars, e.g. 25.00.'],
      method: ['Choose how he paid.'],
    });
    expect(feeFormBody('adjustment', { amount: '-15', reason: 'Charged twice' })).toEqual({
      value: { amountCents: -1500, reason: 'Charged twice' },
      errors: null,
    });
    expect(Object.keys(feeFormBody('adjustment', { amount: '0', reason: '' }).errors ?? {})).toEqual(['amount', 'reason']);
    expect(feeFormBody('waiver', { amount: '', reason: 'Unable to pay' })).toEqual({ value: { reason: 'Unable to pay' }, errors: null });
    expect(feeFormBody('income-bracket', {}).errors).toEqual({ bracket: ['Choose his income bracket.'] });
  });
});
