import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { UnprocessableError } from '../../common/errors/domain-error';
import { ProgramClock } from '../../config/program-clock';
import { AuditService } from '../audit/audit.service';
import { Role } from '../../common/auth/role.enum';
import { User } from '../users/user.entity';
import { UpdateGroupDto } from './create-group.dto';
import { AccessService } from '../access/access.service';
import { Group } from './group.entity';
import { GroupsRepository } from './groups.repository';

export interface GroupMember {
  referralId: string;
  caseNumber: string;
  firstName: string;
  lastName: string;
  status: string;
  since: string;
}

/** Changes to a meeting group (time, place, capacity, facilitators) and the men in it now. */
@Injectable()
export class GroupEditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: ProgramClock,
    private readonly groups: GroupsRepository,
  ) {}

  /**
   * Saves the group. A new start time moves its future scheduled sessions that still had the old
   * time (a session set to another time on purpose keeps it); held and past sessions keep theirs.
   */
  async update(user: SignedInUser, groupId: string, input: UpdateGroupDto): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const group = await this.access.requireRecord(user, 'group.manage', Group, groupId, { manager });
      await this.groups.lock(manager, groupId);
      const fields: Record<string, string[]> = {};
      const enrolled = await this.groups.enrolledNow(manager, groupId);
      if (input.capacity < enrolled) fields.capacity = [`${enrolled} men are enrolled now; the capacity cannot be below that`];
      const facilitators = await manager.findBy(User, { id: In(input.facilitatorIds), role: Role.Facilitator, active: true });
      if (facilitators.length !== input.facilitatorIds.length)
        fields.facilitatorIds = ['every facilitatorId must name an active facilitator'];
      if (Object.keys(fields).length)
        throw new UnprocessableError('GROUP_UPDATE_REFUSED', Object.values(fields).flat().join('; '), { fields });

      const before = await this.groups.facilitatorIds(manager, groupId);
      const oldTime = group.startTime.slice(0, 5);
      await this.groups.update(manager, groupId, input);
      let sessionsMoved = 0;
      if (oldTime !== input.startTime) {
        sessionsMoved = await this.groups.moveScheduledSessions(manager, groupId, input.startTime, this.clock.today(), oldTime);
      }
      const had = new Set(before);
      const added = input.facilitatorIds.filter((id) => !had.has(id));
      const removed = [...had].filter((id) => !input.facilitatorIds.includes(id));
      if (removed.length) await this.groups.removeFacilitators(manager, groupId, removed);
      for (const id of added) await this.groups.addFacilitator(manager, groupId, id);
      const changed = [
        group.name !== input.name && 'name',
        oldTime !== input.startTime && 'startTime',
        group.durationMinutes !== input.durationMinutes && 'durationMinutes',
        group.capacity !== input.capacity && 'capacity',
        group.location !== input.location && 'location',
        (added.length || removed.length) && 'facilitatorIds',
      ].filter(Boolean);
      await this.audit.record(
        {
          action: 'group.update',
          recordType: 'group',
          recordId: groupId,
          details: {
            fields: changed,
            facilitatorsAdded: added,
            facilitatorsRemoved: removed,
            sessionsMoved,
            capacity: { from: group.capacity, to: input.capacity },
          },
        },
        manager,
      );
    });
  }

  /** The men enrolled in the group today, by name, with their referrals (reading them is audited). */
  async members(user: SignedInUser, groupId: string): Promise<GroupMember[]> {
    await this.access.requireAccess(user, 'group.read', [groupId]);
    const rows = await this.groups.members(groupId);
    await this.audit.record({
      action: 'group.members_read',
      recordType: 'group',
      recordId: groupId,
      details: { returned: rows.map((row) => row.referral_id) },
    });
    return rows.map((row) => ({
      referralId: row.referral_id,
      caseNumber: row.case_number,
      firstName: row.first_name,
      lastName: row.last_name,
      status: row.status,
      since: row.since,
    }));
  }
}
