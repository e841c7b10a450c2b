import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError, NotFoundError, UnprocessableError } from '../../common/errors/domain-error';
import { Page } from '../../common/http/pagination.dto';
import { Agency, AgencyKind } from '../agencies/agency.entity';
import { AuditService } from '../audit/audit.service';
import { AccountLinksService } from '../auth/account-links.service';
import { SecondFactorService } from '../auth/second-factor.service';
import { SessionRevocations } from '../auth/session-revocations';
import { SignInLockout } from '../auth/sign-in-lockout';
import { OutboxTransaction } from '../mail/outbox-transaction';
import { assertAcceptablePassword } from '../users/password-rules';
import { CreateUserDto, UpdateUserDto } from './create-user.dto';
import { PasswordHasher } from '../users/password-hasher';
import { Role } from '../../common/auth/role.enum';
import { User } from '../users/user.entity';
import { toUserView, UserView } from './user.view';
import { UsersRepository } from './users.repository';

/** What the users page shows beside a user: a pending invitation, a second factor. */
export interface AccountState {
  invited: boolean;
  /** When the latest invitation link stops working (null: none open, or it was accepted). */
  invitationExpiresAt: Date | null;
  secondFactor: boolean;
}

/** Which kind of agency each role works for. */
export const AGENCY_KIND_FOR_ROLE: Record<Role, AgencyKind> = {
  [Role.Admin]: AgencyKind.Program,
  [Role.Facilitator]: AgencyKind.Program,
  [Role.ProbationOfficer]: AgencyKind.Probation,
  [Role.CourtClerk]: AgencyKind.Court,
  [Role.Advocate]: AgencyKind.Advocacy,
  // The CCR coordinator is usually housed with the program (or its DAIP-style host agency).
  [Role.Coordinator]: AgencyKind.Program,
};

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly lockout: SignInLockout,
    private readonly outbox: OutboxTransaction,
    private readonly links: AccountLinksService,
    private readonly secondFactor: SecondFactorService,
    private readonly revocations: SessionRevocations,
    private readonly users: UsersRepository,
  ) {}

  /**
   * With a password (the API contract; scripts rely on it): an active user at once. Without one:
   * an invitation (see invite).
   */
  async create(input: CreateUserDto): Promise<UserView> {
    if (input.password === undefined || input.password === null) return this.invite(input);
    await this.checkAgency(input);
    assertAcceptablePassword(input.password, input);
    const passwordHash = await PasswordHasher.hash(input.password);
    return this.dataSource.transaction(async (manager) => {
      const user = await this.insertUser(manager, input, passwordHash, true);
      await this.audit.record(
        { action: 'user.create', recordType: 'user', recordId: user.id, details: { role: user.role, agencyId: user.agencyId } },
        manager,
      );
      return toUserView(user);
    });
  }

  /**
   * Invites a user by e-mail: the account exists, inactive and without a password, until he opens
   * the link (single use, 72 hours) and chooses one. The mail goes through the outbox, written in
   * the same transaction as the user. Audited as the signed-in admin (request context).
   */
  async invite(input: Omit<CreateUserDto, 'password'>): Promise<UserView> {
    await this.checkAgency(input);
    return this.outbox.run(async (manager) => {
      const user = await this.insertUser(manager, input, null, false);
      const { expiresAt } = await this.links.writeInvitation(manager, user);
      await this.audit.record(
        {
          action: 'user.invite',
          recordType: 'user',
          recordId: user.id,
          details: { role: user.role, agencyId: user.agencyId, expiresAt: expiresAt.toISOString() },
        },
        manager,
      );
      return toUserView(user);
    });
  }

  /** A new invitation for a user who has not accepted yet: a new link, and the earlier one no longer works. */
  async resendInvitation(userId: string): Promise<{ expiresAt: Date }> {
    return this.outbox.run(async (manager) => {
      const user = await this.users.lockForInvitation(manager, userId);
      if (!user) throw new NotFoundError('user');
      if (!user.pending)
        throw new ConflictError(
          'INVITATION_ACCEPTED',
          'This user has already chosen a password; a forgotten one is reset from the sign-in page',
        );
      const { expiresAt } = await this.links.writeInvitation(manager, user);
      await this.audit.record(
        { action: 'user.invitation_resent', recordType: 'user', recordId: userId, details: { expiresAt: expiresAt.toISOString() } },
        manager,
      );
      return { expiresAt };
    });
  }

  /**
   * An admin's reset of a user's second factor (a lost phone): the secret and the recovery codes
   * are gone and every session of his ends; he sets it up again at his next sign-in. Audited.
   */
  async resetSecondFactor(userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await manager.findOne(User, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new NotFoundError('user');
      const removed = await this.secondFactor.remove(manager, userId);
      await this.users.bumpTokenVersion(manager, userId);
      await this.users.endSessions(manager, userId, 'factor_reset');
      await this.audit.record(
        { action: 'user.second_factor_reset', recordType: 'user', recordId: userId, details: { hadFactor: removed } },
        manager,
      );
    });
    await this.revocations.revoke({ userId });
  }

  /**
   * For the admin's users page: per user, whether he is still invited (no password yet) and until
   * when his latest invitation works, and whether he has a second factor. Ids not found are absent.
   */
  async accountStates(userIds: string[]): Promise<Map<string, AccountState>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.users.accountStates(userIds);
    return new Map(
      rows.map((row) => [
        row.id,
        { invited: row.invited, invitationExpiresAt: row.invitation_expires_at, secondFactor: row.second_factor },
      ]),
    );
  }

  private async checkAgency(input: Pick<CreateUserDto, 'agencyId' | 'role'>): Promise<void> {
    const agency = await this.dataSource.getRepository(Agency).findOneBy({ id: input.agencyId });
    if (!agency) {
      throw new UnprocessableError('AGENCY_NOT_FOUND', 'agencyId does not name an agency', {
        fields: { agencyId: ['agencyId does not name an agency'] },
      });
    }
    const expectedKind = AGENCY_KIND_FOR_ROLE[input.role];
    if (agency.kind !== expectedKind) {
      throw new UnprocessableError(
        'ROLE_AGENCY_MISMATCH',
        `A ${input.role} must belong to a ${expectedKind} agency, not a ${agency.kind}`,
        { fields: { agencyId: [`a ${input.role} belongs to a ${expectedKind} agency`] } },
      );
    }
  }

  private async insertUser(
    manager: EntityManager,
    input: Omit<CreateUserDto, 'password'>,
    passwordHash: string | null,
    active: boolean,
  ): Promise<User> {
    const existing = await manager.getRepository(User).exists({ where: { email: input.email } });
    if (existing) throw new ConflictError('EMAIL_TAKEN', 'A user with this e-mail already exists');
    return manager.save(
      manager.create(User, { email: input.email, name: input.name, role: input.role, agencyId: input.agencyId, passwordHash, active }),
    );
  }

  async update(id: string, input: UpdateUserDto): Promise<UserView> {
    const view = await this.dataSource.transaction(async (manager) => {
      const user = await manager.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new NotFoundError('user');
      if (input.email && input.email !== user.email && (await manager.existsBy(User, { email: input.email }))) {
        throw new ConflictError('EMAIL_TAKEN', 'A user with this e-mail already exists');
      }
      if (input.email !== undefined) user.email = input.email;
      if (input.name !== undefined) user.name = input.name;
      if (input.active !== undefined && input.active !== user.active) {
        user.active = input.active;
        // Deactivation ends every session at once.
        if (!input.active) user.tokenVersion += 1;
      }
      await manager.save(user);
      if (input.active === false) {
        await this.users.endSessions(manager, id, 'deactivated');
        // An invitation or reset link still open must not bring the account back.
        await this.users.revokeOpenLinks(manager, id);
      }
      await this.audit.record({ action: 'user.update', recordType: 'user', recordId: id, details: changedFields(input) }, manager);
      return toUserView(user);
    });
    // Deactivated, or a new name or e-mail: no process goes on with the sessions as they were.
    await this.revocations.revoke({ userId: id });
    return view;
  }

  /** Ends every sign-in lock on the user's address, from whatever client; audited with who did it. */
  async unlock(id: string): Promise<void> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id });
    if (!user) throw new NotFoundError('user');
    await this.lockout.unlock(user.email);
    await this.audit.record({ action: 'user.unlock', recordType: 'user', recordId: id });
  }

  async list(limit: number, offset: number, role?: Role): Promise<Page<UserView>> {
    const [users, total] = await this.dataSource.getRepository(User).findAndCount({
      where: role ? { role } : {},
      order: { name: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items: users.map(toUserView), total };
  }

  async get(id: string): Promise<UserView> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id });
    if (!user) throw new NotFoundError('user');
    return toUserView(user);
  }
}

/** What an audit entry says of a change: the fields it set (and whether it (de)activated), never their values. */
function changedFields(input: UpdateUserDto): Record<string, unknown> {
  const fields = Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .map(([name]) => name);
  return input.active === undefined ? { fields } : { fields, active: input.active };
}
