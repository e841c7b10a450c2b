import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotFoundError, UnprocessableError } from '../../common/errors/domain-error';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { AuditService } from '../audit/audit.service';
import { FeeSchedule } from '../policies/fee-schedule';
import { Policy } from '../policies/policy.entity';
import { policyOf } from '../policies/policy-of';
import { AccessService } from '../access/access.service';
import { FeeEntry, FeeEntryKind, PaymentMethod } from './fee-entry.entity';
import { SqlParams } from '../../common/http/sql-params';
import { queryPrepared } from '../../common/database/prepared-statement';
import {
  FeeEntryView,
  IncomeBracketRecord,
  ledgerColumnsSql,
  loadEntry,
  loadIncomeBrackets,
  loadLedger,
  parseLedgerRows,
} from './fee-ledger.repository';
import { bracketForIncome, LedgerSummary, sessionFeeFor, summarise, waiverAmount } from './fee-rules';

export interface FeeLedgerView extends LedgerSummary {
  referralId: string;
  feesRequired: boolean;
  schedule: FeeSchedule;
  /** What his next session will be charged (before the cap). */
  sessionFeeCents: number;
  incomeBracket: (IncomeBracketRecord & { label: string | null }) | null;
  incomeBracketHistory: IncomeBracketRecord[];
  entries: FeeEntryView[];
}

/** What the ledger needs of its referral: whose policy sets the fees, and the case a receipt names. */
export interface LedgerReferral {
  id: string;
  policyId: string;
  caseNumber: string;
}

const LEDGER_REFERRAL_COLUMNS = { policyId: 'policy_id', caseNumber: 'case_number' } as const;

