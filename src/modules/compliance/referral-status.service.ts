import { Injectable } from '@nestjs/common';
import { UnprocessableError } from '../../common/errors/domain-error';
import { AuditedWrite } from '../audit/audited-write';
import { ReferralStatus } from '../../common/program/referral-status.enum';
import { canTransition } from '../../common/program/referral-transitions';

/** A referral status change: which referral, from what it is now (checked in the UPDATE), to what, and why. */
export interface StatusChange {
  id: string;
  from: ReferralStatus;
  to: ReferralStatus;
  reason: string | null;
}

/**
 * The one place a referral's status changes: checks the life cycle and audits the change. It
 * writes the status and nothing else; what a change sets off (victim notifications, ending his
 * enrollment) the caller adds to the same write itself.
 */
@Injectable()
export class ReferralStatusService {
  /**
   * The changes as part of a larger statement (the rules' writes, the life cycle's): refused before
   * anything is written if one is illegal. Answers the changes that are real (from ≠ to), for the
   * caller's own steps in that statement.
   */
  addTransitions(write: AuditedWrite, changes: StatusChange[]): StatusChange[] {
    const real = changes.filter((change) => change.from !== change.to);
    if (real.length === 0) return real;
    const illegal = real.find((change) => !canTransition(change.from, change.to));
    if (illegal) {
      throw new UnprocessableError('ILLEGAL_TRANSITION', `A referral that is ${illegal.from} cannot become ${illegal.to}`, {
        from: illegal.from,
        to: illegal.to,
      });
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
    write.audit(
      `SELECT 'referral.status_change', 'referral', x.id, jsonb_build_object('from', x.expected, 'to', x.status, 'reasonGiven', x.reason IS NOT NULL), x.ord FROM ${changed}`,
    );
    return real;
  }
}
