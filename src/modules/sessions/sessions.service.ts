import { Injectable } from '@nestjs/common';
import { UnprocessableError } from '../../common/errors/domain-error';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { AuditService } from '../audit/audit.service';
import { ComplianceService } from '../compliance/compliance.service';
import { OutboxTransaction } from '../mail/outbox-transaction';
import { AccessService } from '../access/access.service';
import { GroupsService } from '../groups/groups.service';
import { ParticipantMessagesService } from '../participant-messages/participant-messages.service';
import { SessionScheduleService } from '../groups/session-schedule.service';
import { Session, SessionStatus } from '../groups/session.entity';
import { SessionView } from '../groups/session.view';
import { RosterRepository } from './roster.repository';

@Injectable()
export class SessionsService {
  constructor(
    private readonly access: AccessService,
    private readonly groups: GroupsService,
    private readonly schedule: SessionScheduleService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxTransaction,
    private readonly compliance: ComplianceService,
    private readonly messages: ParticipantMessagesService,
    private readonly rosters: RosterRepository,
  ) {}

  async get(user: SignedInUser, sessionId: string): Promise<SessionView> {
    await this.access.requireAccess(user, 'session.read', [sessionId]);
    return this.groups.sessionView(sessionId);
  }

  /**
   * A cancelled session counts for nobody and against nobody; the later sessions of the group
   * move up one unit so no material is skipped. A session already marked cannot be cancelled.
   */
  async cancel(user: SignedInUser, sessionId: string, reason: string): Promise<SessionView> {
    await this.outbox.run(async (manager) => {
      const session = await this.access.requireRecord(user, 'session.mark', Session, sessionId, { manager, lock: true });
      if (session.status === SessionStatus.Cancelled) return;
      if (session.status === SessionStatus.Held) {
        throw new UnprocessableError('SESSION_ALREADY_HELD', 'This session has attendance recorded and cannot be cancelled');
      }
      await manager.update(
        Session,
        { id: session.id },
        { status: SessionStatus.Cancelled, cancelledReason: reason, curriculumUnitId: null },
      );
      await this.schedule.assignUnits(manager, [session.groupId]);
      await this.audit.record(
        { action: 'session.cancel', recordType: 'session', recordId: session.id, details: { date: session.date } },
        manager,
      );
      // A week that did not meet is no session he was due at: a run of absences it broke, or a
      // stretch without attendance it lengthened, is judged again for the men on its roster.
      await this.compliance.evaluate(manager, await this.rosters.referralsEnrolledOn(manager, session.groupId, session.date));
      // The men hear now, not on the morning before: "no group on Thursday, and why".
      await this.messages.writeDue(manager, { sessionIds: [session.id] });
    });
    return this.groups.sessionView(sessionId);
  }
}
