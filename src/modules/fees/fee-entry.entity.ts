import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { ReferralRecord } from '../referrals/referral-record.entity';
import { Session } from '../groups/session.entity';

export const FEE_ENTRY_KINDS = ['charge', 'payment', 'adjustment', 'waiver'] as const;
export type FeeEntryKind = (typeof FEE_ENTRY_KINDS)[number];
export const PAYMENT_METHODS = ['cash', 'card', 'check', 'money_order', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
/** What a charge is for: the intake (once) or one session attended. */
export type ChargeFor = 'intake' | 'session';

/**
 * One line of a referral's fees ledger, in integer cents, signed by its effect on what he owes:
 * a charge adds, a payment and a waiver take away, an adjustment does either. Append-only (a
 * trigger refuses UPDATE, DELETE and TRUNCATE): a mistake is put right by another entry.
 */
@Entity('fee_entries')
@Index('fee_entries_referral_idx', ['referralId', 'createdAt'])
// A session's charge and its reversal are each written once per round: a re-save adds nothing.
@Index('fee_entries_session_round_unique', ['referralId', 'sessionId', 'kind', 'sessionRound'], {
  unique: true,
  where: 'session_id IS NOT NULL',
})
@Index('fee_entries_intake_unique', ['referralId'], { unique: true, where: `charge_for = 'intake'` })
@Index('fee_entries_receipt_unique', ['receiptNumber'], { unique: true, where: 'receipt_number IS NOT NULL' })
@Check(
  'fee_entries_amount_sign',
  `(kind = 'charge' AND amount_cents > 0) OR (kind IN ('payment', 'waiver') AND amount_cents < 0) OR (kind = 'adjustment' AND amount_cents <> 0)`,
)
@Check('fee_entries_payment_fields', `kind <> 'payment' OR (method IS NOT NULL AND receipt_number IS NOT NULL)`)
@Check('fee_entries_reason', `kind NOT IN ('adjustment', 'waiver') OR reason IS NOT NULL`)
export class FeeEntry extends ReferralRecord {
  @Column({ type: 'varchar', length: 20 })
  kind: FeeEntryKind;

  /** Signed: positive adds to what he owes. */
  @Column({ type: 'integer' })
  amountCents: number;

  @Column({ type: 'varchar', length: 10, nullable: true })
  chargeFor: ChargeFor | null;

  /** The session a session charge (or its reversal) is for. */
  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'session_id' })
  session?: Session;

  /** 1 for a session's first charge; a mark corrected away and back again charges round 2. */
  @Column({ type: 'integer', nullable: true })
  sessionRound: number | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  method: PaymentMethod | null;

  /** Sequential across the program, without gaps (one counter row, taken in the payment's transaction). */
  @Column({ type: 'integer', nullable: true })
  receiptNumber: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  /** Null for charges the attendance save wrote on its own. */
  @Column({ type: 'uuid', nullable: true })
  recordedById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** The program's receipt counter: a single row, so receipt numbers have no gaps. */
@Entity('fee_receipt_counter')
export class FeeReceiptCounter {
  @Column({ type: 'smallint', primary: true })
  id: number;

  @Column({ type: 'integer', default: 0 })
  lastNumber: number;
}

/**
 * His income bracket as the program recorded it, with the per-session fee it set; the newest row
 * is current, earlier ones are the history. Only the bracket is kept, never his income.
 */
@Entity('referral_income_brackets')
@Index('referral_income_brackets_referral_idx', ['referralId', 'recordedAt'])
export class ReferralIncomeBracket extends ReferralRecord {
  @Column({ type: 'varchar', length: 40 })
  bracket: string;

  @Column({ type: 'integer' })
  sessionFeeCents: number;

  @Column({ type: 'uuid', nullable: true })
  recordedById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}
