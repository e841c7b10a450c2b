import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotFoundError } from '../../common/errors/domain-error';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Session } from '../sessions/session.entity';
import { Role } from '../../common/auth/role.enum';
import { Group } from './group.entity';

/** Admins reach every group; a facilitator only the groups he or she facilitates (else 404). */
@Injectable()
export class GroupAccess {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async requireGroup(user: SignedInUser, groupId: string, manager: EntityManager = this.dataSource.manager): Promise<Group> {
    const query = manager.createQueryBuilder(Group, 'group').where('group.id = :groupId', { groupId });
    this.restrict(user, query);
    const group = await query.getOne();
    if (!group) throw new NotFoundError('group');
    return group;
  }

  async requireSession(
    user: SignedInUser,
    sessionId: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<Session> {
    const query = manager
      .createQueryBuilder(Session, 'session')
      .innerJoin(Group, 'group', 'group.id = session.group_id')
      .where('session.id = :sessionId', { sessionId });
    if (user.role === Role.Facilitator) {
      // His own groups' sessions, and a session of another group he was recorded as covering.
      query.andWhere(
        '(EXISTS (SELECT 1 FROM group_facilitators gf WHERE gf.group_id = group.id AND gf.user_id = :facilitatorId) OR session.run_by_id = :facilitatorId)',
        { facilitatorId: user.id },
      );
    } else {
      this.restrict(user, query);
    }
    if (lock) query.setLock('pessimistic_write', undefined, ['session']);
    const session = await query.getOne();
    if (!session) throw new NotFoundError('session');
    return session;
  }

  /** requireSession's rule as SQL on a sessions and a groups alias, for hand-written queries. */
  sessionScopeSql(user: SignedInUser, sessionAlias: string, groupAlias: string, bind: (value: unknown) => string): string {
    if (user.role === Role.Facilitator) {
      // His own groups' sessions, and a session of another group he was recorded as covering.
      const me = bind(user.id);
      return `(EXISTS (SELECT 1 FROM group_facilitators gf WHERE gf.group_id = ${groupAlias}.id AND gf.user_id = ${me}) OR ${sessionAlias}.run_by_id = ${me})`;
    }
    return this.scopeSql(user, groupAlias, bind);
  }

  /** SQL condition on a groups alias for hand-written queries. */
  scopeSql(user: SignedInUser, groupAlias: string, bind: (value: unknown) => string): string {
    if (user.role === Role.Admin) return 'TRUE';
    if (user.role === Role.Facilitator) {
      return `EXISTS (SELECT 1 FROM group_facilitators gf WHERE gf.group_id = ${groupAlias}.id AND gf.user_id = ${bind(user.id)})`;
    }
    return 'FALSE';
  }

  private restrict(user: SignedInUser, query: { andWhere(sql: string, params?: Record<string, unknown>): unknown }): void {
    if (user.role === Role.Admin) return;
    if (user.role === Role.Facilitator) {
      query.andWhere('EXISTS (SELECT 1 FROM group_facilitators gf WHERE gf.group_id = group.id AND gf.user_id = :facilitatorId)', {
        facilitatorId: user.id,
      });
      return;
    }
    query.andWhere('FALSE');
  }
}
