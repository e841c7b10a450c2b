import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { addDays, daysBetween } from '../../common/dates';
import { NotFoundError, UnprocessableError } from '../../common/errors/domain-error';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Page } from '../../common/http/pagination.dto';
import { SqlParams } from '../../common/http/sql-params';
import { ProgramClock } from '../../config/program-clock';
import { AuditService } from '../audit/audit.service';
import { CurriculumUnit } from '../curricula/curriculum-unit.entity';
import { Curriculum } from '../curricula/curriculum.entity';
import { SessionScheduleService } from './session-schedule.service';
import { Session, SessionKind, SessionStatus } from './session.entity';
import { SessionView, toSessionView } from './session.view';
import { Role } from '../../common/auth/role.enum';
import { User } from '../users/user.entity';
import { CreateGroupDto, OneOffSessionDto } from './create-group.dto';
import { AccessService } from '../access/access.service';
import { Group } from './group.entity';
import { GroupsRepository } from './groups.repository';
import { GroupView, toGroupView } from './group.view';

const MAX_SESSION_RANGE_DAYS = 400;

@Injectable()
export class GroupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly schedule: SessionScheduleService,
    private readonly audit: AuditService,
    private readonly clock: ProgramClock,
    private readonly groups: GroupsRepository,
  ) {}

  /** Creates the group and lays out its first weeks of sessions in the same transaction. */
  async create(input: CreateGroupDto): Promise<GroupView> {
    const groupId = await this.dataSource.transaction(async (manager) => {
      const fields: Record<string, string[]> = {};
      if (!(await manager.existsBy(Curriculum, { id: input.curriculumId }))) {
        fields.curriculumId = ['curriculumId must name a curriculum'];
      }
      const facilitators = await manager.findBy(User, { id: In(input.facilitatorIds), role: Role.Facilitator, active: true });
      if (facilitators.length !== input.facilitatorIds.length) {
        fields.facilitatorIds = ['every facilitatorId must name an active facilitator'];
      }
      if (Object.keys(fields).length) {
        throw new UnprocessableError('GROUP_REFERENCES_INVALID', Object.values(fields).flat().join('; '), { fields });
      }
      const group = await manager.save(
        manager.create(Group, {
          name: input.name,
          curriculumId: input.curriculumId,
          weekday: input.weekday,
          startTime: input.startTime,
          durationMinutes: input.durationMinutes,
          capacity: input.capacity,
          location: input.location,
          language: input.language,
          startsOn: input.startsOn ?? this.clock.today(),
          facilitators,
        }),
      );
      await this.schedule.generate(manager, [group.id]);
      await this.audit.record(
        { action: 'group.create', recordType: 'group', recordId: group.id, details: { ...input } }, // eslint-disable-line @typescript-eslint/no-misused-spread -- the audit keeps the fields, not the class
        manager,
      );
      return group.id;
    });
    return this.view(groupId);
  }

  async list(user: SignedInUser, limit: number, offset: number): Promise<Page<GroupView>> {
    const params = new SqlParams();
    const where = this.access.scopeSql(user, 'group.read', 'g', params.bind);
    // The count runs with the scope's parameters alone, before the page's are bound.
    const total = await this.groups.countWhere(where, [...params.values]);
    const rows = await this.groups.listWhere(where, `LIMIT ${params.bind(limit)} OFFSET ${params.bind(offset)}`, params.values);
    return { items: rows.map(toGroupView), total };
  }

  async get(user: SignedInUser, groupId: string): Promise<GroupView> {
    await this.access.requireAccess(user, 'group.read', [groupId]);
    return this.view(groupId);
  }

  private async view(groupId: string): Promise<GroupView> {
    const row = await this.groups.byId(groupId);
    if (!row) throw new NotFoundError('group');
    return toGroupView(row);
  }

  /** Sessions in a date range (default: four weeks back to eight ahead), with how many are marked. */
  async sessions(user: SignedInUser, groupId: string, from?: string, to?: string): Promise<SessionView[]> {
    await this.access.requireAccess(user, 'group.read', [groupId]);
    const today = this.clock.today();
    const rangeFrom = from ?? addDays(today, -28);
    const rangeTo = to ?? addDays(today, 56);
    if (rangeTo < rangeFrom) {
      throw new UnprocessableError('RANGE_INVALID', 'to must not be before from', { fields: { to: ['to must not be before from'] } });
    }
    if (daysBetween(rangeFrom, rangeTo) > MAX_SESSION_RANGE_DAYS) {
      throw new UnprocessableError('RANGE_TOO_LONG', `Ask for at most ${MAX_SESSION_RANGE_DAYS} days at a time`, {
        fields: { to: [`the range may span at most ${MAX_SESSION_RANGE_DAYS} days`] },
      });
    }
    const rows = await this.groups.sessionsBetween(groupId, rangeFrom, rangeTo);
    return rows.map(toSessionView);
  }

  /** A make-up or extra meeting; may be dated in the past when recorded afterwards. */
  async addOneOffSession(user: SignedInUser, groupId: string, input: OneOffSessionDto): Promise<SessionView> {
    const sessionId = await this.dataSource.transaction(async (manager) => {
      const group = await this.access.requireRecord(user, 'group.manage', Group, groupId, { manager });
      if (input.curriculumUnitId) {
        const unit = await manager.findOneBy(CurriculumUnit, { id: input.curriculumUnitId, curriculumId: group.curriculumId });
        if (!unit) {
          throw new UnprocessableError('UNIT_NOT_IN_CURRICULUM', 'curriculumUnitId is not a unit of this group’s curriculum', {
            fields: { curriculumUnitId: ['curriculumUnitId is not a unit of this group’s curriculum'] },
          });
        }
      }
      const session = await manager.save(
        manager.create(Session, {
          groupId,
          date: input.date,
          startTime: input.startTime ?? group.startTime,
          kind: SessionKind.OneOff,
          status: SessionStatus.Scheduled,
          curriculumUnitId: input.curriculumUnitId ?? null,
        }),
      );
      await this.audit.record(
        { action: 'session.create_one_off', recordType: 'session', recordId: session.id, details: { groupId, date: input.date } },
        manager,
      );
      return session.id;
    });
    return this.sessionView(sessionId);
  }

  async generateSessions(user: SignedInUser, groupId: string): Promise<{ created: number }> {
    return this.dataSource.transaction(async (manager) => {
      await this.access.requireAccess(user, 'group.manage', [groupId], { manager });
      const created = await this.schedule.generate(manager, [groupId]);
      if (created > 0) {
        await this.audit.record(
          { action: 'group.generate_sessions', recordType: 'group', recordId: groupId, details: { created } },
          manager,
        );
      }
      return { created };
    });
  }

  async sessionView(sessionId: string): Promise<SessionView> {
    const row = await this.groups.session(sessionId);
    if (!row) throw new NotFoundError('session');
    return toSessionView(row);
  }
}
