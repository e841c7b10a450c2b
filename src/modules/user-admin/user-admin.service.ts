import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { NotFoundError, UnprocessableError } from '../../common/errors/domain-error';
import { Page } from '../../common/http/pagination.dto';
import { SqlParams } from '../../common/http/sql-params';
import { Agency } from '../agencies/agency.entity';
import { AuditService } from '../audit/audit.service';
import { SessionRevocations } from '../auth/session-revocations';
import { OPEN_REFERRAL_STATUSES } from '../../common/program/referral-status.enum';
import { Role } from '../../common/auth/role.enum';
import { User } from '../users/user.entity';
import { AGENCY_KIND_FOR_ROLE } from './users.service';
import { UsersRepository } from './users.repository';

export interface UserSearch {
  /** Part of a name or an e-mail address, any case. */
  text?: string;
  role?: Role;
  agencyId?: string;
  limit: number;
  offset: number;
}

export interface UserListItem {
  id: string;
  name: string;
  email: string;
  role: Role;
  agencyId: string;
  agencyName: string;
  active: boolean;
  /** Invited, and the link not used yet: no password chosen. */
  invitationPending: boolean;
  createdAt: Date;
}

export interface AccountState {
  invitationPending: boolean;
  /** A second factor set up and confirmed. */
  secondFactor: boolean;
}

/** `%` and `_` typed by a person are letters, not wildcards. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * What the admin pages do to staff accounts beyond the API's corrections: find people, and move
 * one to another role or agency. The rules that keep the program working are here: an admin
 * cannot take away his own role (so one admin always remains), and a probation officer
 * with open cases or a facilitator of a meeting group keeps his role until they are handed over.
 */
@Injectable()
export class UserAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly revocations: SessionRevocations,
    private readonly users: UsersRepository,
  ) {}

  async search(filters: UserSearch): Promise<Page<UserListItem>> {
    const params = new SqlParams();
    const where: string[] = ['TRUE'];
    if (filters.text) {
      const pattern = params.bind(likePattern(filters.text));
      where.push(`(u.name ILIKE ${pattern} OR u.email ILIKE ${pattern})`);
    }
    if (filters.role) where.push(`u.role = ${params.bind(filters.role)}`);
    if (filters.agencyId) where.push(`u.agency_id = ${params.bind(filters.agencyId)}`);
    const whereSql = where.join(' AND ');
    // The count runs with the filters' parameters alone, before the page's are bound.
    const total = await this.users.countWhere(whereSql, [...params.values]);
    const rows = await this.users.listWhere(
      whereSql,
      `LIMIT ${params.bind(filters.limit)} OFFSET ${params.bind(filters.offset)}`,
      params.values,
    );
    return {
      items: rows.map((row) => ({
        id: row.id,
        name: row.name,
        email: row.email,
        role: row.role,
        agencyId: row.agency_id,
        agencyName: row.agency_name,
        active: row.active,
        invitationPending: row.invitation_pending,
        createdAt: row.created_at,
      })),
      total,
    };
  }

  /**
   * Moves a user to another role and/or agency. His sessions end, so he signs in again into the
   * pages of his new role; the audit entry keeps both the old and the new role (not personal data).
   */
  async reassign(actor: SignedInUser, userId: string, input: { role: Role; agencyId: string }): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await manager.findOne(User, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new NotFoundError('user');
      if (user.role === input.role && user.agencyId === input.agencyId) return;
      const agency = await manager.findOneBy(Agency, { id: input.agencyId });
      if (!agency) throw refusal('AGENCY_NOT_FOUND', 'agencyId', 'Choose one of the agencies listed');
      const expectedKind = AGENCY_KIND_FOR_ROLE[input.role];
      if (agency.kind !== expectedKind) {
        throw refusal(
          'ROLE_AGENCY_MISMATCH',
          'agencyId',
          `A ${roleWords(input.role)} works for a ${expectedKind} agency; ${agency.name} is a ${agency.kind} agency`,
        );
      }
      if (input.role !== user.role) await this.refuseLosingRole(manager, actor, user);
      const from = { role: user.role, agencyId: user.agencyId };
      user.role = input.role;
      user.agencyId = input.agencyId;
      user.tokenVersion += 1;
      await manager.save(user);
      await this.users.endSessions(manager, userId, 'reassigned');
      await this.audit.record(
        {
          action: 'user.reassign',
          recordType: 'user',
          recordId: userId,
          details: { from, to: { role: input.role, agencyId: input.agencyId } },
        },
        manager,
      );
    });
    await this.revocations.revoke({ userId });
  }

  /** What the user's page says of the account beyond the API's view: invited or not, a second factor or not. */
  async accountState(userId: string): Promise<AccountState> {
    const row = await this.users.accountState(userId);
    if (!row) throw new NotFoundError('user');
    return { invitationPending: row.invitation_pending, secondFactor: row.second_factor };
  }

  /** The check before an account is deactivated from the pages: not one's own. */
  async assertMayDeactivate(actor: SignedInUser, userId: string): Promise<void> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id: userId });
    if (!user) throw new NotFoundError('user');
    // The one doing it is an active admin, so refusing his own account keeps at least one.
    if (user.id === actor.id)
      throw refusal('CANNOT_DEACTIVATE_SELF', 'active', 'You cannot deactivate your own account; another admin can');
  }

  private async refuseLosingRole(manager: EntityManager, actor: SignedInUser, user: User): Promise<void> {
    // The one doing it is an active admin, so refusing his own role keeps at least one admin.
    if (user.id === actor.id) throw refusal('CANNOT_CHANGE_OWN_ROLE', 'role', 'You cannot change your own role; another admin can');
    if (user.role === Role.ProbationOfficer) {
      const open = await this.users.openReferralsOf(manager, user.id, OPEN_REFERRAL_STATUSES);
      if (open > 0)
        throw refusal(
          'OPEN_CASELOAD',
          'role',
          `${user.name} is the probation officer of ${open} open referral${open === 1 ? '' : 's'}; give them to another officer first`,
        );
    }
    if (user.role === Role.Facilitator) {
      const groups = await this.users.activeGroupsOf(manager, user.id);
      if (groups > 0)
        throw refusal(
          'FACILITATES_GROUPS',
          'role',
          `${user.name} facilitates ${groups} group${groups === 1 ? '' : 's'}; name another facilitator on ${groups === 1 ? 'it' : 'them'} first`,
        );
    }
  }
}

function refusal(code: string, field: string, message: string): UnprocessableError {
  return new UnprocessableError(code, message, { fields: { [field]: [message] } });
}

const ROLE_WORDS: Record<Role, string> = {
  [Role.Admin]: 'program admin',
  [Role.Facilitator]: 'facilitator',
  [Role.ProbationOfficer]: 'probation officer',
  [Role.CourtClerk]: 'court clerk',
  [Role.Advocate]: 'advocate',
  [Role.Coordinator]: 'CCR coordinator',
};

function roleWords(role: Role): string {
  return ROLE_WORDS[role];
}
