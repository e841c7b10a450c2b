import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, UnprocessableError } from '../../common/errors/domain-error';
import { RequestContext } from '../../common/context/request-context';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { MailOutbox } from '../mail/mail-outbox.service';
import { OutboxTransaction } from '../mail/outbox-transaction';
import { PasswordHasher } from '../users/password-hasher';
import { assertAcceptablePassword } from '../users/password-rules';
import { User } from '../users/user.entity';
import { AccountLink, AccountLinkPurpose } from './account-link.entity';
import { AccountLinksRepository } from './account-links.repository';
import { hashLinkToken, isLinkToken, LINK_LIFETIME_MS, linkUrl, newLinkToken } from './account-link-token';
import { accountMail } from './account-mail';
import { PasswordResetLimits } from './password-reset-limits';
import { SessionRevocations } from './session-revocations';

const LINK_REFUSED = () =>
  new UnprocessableError('LINK_INVALID', 'This link has already been used, has run out or was replaced by a newer one; ask for a new one', {
    fields: { token: ['This link no longer works: ask for a new one'] },
  });

/** Who a spent link was for, so the page can say whom to sign in as. */
export interface LinkOutcome {
  userId: string;
  email: string;
}

/**
 * Invitations and password resets: single-use links by e-mail, only their hashes stored, the mail
 * written in the same transaction as the link (the outbox queues it after commit; it is never sent
 * from inside the request, never lost, never twice). A newer link of the same kind kills the older.
 */
@Injectable()
export class AccountLinksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxTransaction,
    private readonly mail: MailOutbox,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly limits: PasswordResetLimits,
    private readonly revocations: SessionRevocations,
    private readonly links: AccountLinksRepository,
  ) {}

  /** Inside the caller's OutboxTransaction: a new invitation for a user without a password (any earlier one dies). */
  async writeInvitation(
    manager: EntityManager,
    user: Pick<User, 'id' | 'email' | 'name' | 'role'>,
  ): Promise<{ linkId: string; expiresAt: Date }> {
    return this.writeLink(manager, user, 'invitation', RequestContext.current()?.user?.id ?? null);
  }

  /**
   * Always the same answer, whether or not the address has an account: the caller learns nothing.
   * Counted per address and per client (Redis) before anything is looked up.
   */
  async requestPasswordReset(email: string): Promise<void> {
    const client = RequestContext.current()?.ipAddress ?? 'unknown';
    const retryAt = await this.limits.hit(email, client);
    if (retryAt) {
      throw new DomainError(
        'too_many_requests',
        'RESET_RATE_LIMITED',
        `Too many reset requests; try again after ${retryAt.toISOString()}`,
        {
          retryAt: retryAt.toISOString(),
        },
      );
    }
    await this.outbox.run(async (manager) => {
      const user = await this.links.resettableUserForUpdate(manager, email.trim().toLowerCase());
      // Audited either way, under the account when there is one (never the typed address).
      await this.audit.record(
        {
          action: 'auth.password_reset_requested',
          recordType: 'user',
          recordId: user?.id ?? null,
          actorUserId: null,
          actorRole: null,
          details: { known: Boolean(user) },
        },
        manager,
      );
      if (user) await this.writeLink(manager, user, 'password_reset', null);
    });
  }

  /** Sets the first password of an invited user and activates him; the link is spent. */
  async acceptInvitation(token: unknown, password: string): Promise<LinkOutcome> {
    return this.spend(token, 'invitation', password, async (manager, user, passwordHash) => {
      await this.links.setFirstPassword(manager, user.id, passwordHash);
      await this.audit.record(
        { action: 'user.invitation_accepted', recordType: 'user', recordId: user.id, actorUserId: user.id, actorRole: user.role },
        manager,
      );
    });
  }

  /** Sets a new password and ends every session of the user (a thief's included). */
  async resetPassword(token: unknown, password: string): Promise<LinkOutcome> {
    return this.spend(token, 'password_reset', password, async (manager, user, passwordHash) => {
      await this.links.setNewPassword(manager, user.id, passwordHash);
      await this.links.endSessionsForReset(manager, user.id);
      // Any other reset link still open dies with this one.
      await this.links.revokeOpenResets(manager, user.id);
      await this.audit.record(
        { action: 'auth.password_reset', recordType: 'user', recordId: user.id, actorUserId: user.id, actorRole: user.role },
        manager,
      );
    });
  }

  private async writeLink(
    manager: EntityManager,
    user: Pick<User, 'id' | 'email' | 'name' | 'role'>,
    purpose: AccountLinkPurpose,
    createdById: string | null,
  ): Promise<{ linkId: string; expiresAt: Date }> {
    await this.links.revokeOpen(manager, user.id, purpose);
    const token = newLinkToken();
    const expiresAt = new Date(Date.now() + LINK_LIFETIME_MS[purpose]);
    const link = await manager.save(
      manager.create(AccountLink, { userId: user.id, purpose, tokenHash: hashLinkToken(token), expiresAt, createdById }),
    );
    const content = accountMail(purpose, {
      name: user.name,
      role: user.role,
      link: linkUrl(this.config.publicUrl, purpose, token),
      expiresAt,
      timeZone: this.config.programTimeZone,
    });
    await this.mail.add(manager, { kind: purpose, refId: link.id, to: user.email, ...content });
    return { linkId: link.id, expiresAt };
  }

  /**
   * The link is checked and locked, the password judged (a weak one leaves the link unspent, so he
   * can try another), then the link is spent and the change made in one transaction.
   */
  private async spend(
    token: unknown,
    purpose: AccountLinkPurpose,
    password: string,
    apply: (manager: EntityManager, user: Pick<User, 'id' | 'email' | 'role'>, passwordHash: string) => Promise<void>,
  ): Promise<LinkOutcome> {
    if (!isLinkToken(token)) throw LINK_REFUSED();
    const outcome = await this.dataSource.transaction(async (manager): Promise<LinkOutcome> => {
      const row = await this.links.lockUsable(manager, hashLinkToken(token), purpose);
      // An invitation is only for a user still without a password; a reset only for an active one.
      if (!row || (purpose === 'invitation' ? !row.no_password : !row.active)) throw LINK_REFUSED();
      assertAcceptablePassword(password, { email: row.email, name: row.name });
      const passwordHash = await PasswordHasher.hash(password);
      await this.links.spend(manager, row.id);
      await apply(manager, { id: row.user_id, email: row.email, role: row.role }, passwordHash);
      return { userId: row.user_id, email: row.email };
    });
    // A new password ends his sessions in every process, once it is committed.
    await this.revocations.revoke({ userId: outcome.userId });
    return outcome;
  }
}
