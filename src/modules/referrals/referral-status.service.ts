import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UnprocessableError } from '../../common/errors/domain-error';
import { ProgramClock } from '../../config/program-clock';
import { AuditedWrite } from '../audit/audited-write';
import { victimNotificationInsertSql, victimNotificationSteps } from '../protected-parties/raise-victim-notifications';
import { Enrollment } from '../enrollments/enrollment.entity';
import { ReferralStatus } from './referral-status.enum';
import { canTransition } from './referral-transitions';
import { Referral } from './referral.entity';

/** The one place a referral's status changes: checks the life cycle and audits the change. */
@Injectable()
export class ReferralStatusService {
  constructor(private readonly clock: ProgramClock) {}

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
   * Many changes in one statement (the sweep's batches, and single changes too): the UPDATE, the
   * victim notifications they raise and the audit entries, whatever the number. Each change is
   * checked against the life cycle first.
   */
  async transitionMany(
    manager: EntityManager,
    changes: Array<{ id: string; from: ReferralStatus; to: ReferralStatus; reason: string | null }>,
  ): Promise<void> {
    const write = new AuditedWrite();
    this.addTransitions(write, changes);
    await write.run(manager);
  }

  /** The same changes as part of a larger statement (the rules' writes): refused before anything is written if one is illegal. */
  addTransitions(write: AuditedWrite, changes: Array<{ id: string; from: ReferralStatus; to: ReferralStatus; reason: string | null }>): void {
    const real = changes.filter((change) => change.from !== change.to);
    if (real.length === 0) return;
    const illegal = real.find((change) => !canTransition(change.from, change.to));
    if (illegal) {
      throw new UnprocessableError('ILLEGAL_TRANSITION', `A referral that is ${illegal.from} cannot become ${illegal.to}`, { from: illegal.from, to: illegal.to });
    }
    const { bind } = write;
    const changed = `unnest(${bind(real.map((change) => change.id))}::uuid[], ${bind(real.map((change) => change.from))}::text[], ${bind(real.map((change) => change.to))}::text[], ${bind(real.map((change) => change.reason))}::text[])
      WITH ORDINALITY AS x(id, expected, status, reason, ord)`;
    write.with(
      'status_changes',
      `UPDATE referrals r SET status = x.status::referral_status, status_reason = x.reason, status_changed_at = now(), updated_at = now()
         FROM ${changed}
        WHERE r.id = x.id AND r.status = x.expected::referral_status
       RETURNING r.id`,
    );
    // The reason is free text kept on the referral (status_reason), not in the append-only log.
    write.audit(`SELECT 'referral.status_change', 'referral', x.id, jsonb_build_object('from', x.expected, 'to', x.status, 'reasonGiven', x.reason IS NOT NULL), x.ord FROM ${changed}`);
    const steps = victimNotificationSteps(real);
    if (steps.length) {
      write.with('victim_notifications_raised', victimNotificationInsertSql(bind(steps.map((step) => step.id)), bind(steps.map((step) => step.event)), bind(this.clock.timeZone)));
      write.audit(`SELECT 'victim_notification.raised', 'victim_notification', v.id, NULL::jsonb, row_number() OVER () FROM victim_notifications_raised v`);
    }
  }
}
