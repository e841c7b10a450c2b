import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { maybeOne } from '../../common/database/sql';
import { User } from '../users/user.entity';
import { AccountLinkPurpose } from './account-link.entity';

export type LinkUserRow = Pick<User, 'id' | 'email' | 'name' | 'role'>;

/** A usable link, locked, and the user it is for. */
export interface UsableLinkRow {
  id: string;
  user_id: string;
  email: string;
  name: string;
  role: User['role'];
  active: boolean;
  no_password: boolean;
}

/** The statements of invitations and password resets, each in the caller's transaction. */
@Injectable()
export class AccountLinksRepository {
  /** The active account with a password at this address (already trimmed and lower-cased), locked. */
  resettableUserForUpdate(manager: EntityManager, email: string): Promise<LinkUserRow | null> {
    return maybeOne<LinkUserRow>(
      manager,
      `SELECT id, email, name, role FROM users WHERE email = $1 AND active AND password_hash IS NOT NULL FOR UPDATE`,
      [email],
    );
  }

  async setFirstPassword(manager: EntityManager, userId: string, passwordHash: string): Promise<void> {
    await manager.query(
      `UPDATE users SET password_hash = $2, active = true, token_version = token_version + 1, updated_at = now() WHERE id = $1`,
      [userId, passwordHash],
    );
  }

  async setNewPassword(manager: EntityManager, userId: string, passwordHash: string): Promise<void> {
    await manager.query(`UPDATE users SET password_hash = $2, token_version = token_version + 1, updated_at = now() WHERE id = $1`, [
      userId,
      passwordHash,
    ]);
  }

  async endSessionsForReset(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(
      `UPDATE auth_sessions SET ended_at = now(), end_reason = 'password_reset' WHERE user_id = $1 AND ended_at IS NULL`,
      [userId],
    );
  }

  async revokeOpenResets(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(
      `UPDATE account_links SET revoked_at = now() WHERE user_id = $1 AND purpose = 'password_reset' AND used_at IS NULL AND revoked_at IS NULL`,
      [userId],
    );
  }

  async revokeOpen(manager: EntityManager, userId: string, purpose: AccountLinkPurpose): Promise<void> {
    await manager.query(
      `UPDATE account_links SET revoked_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND revoked_at IS NULL`,
      [userId, purpose],
    );
  }

  lockUsable(manager: EntityManager, tokenHash: string, purpose: AccountLinkPurpose): Promise<UsableLinkRow | null> {
    return maybeOne<UsableLinkRow>(
      manager,
      `SELECT l.id, u.id AS user_id, u.email, u.name, u.role, u.active, u.password_hash IS NULL AS no_password
           FROM account_links l JOIN users u ON u.id = l.user_id
          WHERE l.token_hash = $1 AND l.purpose = $2 AND l.used_at IS NULL AND l.revoked_at IS NULL AND l.expires_at > now()
          FOR UPDATE OF l`,
      [tokenHash, purpose],
    );
  }

  async spend(manager: EntityManager, linkId: string): Promise<void> {
    await manager.query(`UPDATE account_links SET used_at = now() WHERE id = $1`, [linkId]);
  }
}
