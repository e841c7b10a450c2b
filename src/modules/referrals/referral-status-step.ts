import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReferralStatus } from '../../common/program/referral-status.enum';
import { ProgramClock } from '../../config/program-clock';
import { AuditedWrite } from '../audit/audited-write';
import { ReferralStatusService } from '../compliance/referral-status.service';
import { addVictimNotifications } from '../protected-parties/raise-victim-notifications';
import { Referral } from './referral.entity';

/**
 * One referral moved to a status by the program (placed in a group, completed, terminated,
 * closed, reinstated), with the victim notifications the step owes her, in one statement. The
 * status write stays only a status write (ReferralStatusService); the notifications are named
 * here, and whatever else the step sets off (his enrollment ended, an event raised) the caller
 * does in its own words.
 */
@Injectable()
export class ReferralStatusStep {
  constructor(
    private readonly statuses: ReferralStatusService,
    private readonly clock: ProgramClock,
  ) {}

  /** Answers the referral as it now stands; no write at all if it is already there. */
  async move(manager: EntityManager, referral: Referral, to: ReferralStatus, reason: string | null): Promise<Referral> {
    if (referral.status === to) return referral;
    const write = new AuditedWrite();
    const changes = this.statuses.addTransitions(write, [{ id: referral.id, from: referral.status, to, reason }]);
    addVictimNotifications(write, changes, this.clock.timeZone);
    await write.run(manager);
    referral.status = to;
    referral.statusReason = reason;
    return referral;
  }
}
