/**
 * A policy's fees, in integer cents. The sliding scale is a list of income brackets (upper bound
 * of monthly or annual income, null for "and above"), each setting the per-session fee outright or
 * as a percentage of the standard one. Massachusetts' guidelines cap the total; California PC
 * 1203.097(a)(5) sets fees by ability to pay and refuses no one for inability to pay, which a
 * bracket at 0 and a waiver both express.
 */
export interface FeeBracket {
  /** How the ledger and the page name the bracket ("A", "under-1500"). */
  key: string;
  label: string;
  period: 'month' | 'year';
  /** Income up to and including this; null: no upper bound. */
  upToIncomeCents: number | null;
  /** Exactly one of the two. */
  sessionFeeCents?: number;
  percentOfSessionFee?: number;
}

export interface FeeSchedule {
  sessionFeeCents: number;
  intakeFeeCents: number;
  /** The most he can be charged in all (intake and sessions); null: no cap. */
  totalCapCents: number | null;
  brackets: FeeBracket[];
}