/** The fees ledger of a referral: read by the program and his probation officer, written by the program. */
@Injectable()
export class FeesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  async ledger(user: SignedInUser, referralId: string): Promise<FeeLedgerView> {
    // His reach, his policy, his entries and his brackets in one statement, not a check and two reads
    // after it (the referral page sends it beside its other reads); a referral out of reach is no row.
    const params = new SqlParams();
    // By his id whatever it is: prepared, planned once per connection.
    const rows = await queryPrepared<{ policy_id: string } & Parameters<typeof parseLedgerRows>[0]>(
      this.dataSource,
      `SELECT r.policy_id, ${ledgerColumnsSql('r.id')} FROM referrals r
        WHERE r.id = ${params.bind(referralId)} AND ${this.access.scopeSql(user, 'referral.read', 'r', params.bind)}`,
      params.values,
    );
    const row = rows.at(0);
    if (!row) throw new NotFoundError('referral');
    const { entries, brackets } = parseLedgerRows(row);
    return this.ledgerView(referralId, await policyOf(this.dataSource, row.policy_id), entries, brackets);
  }

  async recordPayment(
    user: SignedInUser,
    referralId: string,
    input: { amountCents: number; method: PaymentMethod; note?: string },
  ): Promise<FeeEntryView> {
    return this.write(user, referralId, async (manager, referral) => {
      // One counter row, taken in this transaction: receipt numbers run without gaps or repeats.
      const [[{ last_number: receiptNumber }]] = await manager.query<[Array<{ last_number: number }>, number]>(
        `UPDATE fee_receipt_counter SET last_number = last_number + 1 WHERE id = 1 RETURNING last_number`,
      );
      return this.insert(manager, user, referral, 'payment', -input.amountCents, {
        method: input.method,
        receiptNumber,
        reason: input.note?.trim() || null,
      });
    });
  }

  async recordAdjustment(user: SignedInUser, referralId: string, input: { amountCents: number; reason: string }): Promise<FeeEntryView> {
    return this.write(user, referralId, (manager, referral) =>
      this.insert(manager, user, referral, 'adjustment', input.amountCents, { reason: input.reason }),
    );
  }

  /** Waives the amount asked, or the whole remaining balance; never more than he owes. */
  async recordWaiver(user: SignedInUser, referralId: string, input: { amountCents?: number; reason: string }): Promise<FeeEntryView> {
    return this.write(user, referralId, async (manager, referral) => {
      const balance = summarise(await loadLedger(manager, referral.id)).balanceCents;
      const amount = waiverAmount(balance, input.amountCents ?? null);
      if (amount <= 0)
        throw new UnprocessableError('NOTHING_TO_WAIVE', 'He owes nothing: there is nothing to waive', { balanceCents: balance });
      return this.insert(manager, user, referral, 'waiver', -amount, { reason: input.reason });
    });
  }

  /** Records his income bracket; it sets the per-session fee of charges from now on (earlier ones stand). */
  async setIncomeBracket(
    user: SignedInUser,
    referralId: string,
    choice: { bracket?: string; incomeCents?: number; period?: 'month' | 'year' },
  ): Promise<FeeLedgerView> {
    return this.write(user, referralId, async (manager, referral) => {
      const policy = await manager.findOneByOrFail(Policy, { id: referral.policyId });
      // His income, when given, only finds the bracket: it is not stored or audited.
      const bracket =
        choice.bracket !== undefined
          ? policy.feeBrackets.find((candidate) => candidate.key === choice.bracket)
          : bracketForIncome(policy.feeBrackets, choice.incomeCents ?? 0, choice.period ?? 'month');
      if (!bracket && choice.bracket === undefined && policy.feeBrackets.length) {
        const message = 'no bracket of his policy reaches that income';
        throw new UnprocessableError('UNKNOWN_BRACKET', message, { fields: { incomeCents: [message] } });
      }
      if (!bracket) {
        const keys = policy.feeBrackets.map((candidate) => candidate.key);
        const message = keys.length
          ? `bracket must be one of: ${keys.join(', ')}`
          : 'his policy has no sliding scale: every session is charged the standard fee';
        throw new UnprocessableError('UNKNOWN_BRACKET', message, { fields: { bracket: [message] } });
      }
      const sessionFeeCents = sessionFeeFor(policy, bracket);
      const [{ id }] = await manager.query<Array<{ id: string }>>(
        `INSERT INTO referral_income_brackets (referral_id, bracket, session_fee_cents, recorded_by_id) VALUES ($1, $2, $3, $4) RETURNING id`,
        [referral.id, bracket.key, sessionFeeCents, user.id],
      );
      // The bracket is written down, never his income.
      await this.audit.record(
        {
          action: 'fees.income_bracket',
          recordType: 'referral',
          recordId: referral.id,
          details: { bracket: bracket.key, sessionFeeCents, recordId: id },
        },
        manager,
      );
      return this.ledgerOf(manager, referral);
    });
  }

  /** A payment of his, for its receipt. */
  async payment(
    user: SignedInUser,
    referralId: string,
    paymentId: string,
  ): Promise<{ referral: LedgerReferral; payment: FeeEntryView; balanceCents: number }> {
    const referral = await this.readReferral(user, referralId);
    const payment = await loadEntry(this.dataSource.manager, referral.id, paymentId);
    if (!payment || payment.kind !== 'payment') throw new NotFoundError('payment');
    const entries = await loadLedger(this.dataSource.manager, referral.id);
    // The balance as it stood once this payment was in: a receipt printed again reads the same.
    const upTo = entries.findIndex((entry) => entry.id === payment.id);
    await this.audit.record({
      action: 'fees.receipt',
      recordType: 'fee_entry',
      recordId: payment.id,
      details: { referralId: referral.id },
    });
    return { referral, payment, balanceCents: summarise(entries.slice(0, upTo + 1)).balanceCents };
  }

  /** What the ledger needs of his referral, if this user may read it (a 404 otherwise). */
  private readReferral(user: SignedInUser, referralId: string): Promise<LedgerReferral> {
    return this.access.requireColumns<LedgerReferral>(user, 'referral.read', referralId, LEDGER_REFERRAL_COLUMNS);
  }

  private async write<T>(
    user: SignedInUser,
    referralId: string,
    work: (manager: EntityManager, referral: LedgerReferral) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      // The referral row lock makes a waiver of "the balance" see every entry written before it.
      const referral = await this.access.requireColumns<LedgerReferral>(user, 'referral.write', referralId, LEDGER_REFERRAL_COLUMNS, {
        manager,
        lock: true,
      });
      return work(manager, referral);
    });
  }

  private async insert(
    manager: EntityManager,
    user: SignedInUser,
    referral: LedgerReferral,
    kind: FeeEntryKind,
    amountCents: number,
    fields: Partial<Pick<FeeEntry, 'method' | 'receiptNumber' | 'reason'>>,
  ): Promise<FeeEntryView> {
    const entry = await manager.save(
      manager.create(FeeEntry, { referralId: referral.id, kind, amountCents, recordedById: user.id, ...fields }),
    );
    await this.audit.record(
      {
        action: `fees.${kind}`,
        recordType: 'fee_entry',
        recordId: entry.id,
        // Reasons are free text: the entry says that there is one, the ledger keeps it.
        details: {
          referralId: referral.id,
          amountCents,
          ...(fields.method ? { method: fields.method } : {}),
          ...(fields.receiptNumber ? { receiptNumber: fields.receiptNumber } : {}),
        },
      },
      manager,
    );
    const written = await loadEntry(manager, referral.id, entry.id);
    if (!written) throw new Error(`fee entry ${entry.id} was not written`);
    return written;
  }

  /** The ledger as a change in `manager`'s transaction leaves it (its one connection runs the reads in turn). */
  private async ledgerOf(manager: EntityManager, referral: LedgerReferral): Promise<FeeLedgerView> {
    const [policy, entries, brackets] = await Promise.all([
      manager.findOneByOrFail(Policy, { id: referral.policyId }),
      loadLedger(manager, referral.id),
      loadIncomeBrackets(manager, referral.id),
    ]);
    return this.ledgerView(referral.id, policy, entries, brackets);
  }

  private ledgerView(referralId: string, policy: Policy | null, entries: FeeEntryView[], brackets: IncomeBracketRecord[]): FeeLedgerView {
    if (!policy) throw new Error(`Referral ${referralId} names a policy version that does not exist`);
    const current = brackets.at(0) ?? null;
    return {
      referralId,
      feesRequired: policy.feesRequired,
      schedule: {
        sessionFeeCents: policy.sessionFeeCents,
        intakeFeeCents: policy.intakeFeeCents,
        totalCapCents: policy.feeTotalCapCents,
        brackets: policy.feeBrackets,
      },
      sessionFeeCents: current ? current.sessionFeeCents : policy.sessionFeeCents,
      incomeBracket: current
        ? { ...current, label: policy.feeBrackets.find((bracket) => bracket.key === current.bracket)?.label ?? null }
        : null,
      incomeBracketHistory: brackets,
      ...summarise(entries),
      entries,
    };
  }
}
