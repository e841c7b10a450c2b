import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UnprocessableError } from '../../common/errors/domain-error';
import { ProgramClock } from '../../common/program-clock';
import { AuditService } from '../audit/audit.service';
import { raiseVictimNotifications } from '../protected-parties/raise-victim-notifications';
import { Enrollment } from '../enrollments/enrollment.entity';
import { ReferralStatus } from './referral-status.enum';
import { canTransition } from './referral-transitions';
import { Referral } from './referral.entity';

/** The one place a referral's status changes: checks the life cycle and audits the change. */
@Injectable()
export class ReferralStatusService {
  constructor(
    private readonly audit: AuditService,
    private readonly clock: ProgramClock,
  ) {}

  async transition(
    manager: EntityManager,
    referral: Referral,
    to: ReferralStatus,
    reason: string | null,
    options: { endEnrollmentOn?: string } = {},
  ): Promise<Referral> {
    if (referral.status === to) return referral;
    await this.transitionMany(manager, [{ id: referral.id, from: referral.status, to, reason }]);
    if (options.endEnrollmentOn) {
      await manager
        .createQueryBuilder()
        .update(Enrollment)
        .set({ endDate: options.endEnrollmentOn, endReason: `referral ${to}` })
        .where('referral_id = :referralId AND end_date IS NULL', { referralId: referral.id })
        .execute();
    }
    referral.status = to;
    referral.statusReason = reason;
    return referral;
  }

  /**
   * Many changes in two statements (the sweep's batches, and single changes too): one UPDATE and
   * one audit insert, whatever the number. Each change is checked against the life cycle first.
   */
  async transitionMany(
    manager: EntityManager,
    changes: Array<{ id: string; from: ReferralStatus; to: ReferralStatus; reason: string | null }>,
  ): Promise<void> {
    const real = changes.filter((change) => change.from !== change.to);
    if (real.length === 0) return;
    const illegal = real.find((change) => !canTransition(change.from, change.to));
    if (illegal) {
      throw new UnprocessableError('ILLEGAL_TRANSITION', `A referral that is ${illegal.from} cannot become ${illegal.to}`, { from: illegal.from, to: illegal.to });
    }
    await manager.query(
      `UPDATE referrals r SET status = x.status::referral_status, status_reason = x.reason, status_changed_at = now(), updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS x(id, expected, status, reason)
        WHERE r.id = x.id AND r.status = x.expected::referral_status`,
      [real.map((change) => change.id), real.map((change) => change.from), real.map((change) => change.to), real.map((change) => change.reason)],
    );
    const raised = await raiseVictimNotifications(manager, real, this.clock.timeZone);
    await this.audit.recordMany(
      [
        ...real.map((change) => ({
          action: 'referral.status_change',
          recordType: 'referral',
          recordId: change.id,
          // The reason is free text kept on the referral (status_reason), not in the append-only log.
          details: { from: change.from, to: change.to, reasonGiven: change.reason !== null },
        })),
        ...raised.map((id) => ({ action: 'victim_notification.raised', recordType: 'victim_notification', recordId: id })),
      ],
      manager,
    );
  }
}
