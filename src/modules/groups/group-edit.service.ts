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
import { GroupAccess } from './group-access';

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
    private readonly access: GroupAccess,
    private readonly audit: AuditService,
    private readonly clock: ProgramClock,
  ) {}

  /**
   * Saves the group. A new start time moves its future scheduled sessions that still had the old
   * time (a session set to another time on purpose keeps it); held and past sessions keep theirs.
   */
  async update(user: SignedInUser, groupId: string, input: UpdateGroupDto): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const group = await this.access.requireGroup(user, groupId, manager);
      await manager.query('SELECT id FROM groups WHERE id = $1 FOR UPDATE', [groupId]);
      const fields: Record<string, string[]> = {};
      const [{ enrolled }] = (await manager.query(`SELECT count(*)::int AS enrolled FROM enrollments WHERE group_id = $1 AND end_date IS NULL`, [groupId])) as Array<{ enrolled: number }>;
      if (input.capacity < enrolled) fields.capacity = [`${enrolled} men are enrolled now; the capacity cannot be below that`];
      const facilitators = await manager.findBy(User, { id: In(input.facilitatorIds), role: Role.Facilitator, active: true });
      if (facilitators.length !== input.facilitatorIds.length) fields.facilitatorIds = ['every facilitatorId must name an active facilitator'];
      if (Object.keys(fields).length) throw new UnprocessableError('GROUP_UPDATE_REFUSED', Object.values(fields).flat().join('; '), { fields });

      const before = (await manager.query(`SELECT user_id FROM group_facilitators WHERE group_id = $1`, [groupId])) as Array<{ user_id: string }>;
      const oldTime = group.startTime.slice(0, 5);
      await manager.query(
        `UPDATE groups SET name = $2, start_time = $3, duration_minutes = $4, capacity = $5, location = $6 WHERE id = $1`,
        [groupId, input.name, input.startTime, input.durationMinutes, input.capacity, input.location],
      );
      let sessionsMoved = 0;
      if (oldTime !== input.startTime) {
        const moved = (await manager.query(
          `UPDATE sessions SET start_time = $2 WHERE group_id = $1 AND status = 'scheduled' AND date >= $3 AND to_char(start_time, 'HH24:MI') = $4 RETURNING id`,
          [groupId, input.startTime, this.clock.today(), oldTime],
        )) as [Array<{ id: string }>, number];
        sessionsMoved = moved[1];
      }
      const had = new Set(before.map((row) => row.user_id));
      const added = input.facilitatorIds.filter((id) => !had.has(id));
      const removed = [...had].filter((id) => !input.facilitatorIds.includes(id));
      if (removed.length) await manager.query(`DELETE FROM group_facilitators WHERE group_id = $1 AND user_id = ANY($2)`, [groupId, removed]);
      for (const id of added) await manager.query(`INSERT INTO group_facilitators (group_id, user_id) VALUES ($1, $2)`, [groupId, id]);
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
          details: { fields: changed, facilitatorsAdded: added, facilitatorsRemoved: removed, sessionsMoved, capacity: { from: group.capacity, to: input.capacity } },
        },
        manager,
      );
    });
  }

  /** The men enrolled in the group today, by name, with their referrals (reading them is audited). */
  async members(user: SignedInUser, groupId: string): Promise<GroupMember[]> {
    await this.access.requireGroup(user, groupId);
    const rows = (await this.dataSource.query(
      `SELECT r.id AS referral_id, r.case_number, p.first_name, p.last_name, r.status, e.start_date::text AS since
         FROM enrollments e JOIN referrals r ON r.id = e.referral_id JOIN participants p ON p.id = r.participant_id
        WHERE e.group_id = $1 AND e.end_date IS NULL
        ORDER BY p.last_name, p.first_name, r.id`,
      [groupId],
    )) as Array<{ referral_id: string; case_number: string; first_name: string; last_name: string; status: string; since: string }>;
    await this.audit.record({ action: 'group.members_read', recordType: 'group', recordId: groupId, details: { returned: rows.map((row) => row.referral_id) } });
    return rows.map((row) => ({ referralId: row.referral_id, caseNumber: row.case_number, firstName: row.first_name, lastName: row.last_name, status: row.status, since: row.since }));
  }
}
