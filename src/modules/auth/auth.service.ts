import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, UnauthorizedError, UnprocessableError } from '../../common/errors/domain-error';
import { SignedInUser } from '../../common/context/request-context';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { PasswordHasher, UNKNOWN_USER_HASH } from '../users/password-hasher';
import { User } from '../users/user.entity';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

interface TokenClaims {
  sub: string;
  ver: number;
  role: string;
  agencyId: string;
}

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: { id: string; role: User['role']; agencyId: string; name: string; email: string };
}

const INVALID_CREDENTIALS = () => new UnauthorizedError('INVALID_CREDENTIALS', 'E-mail or password is wrong');

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  async login(email: string, password: string): Promise<LoginResult> {
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email })
      .getOne();
    if (!user || !user.active) {
      await PasswordHasher.verify(UNKNOWN_USER_HASH, password);
      await this.audit.record({ action: 'auth.login_failed', recordType: 'user', recordId: user?.id ?? null, actorUserId: null, actorRole: null, details: { reason: user ? 'inactive' : 'unknown_email' } });
      throw INVALID_CREDENTIALS();
    }
    if (user.lockedUntil && user.lockedUntil > new Date()) {
      throw this.lockedError(user.lockedUntil);
    }
    if (!(await PasswordHasher.verify(user.passwordHash, password))) {
      await this.recordFailedLogin(user);
      throw INVALID_CREDENTIALS();
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.update(User, { id: user.id }, { failedLoginCount: 0, lockedUntil: null });
      await this.audit.record({ action: 'auth.login', recordType: 'user', recordId: user.id, actorUserId: user.id, actorRole: user.role }, manager);
    });
    return this.issueToken(user);
  }

  /** Counts the failure atomically; the fifth in a row locks the account. */
  private async recordFailedLogin(user: User): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // TypeORM answers an UPDATE … RETURNING with [rows, affectedCount].
      const [rows] = (await manager.query(
        `UPDATE users
            SET failed_login_count = CASE WHEN failed_login_count + 1 >= $2 THEN 0 ELSE failed_login_count + 1 END,
                locked_until = CASE WHEN failed_login_count + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
          WHERE id = $1
          RETURNING locked_until`,
        [user.id, MAX_FAILED_LOGINS, LOCKOUT_MINUTES],
      )) as [Array<{ locked_until: Date | null }>, number];
      const lockedUntil = rows[0]?.locked_until ?? null;
      await this.audit.record(
        {
          action: lockedUntil ? 'auth.locked' : 'auth.login_failed',
          recordType: 'user',
          recordId: user.id,
          actorUserId: null,
          actorRole: null,
          details: lockedUntil ? { lockedUntil } : { reason: 'wrong_password' },
        },
        manager,
      );
    });
  }

  private lockedError(until: Date): DomainError {
    return new DomainError(
      'locked',
      'ACCOUNT_LOCKED',
      `This account is locked after ${MAX_FAILED_LOGINS} failed sign-ins until ${until.toISOString()}; an admin can help sooner`,
      { lockedUntil: until.toISOString() },
    );
  }

  private issueToken(user: User): LoginResult {
    const claims: TokenClaims = { sub: user.id, ver: user.tokenVersion, role: user.role, agencyId: user.agencyId };
    const accessToken = this.jwt.sign(claims, {
      algorithm: 'HS256',
      secret: this.config.jwtSecret,
      expiresIn: this.config.jwtTtlSeconds,
    });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.jwtTtlSeconds,
      user: { id: user.id, role: user.role, agencyId: user.agencyId, name: user.name, email: user.email },
    };
  }

  /**
   * A token for an already signed-in user with its own lifetime and extra claims (the pages'
   * cookie session slides a 30-minute idle timeout with it). Carries the current token version,
   * so logout and a password change end it like any other token. Null when the user is gone, or
   * when `version` is given and no longer current (a renewal must not outlive a logout).
   */
  async issueSessionToken(
    userId: string,
    options: { ttlSeconds: number; claims?: Record<string, string | number>; version?: number },
  ): Promise<string | null> {
    const user = await this.dataSource.getRepository(User).findOne({
      where: { id: userId },
      select: ['id', 'role', 'agencyId', 'tokenVersion', 'active'],
    });
    if (!user || !user.active) return null;
    if (options.version !== undefined && options.version !== user.tokenVersion) return null;
    const claims: TokenClaims = { sub: user.id, ver: user.tokenVersion, role: user.role, agencyId: user.agencyId };
    return this.jwt.sign(
      { ...options.claims, ...claims },
      { algorithm: 'HS256', secret: this.config.jwtSecret, expiresIn: options.ttlSeconds },
    );
  }

  /** Checks signature (HS256 only), expiry and token version; returns who is signed in. */
  async authenticate(token: string): Promise<SignedInUser> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, {
        algorithms: ['HS256'],
        secret: this.config.jwtSecret,
      });
    } catch {
      throw new UnauthorizedError('INVALID_TOKEN', 'The sign-in token is invalid or expired; sign in again');
    }
    const user = await this.dataSource.getRepository(User).findOne({
      where: { id: claims.sub },
      select: ['id', 'email', 'name', 'role', 'agencyId', 'tokenVersion', 'active'],
    });
    if (!user || !user.active || user.tokenVersion !== claims.ver) {
      throw new UnauthorizedError('INVALID_TOKEN', 'The sign-in token is no longer valid; sign in again');
    }
    return { id: user.id, email: user.email, name: user.name, role: user.role, agencyId: user.agencyId };
  }

  /** Ends every session of this user: earlier tokens carry an older version. */
  async logout(userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.increment(User, { id: userId }, 'tokenVersion', 1);
      await this.audit.record({ action: 'auth.logout', recordType: 'user', recordId: userId }, manager);
    });
  }

  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<LoginResult> {
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.id = :userId', { userId })
      .getOneOrFail();
    if (!(await PasswordHasher.verify(user.passwordHash, currentPassword))) {
      throw new UnprocessableError('WRONG_PASSWORD', 'currentPassword is wrong', {
        fields: { currentPassword: ['currentPassword is wrong'] },
      });
    }
    if (currentPassword === newPassword) {
      throw new UnprocessableError('SAME_PASSWORD', 'newPassword must differ from the current one', {
        fields: { newPassword: ['newPassword must differ from the current one'] },
      });
    }
    const passwordHash = await PasswordHasher.hash(newPassword);
    await this.dataSource.transaction(async (manager) => {
      await manager.update(User, { id: userId }, { passwordHash, tokenVersion: () => 'token_version + 1' });
      await this.audit.record({ action: 'auth.password_change', recordType: 'user', recordId: userId }, manager);
    });
    const updated = await this.dataSource.getRepository(User).findOneByOrFail({ id: userId });
    return this.issueToken(updated);
  }
}
