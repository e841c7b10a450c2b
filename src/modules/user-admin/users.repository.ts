import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { maybeOne, one, rows } from '../../common/database/sql';
import { Role } from '../../common/auth/role.enum';
import { User } from '../users/user.entity';

/** A user locked for a new invitation, and whether he has yet to choose a password. */
export type InvitedUserRow = Pick<User, 'id' | 'email' | 'name' | 'role'> & { pending: boolean };

interface AccountStatesRow {
  id: string;
  invited: boolean;
  invitation_expires_at: Date | null;
  second_factor: boolean;
}

export interface UserListRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  agency_id: string;
  agency_name: string;
  active: boolean;
  invitation_pending: boolean;
  created_at: Date;
}

export interface AccountStateRow {
  invitation_pending: boolean;
  second_factor: boolean;
}

/** Why a user's sessions were ended, as auth_sessions.end_reason records it. */
export type SessionEndReason = 'factor_reset' | 'deactivated' | 'reassigned';

/** The users' hand-written statements; the services keep the rules and pass their transaction. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  lockForInvitation(manager: EntityManager, userId: string): Promise<InvitedUserRow | null> {
    return maybeOne<InvitedUserRow>(
      manager,
      `SELECT id, email, name, role, password_hash IS NULL AS pending FROM users WHERE id = $1 FOR UPDATE`,
      [userId],
    );
  }

  /** Every token he holds stops working. */
  async bumpTokenVersion(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`UPDATE users SET token_version = token_version + 1 WHERE id = $1`, [userId]);
  }

  async endSessions(manager: EntityManager, userId: string, reason: SessionEndReason): Promise<void> {
    await manager.query(`UPDATE auth_sessions SET ended_at = now(), end_reason = '${reason}' WHERE user_id = $1 AND ended_at IS NULL`, [
      userId,
    ]);
  }

  /** An invitation or reset link still open stops working. */
  async revokeOpenLinks(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`UPDATE account_links SET revoked_at = now() WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [
      userId,
    ]);
  }

  accountStates(userIds: string[]): Promise<AccountStatesRow[]> {
    return rows<AccountStatesRow>(
      this.dataSource,
      `SELECT u.id, u.password_hash IS NULL AS invited,
              (SELECT max(l.expires_at) FROM account_links l
                WHERE l.user_id = u.id AND l.purpose = 'invitation' AND l.used_at IS NULL AND l.revoked_at IS NULL) AS invitation_expires_at,
              EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id AND f.confirmed_at IS NOT NULL) AS second_factor
         FROM users u WHERE u.id = ANY($1::uuid[])`,
      [userIds],
    );
  }

  /** How many users match `whereSql` (on alias u), whose parameters are `params`. */
  async countWhere(whereSql: string, params: unknown[]): Promise<number> {
    const { total } = await one<{ total: number }>(this.dataSource, `SELECT count(*)::int AS total FROM users u WHERE ${whereSql}`, params);
    return total;
  }

  /** One page of the users matching `whereSql`; `page` is the LIMIT/OFFSET clause bound into `params`. */
  listWhere(whereSql: string, page: string, params: unknown[]): Promise<UserListRow[]> {
    return rows<UserListRow>(
      this.dataSource,
      `SELECT u.id, u.name, u.email, u.role, u.agency_id, a.name AS agency_name, u.active, u.password_hash IS NULL AS invitation_pending, u.created_at
         FROM users u JOIN agencies a ON a.id = u.agency_id
        WHERE ${whereSql}
        ORDER BY u.active DESC, u.name, u.id
        ${page}`,
      params,
    );
  }

  accountState(userId: string): Promise<AccountStateRow | null> {
    return maybeOne<AccountStateRow>(
      this.dataSource,
      `SELECT u.password_hash IS NULL AS invitation_pending,
              EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id AND f.confirmed_at IS NOT NULL) AS second_factor
         FROM users u WHERE u.id = $1`,
      [userId],
    );
  }

  async openReferralsOf(manager: EntityManager, probationOfficerId: string, openStatuses: readonly string[]): Promise<number> {
    const { open } = await one<{ open: number }>(
      manager,
      `SELECT count(*)::int AS open FROM referrals WHERE probation_officer_id = $1 AND status = ANY($2)`,
      [probationOfficerId, openStatuses],
    );
    return open;
  }

  async activeGroupsOf(manager: EntityManager, facilitatorId: string): Promise<number> {
    const { groups } = await one<{ groups: number }>(
      manager,
      `SELECT count(*)::int AS groups FROM group_facilitators gf JOIN groups g ON g.id = gf.group_id WHERE gf.user_id = $1 AND g.active`,
      [facilitatorId],
    );
    return groups;
  }
}
