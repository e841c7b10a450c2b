import { PAYMENT_METHODS } from '../fees/fee-entry.entity';
import { formatCents } from '../fees/fee-rules';
import { FeeLedgerView } from '../fees/fees.service';
import { FeeBracket } from '../policies/fee-schedule';
import { METHOD_LABELS, receiptLabel } from '../fees/receipt-pdf';
import { FieldErrors, FormBody, formText } from './page-forms';

export const FEE_FORMS = ['payment', 'adjustment', 'waiver', 'income-bracket'] as const;
export type FeeForm = (typeof FEE_FORMS)[number];

export const FEE_DONE: Record<FeeForm, string> = {
  payment: 'Payment recorded.',
  adjustment: 'Adjustment recorded.',
  waiver: 'Waiver recorded.',
  'income-bracket': 'Income bracket recorded: later sessions are charged at its fee.',
};

/** "25", "25.5", "$1,025.50" → cents; null when it is not an amount of dollars and cents. */
export function dollarsToCents(text: string): number | null {
  const plain = text.replace(/[$,\s]/g, '');
  const match = /^(-)?(\d{1,7})(?:\.(\d{1,2}))?$/.exec(plain);
  if (!match) return null;
  // The sign and the cents are optional groups: absent, they are undefined.
  const [, sign, dollars, fraction = '0'] = match;
  const cents = Number(dollars) * 100 + Number(fraction.padEnd(2, '0'));
  return sign ? -cents : cents;
}

/** The API body a fees form stands for, or its field errors (named as the page's fields). */
export function feeFormBody(
  form: FeeForm,
  body: FormBody,
): { value: Record<string, unknown>; errors: null } | { value: null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const amountText = formText(body, 'amount');
  const reason = formText(body, 'reason');
  const amount = amountText ? dollarsToCents(amountText) : null;
  if (form === 'income-bracket') {
    const bracket = formText(body, 'bracket');
    if (!bracket) errors.bracket = ['Choose his income bracket.'];
    return Object.keys(errors).length ? { value: null, errors } : { value: { bracket }, errors: null };
  }
  if (form === 'payment' || form === 'adjustment') {
    if (!amountText) errors.amount = ['Give the amount in dollars, e.g. 25.00.'];
    else if (amount === null || amount === 0 || (form === 'payment' && amount < 0))
      errors.amount = [
        form === 'payment'
          ? 'Give a positive amount in dollars, e.g. 25.00.'
          : 'Give an amount in dollars, e.g. 25.00 or -15.00; not zero.',
      ];
  }
  if (form === 'waiver' && amountText && (amount === null || amount <= 0))
    errors.amount = ['Give a positive amount in dollars, or leave it empty to waive the whole balance.'];
  if (form === 'payment') {
    const method = formText(body, 'method');
    if (!(PAYMENT_METHODS as readonly string[]).includes(method)) errors.method = ['Choose how he paid.'];
    if (Object.keys(errors).length) return { value: null, errors };
    return { value: { amountCents: amount, method, ...(formText(body, 'note') ? { note: formText(body, 'note') } : {}) }, errors: null };
  }
  if (reason.length < 3) errors.reason = ['Give the reason (at least 3 characters): it stays on the ledger.'];
  if (Object.keys(errors).length) return { value: null, errors };
  return { value: { ...(amount !== null ? { amountCents: amount } : {}), reason }, errors: null };
}

const KIND_LABELS: Record<string, string> = { charge: 'Charge', payment: 'Payment', adjustment: 'Adjustment', waiver: 'Waiver' };

/** The ledger as the referral page shows it. */
export function feesSection(ledger: FeeLedgerView, referralId: string) {
  let running = 0;
  const rows = ledger.entries.map((entry) => {
    running += entry.amountCents;
    const what =
      entry.kind === 'charge'
        ? entry.chargeFor === 'intake'
          ? 'Intake fee'
          : 'Session attended'
        : entry.kind === 'payment'
          ? `${METHOD_LABELS[entry.method ?? ''] ?? entry.method}, receipt ${receiptLabel(entry.receiptNumber ?? 0)}`
          : (entry.reason ?? '');
    return {
      ...entry,
      kindLabel: KIND_LABELS[entry.kind],
      what,
      amount: formatCents(entry.amountCents),
      balance: formatCents(running),
      receiptHref: entry.kind === 'payment' ? `/referrals/${referralId}/fees/payments/${entry.id}/receipt.pdf` : null,
    };
  });
  return {
    ...ledger,
    balance: formatCents(ledger.balanceCents),
    owes: ledger.balanceCents > 0,
    charged: formatCents(ledger.chargedCents),
    paid: formatCents(ledger.paidCents),
    waived: formatCents(ledger.waivedCents),
    sessionFee: formatCents(ledger.sessionFeeCents),
    intakeFee: formatCents(ledger.schedule.intakeFeeCents),
    cap: ledger.schedule.totalCapCents === null ? null : formatCents(ledger.schedule.totalCapCents),
    rows: rows.reverse(),
    methods: PAYMENT_METHODS.map((value) => ({ value, label: METHOD_LABELS[value] })),
    brackets: ledger.schedule.brackets.map((bracket) => ({ ...bracket, selected: ledger.incomeBracket?.bracket === bracket.key })),
  };
}

/** A version's fees in the policy page's words, a row each (set through the API; shown beside the rules). */
export function feeScheduleRows(policy: {
  sessionFeeCents: number;
  intakeFeeCents: number;
  feeTotalCapCents: number | null;
  feeBrackets: FeeBracket[];
}): Array<{ label: string; value: string }> {
  const bracket = (entry: FeeBracket) =>
    `${entry.label}: ${entry.sessionFeeCents !== undefined ? formatCents(entry.sessionFeeCents) : `${String(entry.percentOfSessionFee)}%`}`;
  return [
    { label: 'Fee per session attended', value: formatCents(policy.sessionFeeCents) },
    { label: 'Intake fee', value: formatCents(policy.intakeFeeCents) },
    { label: 'Total fees capped at', value: policy.feeTotalCapCents === null ? 'no cap' : formatCents(policy.feeTotalCapCents) },
    {
      label: 'Sliding scale by income',
      value: policy.feeBrackets.length ? policy.feeBrackets.map(bracket).join('; ') : 'none: everyone pays the fee per session',
    },
  ];
}
