import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError, UnprocessableError } from '../../common/errors/domain-error';
import { Page } from '../../common/http/pagination.dto';
import { Agency, AgencyKind } from '../agencies/agency.entity';
import { AuditService } from '../audit/audit.service';
import { SignInLockout } from '../auth/sign-in-lockout';
import { CreateUserDto, UpdateUserDto } from './create-user.dto';
import { PasswordHasher } from './password-hasher';
import { Role } from './role.enum';
import { User } from './user.entity';
import { toUserView, UserView } from './user.view';

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
  ) {}

  async create(input: CreateUserDto): Promise<UserView> {
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
    const passwordHash = await PasswordHasher.hash(input.password);
    return this.dataSource.transaction(async (manager) => {
      const existing = await manager.getRepository(User).exists({ where: { email: input.email } });
      if (existing) throw new ConflictError('EMAIL_TAKEN', 'A user with this e-mail already exists');
      const user = await manager.save(
        manager.create(User, {
          email: input.email,
          name: input.name,
          role: input.role,
          agencyId: input.agencyId,
          passwordHash,
        }),
      );
      await this.audit.record(
        {
          action: 'user.create',
          recordType: 'user',
          recordId: user.id,
          details: { role: user.role, agencyId: user.agencyId },
        },
        manager,
      );
      return toUserView(user);
    });
  }

  async update(id: string, input: UpdateUserDto): Promise<UserView> {
    return this.dataSource.transaction(async (manager) => {
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
        await manager.query(`UPDATE auth_sessions SET ended_at = now(), end_reason = 'deactivated' WHERE user_id = $1 AND ended_at IS NULL`, [id]);
      }
      await this.audit.record({ action: 'user.update', recordType: 'user', recordId: id, details: changedFields(input) }, manager);
      return toUserView(user);
    });
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
  const fields = Object.entries(input).filter(([, value]) => value !== undefined).map(([name]) => name);
  return input.active === undefined ? { fields } : { fields, active: input.active };
}
