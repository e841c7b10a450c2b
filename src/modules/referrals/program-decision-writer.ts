import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { ComplianceEventKind } from '../../common/program/compliance-event-kind.enum';
import { ProgramClock } from '../../config/program-clock';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { ComplianceService } from '../compliance/compliance.service';
import { OutboxTransaction } from '../mail/outbox-transaction';
import { raiseProgramDecision } from './program-decision-events';
import { Referral } from './referral.entity';
import { ReferralStatusStep } from './referral-status-step';

/**
 * What the program's decisions about an order (placing him in a group, moving him, completing,
 * terminating, reinstating, closing) write through: one transaction whose mail leaves only once it
 * commits, the order read for writing under its lock, its status step, the audit, the rules and the
 * decision's event for the court and probation. One place, so every decision opens the same way.
 */
@Injectable()
export class ProgramDecisionWriter {
  constructor(
    private readonly access: AccessService,
    readonly steps: ReferralStatusStep,
    readonly audit: AuditService,
    readonly clock: ProgramClock,
    private readonly outbox: OutboxTransaction,
    readonly compliance: ComplianceService,
  ) {}

  /** The order, if this user may change it (a 404 otherwise, as for any record he may not see). */
  requireOrder(user: SignedInUser, referralId: string, manager?: EntityManager): Promise<Referral> {
    return this.access.requireRecord(user, 'referral.write', Referral, referralId, manager ? { manager, lock: true } : {});
  }

  /** One decision about an order: its transaction, with the order locked until it commits. */
  decide<T>(user: SignedInUser, referralId: string, work: (manager: EntityManager, referral: Referral) => Promise<T>): Promise<T> {
    return this.outbox.run(async (manager) => work(manager, await this.requireOrder(user, referralId, manager)));
  }

  /** The decision's event and its notices, dated today on the program's clock. */
  announce(
    manager: EntityManager,
    decision: { referralId: string; kind: ComplianceEventKind; key: string; facts: Record<string, unknown> },
  ): Promise<string | null> {
    return raiseProgramDecision(manager, this.audit, this.clock.timeZone, { ...decision, occurredOn: this.clock.today() });
  }
}
