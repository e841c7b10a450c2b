import { Injectable } from '@nestjs/common';
import { ConflictError, UnprocessableError } from '../../common/errors/domain-error';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { DataSource, EntityManager } from 'typeorm';
import { InjectDataSource } from '@nestjs/typeorm';
import { AttendanceCounts, countAttendance } from '../compliance/attendance-counts';
import { ComplianceEventKind } from '../../common/program/compliance-event-kind.enum';
import { loadMarkFacts } from '../compliance/mark-facts.repository';
import { Policy } from '../policies/policy.entity';
import { feeBalanceOf } from '../fees/fee-ledger.repository';
import { formatCents } from '../fees/fee-rules';
import { ProgramDecisionWriter } from '../referrals/program-decision-writer';
import { isOpen, ReferralStatus } from '../../common/program/referral-status.enum';
import { endOpenEnrollments } from '../enrollments/end-enrollments';
import { Referral } from '../referrals/referral.entity';

/**
 * Completion, termination, reinstatement, closing and fees: the program's decisions about an order.
 * Above what they set off (the rules, the fees ledger, her notifications, his enrollment), which
 * each decision calls out itself.
 */
@Injectable()
export class ReferralLifecycleService {
  constructor(
    private readonly decisions: ProgramDecisionWriter,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Marks the order complete, or refuses with every unmet requirement listed. */
  async complete(user: SignedInUser, referralId: string): Promise<Referral> {
    return this.decisions.decide(user, referralId, async (manager, referral) => {
      const { policy, counts } = await standingOf(manager, referral);
      const reasons: string[] = [];
      if (referral.status !== ReferralStatus.Active) reasons.push(`the referral is ${referral.status}, not active`);
      if (counts.sessionsAttended < referral.requiredSessions) {
        reasons.push(`${counts.sessionsAttended} of ${referral.requiredSessions} required sessions attended`);
      }
      // The ledger decides, read under the referral's lock: a payment and a completion take turns.
      const balance = policy.feesRequired ? await feeBalanceOf(manager, referral.id) : 0;
      if (balance > 0) reasons.push(`program fees are not paid: ${formatCents(balance)} owed`);
      if (reasons.length) {
        throw new UnprocessableError('REQUIREMENTS_UNMET', `Cannot complete: ${reasons.join('; ')}`, { reasons });
      }
      await this.changeStatus(manager, referral, ReferralStatus.Completed, 'requirements met', this.decisions.clock.today());
      await this.decisions.compliance.raise(manager, referral.id, ComplianceEventKind.Completed, {
        sessionsAttended: counts.sessionsAttended,
        sessionsRequired: referral.requiredSessions,
        clause: 'required sessions attended and the policy’s conditions met',
      });
      return referral;
    });
  }

  async terminate(user: SignedInUser, referralId: string, reason: string): Promise<Referral> {
    return this.decisions.decide(user, referralId, async (manager, referral) => {
      await this.changeStatus(manager, referral, ReferralStatus.Terminated, reason, this.decisions.clock.today());
      // The court reads the termination letter with his record in front of it.
      const { counts } = await standingOf(manager, referral);
      await this.decisions.compliance.raise(manager, referral.id, ComplianceEventKind.Terminated, {
        reason,
        sessionsAttended: counts.sessionsAttended,
        sessionsRequired: referral.requiredSessions,
        absences: counts.absences,
        unexcusedAbsences: counts.unexcusedAbsences,
        clause: 'discharged from the program',
      });
      return referral;
    });
  }

  /**
   * The program lets a non-compliant man continue (a make-up plan, the court's say-so). Crossings
   * already reported do not make him non-compliant again; a new one does.
   */
  async reinstate(user: SignedInUser, referralId: string, reason: string): Promise<Referral> {
    return this.decisions.decide(user, referralId, async (manager, referral) => {
      if (referral.status !== ReferralStatus.NonCompliant) {
        throw new UnprocessableError(
          'ILLEGAL_TRANSITION',
          `Only a non-compliant referral can be reinstated; this one is ${referral.status}`,
          {
            from: referral.status,
            to: ReferralStatus.Active,
          },
        );
      }
      const reinstated = await this.changeStatus(manager, referral, ReferralStatus.Active, `reinstated: ${reason}`);
      // What stands now was weighed by the program; the rules keep him active until something new.
      await manager.query(`UPDATE referrals SET reinstated_at = now() WHERE id = $1`, [referral.id]);
      const [{ n }] = await manager.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM compliance_events WHERE referral_id = $1 AND kind = 'reinstated'`,
        [referral.id],
      );
      await this.decisions.announce(manager, {
        referralId: referral.id,
        kind: ComplianceEventKind.Reinstated,
        key: `reinstated:${n + 1}`,
        facts: { reason, clause: 'reinstated by the program' },
      });
      return reinstated;
    });
  }

  /** Order withdrawn, transferred out, deceased …: any open referral, with a reason. */
  async close(user: SignedInUser, referralId: string, reason: string): Promise<Referral> {
    return this.decisions.decide(user, referralId, async (manager, referral) => {
      if (!isOpen(referral.status)) {
        throw new UnprocessableError('ILLEGAL_TRANSITION', `A referral that is ${referral.status} cannot be closed`, {
          from: referral.status,
          to: ReferralStatus.Closed,
        });
      }
      const closed = await this.changeStatus(manager, referral, ReferralStatus.Closed, reason, this.decisions.clock.today());
      await this.decisions.announce(manager, {
        referralId: referral.id,
        kind: ComplianceEventKind.Closed,
        key: 'closed',
        facts: { reason, clause: 'order closed by the program' },
      });
      return closed;
    });
  }

  /**
   * The old "fees paid" checkbox. Fees are now the ledger's balance: asking for what the ledger
   * already says answers with the referral; asking otherwise is refused with what to do instead.
   */
  async setFeesPaid(user: SignedInUser, referralId: string, paid: boolean): Promise<Referral> {
    const referral = await this.decisions.requireOrder(user, referralId);
    const balance = await feeBalanceOf(this.dataSource.manager, referral.id);
    if (balance <= 0 !== paid) {
      throw new ConflictError(
        'FEES_FROM_LEDGER',
        paid
          ? `${formatCents(balance)} is owed: record a payment (POST /api/v1/referrals/${referral.id}/fees/payments) or a waiver (…/fees/waivers)`
          : 'Nothing is owed: record a charge as an adjustment (POST …/fees/adjustments) if he owes more',
        { balanceCents: balance },
      );
    }
    // Nothing changes, but the program asserted it: the record shows who checked, and what the ledger said.
    await this.decisions.audit.record({
      action: 'referral.fees',
      recordType: 'referral',
      recordId: referral.id,
      details: { paid, balanceCents: balance },
    });
    return referral;
  }

  /**
   * The status step (the status and the victim notifications it raises, one statement); then,
   * where he leaves the program (`endEnrollmentOn`), his open enrollment ended. No write at all if
   * he is already there.
   */
  private async changeStatus(
    manager: EntityManager,
    referral: Referral,
    to: ReferralStatus,
    reason: string | null,
    endEnrollmentOn?: string,
  ): Promise<Referral> {
    if (referral.status === to) return referral;
    await this.decisions.steps.move(manager, referral, to, reason);
    if (endEnrollmentOn) await endOpenEnrollments(manager, referral.id, endEnrollmentOn, to);
    return referral;
  }
}

/**
 * His policy version and his attendance counted against his order's required sessions (the
 * assessed level's, kept on the referral), read in the caller's transaction.
 */
async function standingOf(manager: EntityManager, referral: Referral): Promise<{ policy: Policy; counts: AttendanceCounts }> {
  const policy = await manager.findOneByOrFail(Policy, { id: referral.policyId });
  const marks = (await loadMarkFacts(manager, [referral.id])).get(referral.id) ?? [];
  return {
    policy,
    counts: countAttendance(marks, { requiredSessions: referral.requiredSessions, leftEarlyCounts: policy.leftEarlyCounts }),
  };
}
