import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, UnauthorizedError, UnprocessableError } from '../../common/errors/domain-error';
import { RequestContext } from '../../common/context/request-context';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { PasswordHasher, UNKNOWN_USER_HASH } from '../users/password-hasher';
import { assertAcceptablePassword } from '../users/password-rules';
import { User } from '../users/user.entity';
import { AuthSession, AuthSessionEnd, AuthSessionKind } from './auth-session.entity';
import { AuthSessionsRepository } from './auth-sessions.repository';
import { IDLE_TIMEOUT_SECONDS, MAX_SESSION_SECONDS, TOUCH_AFTER_SECONDS } from './session-limits';
import { SecondFactorService } from './second-factor.service';
import { SessionRevocations } from './session-revocations';
import { MAX_FAILED_SIGN_INS, SignInLockout } from './sign-in-lockout';

interface TokenClaims {
  sub: string;
  /** The server-side session (auth_sessions.id). */
  sid: string;
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
const TOKEN_ENDED = () => new UnauthorizedError('INVALID_TOKEN', 'The sign-in token is no longer valid; sign in again');

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly lockout: SignInLockout,
    private readonly secondFactor: SecondFactorService,
    private readonly revocations: SessionRevocations,
    private readonly sessions: AuthSessionsRepository,
  ) {}

  /**
   * The API's sign-in. A user with a second factor (enrolled, or required for his role) gets a
   * token only with a right `code`; one whose role requires it and who has not set it up yet is
   * sent to the pages to set it up (the API has no token to give him before that).
   */
  async login(email: string, password: string, code?: string): Promise<LoginResult> {
    const { user, factor } = await this.checkPassword(email, password);
    if (factor === 'enrol') {
      throw new DomainError(
        'forbidden',
        'SECOND_FACTOR_SETUP_REQUIRED',
        `Your role signs in with a second factor: sign in once at ${this.config.publicUrl}/login to set it up, then use the API with its code`,
      );
    }
    if (factor === 'code') {
      if (!code)
        throw new UnauthorizedError(
          'SECOND_FACTOR_REQUIRED',
          'Send the 6-digit code of your authenticator app (or a recovery code) as `code`',
        );
      await this.checkSecondFactor(user, code);
    }
    const { token } = await this.startSession(user, 'api', this.apiTokenTtlSeconds);
    return this.loginResult(user, token);
  }

  /** Password only (kept for callers that need no second factor decision). */
  async verifyCredentials(email: string, password: string): Promise<User> {
    return (await this.checkPassword(email, password)).user;
  }

  /**
   * Checks e-mail and password. Five failures in a row from one client address lock that address
   * out of this e-mail for 10 minutes (SignInLockout). The lock is checked before anything else, so
   * a locked answer is the same, and takes the same time, whether the e-mail names an account or
   * not; and an unknown e-mail is counted and locked like a real one.
   *
   * `factor` says what must follow: nothing (signed in: audited, the count starts again), a code
   * (the count is left as it is, so a wrong code counts on from the failures before it), or
   * setting the factor up (his role requires one he does not have yet).
   */
  async checkPassword(email: string, password: string): Promise<{ user: User; factor: 'none' | 'code' | 'enrol' }> {
    const client = clientAddress();
    const lockedUntil = await this.lockout.lockedUntil(email, client);
    if (lockedUntil) throw this.lockedError(lockedUntil);
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email })
      .getOne();
    if (!user || !user.active || !user.passwordHash) {
      await PasswordHasher.verify(UNKNOWN_USER_HASH, password);
      await this.recordFailedSignIn(email, client, user ?? null, user ? 'inactive' : 'unknown_email');
      throw INVALID_CREDENTIALS();
    }
    if (!(await PasswordHasher.verify(user.passwordHash, password))) {
      await this.recordFailedSignIn(email, client, user, 'wrong_password');
      throw INVALID_CREDENTIALS();
    }
    if (await this.secondFactor.isEnrolled(user.id)) return { user, factor: 'code' };
    await this.lockout.recordSuccess(email, client);
    await this.audit.record({ action: 'auth.login', recordType: 'user', recordId: user.id, actorUserId: user.id, actorRole: user.role });
    return { user, factor: this.secondFactor.requiredFor(user.role) ? 'enrol' : 'none' };
  }

  /**
   * Who is between his password and his code (the pages keep his id and token version for a few
   * minutes). Null when he was deactivated or his password changed meanwhile: he starts again.
   */
  async awaitingSecondFactor(userId: string, tokenVersion: number): Promise<User | null> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id: userId, active: true });
    return user && user.tokenVersion === tokenVersion ? user : null;
  }

  /**
   * The second step: a code from his app or a recovery code. A wrong one counts against the same
   * lock as a wrong password (address + client), so the code cannot be guessed either.
   */
  async checkSecondFactor(user: Pick<User, 'id' | 'email' | 'role'>, code: string): Promise<void> {
    const client = clientAddress();
    const lockedUntil = await this.lockout.lockedUntil(user.email, client);
    if (lockedUntil) throw this.lockedError(lockedUntil);
    const result = await this.secondFactor.check(user.id, code);
    if (!result.ok) {
      const locked = await this.lockout.recordFailure(user.email, client);
      await this.audit.record({
        action: locked ? 'auth.locked' : 'auth.second_factor_failed',
        recordType: 'user',
        recordId: user.id,
        actorUserId: null,
        actorRole: null,
        details: locked ? { reason: 'wrong_code', lockedUntil: locked } : { reason: 'wrong_code' },
      });
      if (locked) throw this.lockedError(locked);
      throw new UnauthorizedError(
        'SECOND_FACTOR_WRONG',
        'That code is not right; type the 6 digits your app shows now, or a recovery code',
      );
    }
    await this.lockout.recordSuccess(user.email, client);
    await this.audit.record({
      action: 'auth.login',
      recordType: 'user',
      recordId: user.id,
      actorUserId: user.id,
      actorRole: user.role,
      details: { secondFactor: result.method },
    });
  }

  /** Counts the failure for this address and client; the fifth in a row locks the pair. */
  private async recordFailedSignIn(
    email: string,
    client: string,
    user: User | null,
    reason: 'inactive' | 'unknown_email' | 'wrong_password' | 'wrong_current_password',
  ): Promise<void> {
    const lockedUntil = await this.lockout.recordFailure(email, client);
    await this.audit.record({
      action: lockedUntil ? 'auth.locked' : reason === 'wrong_current_password' ? 'auth.password_change_failed' : 'auth.login_failed',
      recordType: 'user',
      recordId: user?.id ?? null,
      actorUserId: reason === 'wrong_current_password' ? undefined : null,
      actorRole: reason === 'wrong_current_password' ? undefined : null,
      details: lockedUntil ? { reason, lockedUntil } : { reason },
    });
  }

  private lockedError(until: Date): DomainError {
    return new DomainError(
      'locked',
      'ACCOUNT_LOCKED',
      `After ${MAX_FAILED_SIGN_INS} failed sign-ins from this address, it is locked out of this account until ${until.toISOString()}; try again then, or ask an admin to unlock it`,
      { lockedUntil: until.toISOString() },
    );
  }

  /** A bearer token never outlives the session's absolute limit. */
  private get apiTokenTtlSeconds(): number {
    return Math.min(this.config.jwtTtlSeconds, MAX_SESSION_SECONDS);
  }

  private loginResult(user: User, accessToken: string): LoginResult {
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.apiTokenTtlSeconds,
      user: { id: user.id, role: user.role, agencyId: user.agencyId, name: user.name, email: user.email },
    };
  }

  private signToken(
    user: Pick<User, 'id' | 'tokenVersion' | 'role' | 'agencyId'>,
    sessionId: string,
    ttlSeconds: number,
    extra: Record<string, string | number> = {},
  ): string {
    const claims: TokenClaims = { sub: user.id, sid: sessionId, ver: user.tokenVersion, role: user.role, agencyId: user.agencyId };
    return this.jwt.sign({ ...extra, ...claims }, { algorithm: 'HS256', expiresIn: ttlSeconds });
  }

  /** Opens a server-side session for a user who has just proved who he is, and signs its token. */
  async startSession(
    user: Pick<User, 'id' | 'tokenVersion' | 'role' | 'agencyId'>,
    kind: AuthSessionKind,
    ttlSeconds: number,
    extra: Record<string, string | number> = {},
  ): Promise<{ token: string; sessionId: string }> {
    const session = await this.dataSource.getRepository(AuthSession).save({
      userId: user.id,
      kind,
      ipAddress: RequestContext.current()?.ipAddress ?? null,
    });
    return { token: this.signToken(user, session.id, ttlSeconds, extra), sessionId: session.id };
  }

  /**
   * A token for an already signed-in user: with `sessionId`, a fresh token for that session (the
   * pages' cookie slides its idle timeout this way); without, a new API session (the bench and
   * tools). Null when the user or the session is gone, ended, idle or too old.
   */
  async issueSessionToken(
    userId: string,
    options: { ttlSeconds: number; claims?: Record<string, string | number>; sessionId?: string },
  ): Promise<string | null> {
    const user = await this.dataSource.getRepository(User).findOne({
      where: { id: userId },
      select: ['id', 'role', 'agencyId', 'tokenVersion', 'active'],
    });
    if (!user || !user.active) return null;
    if (!options.sessionId) return (await this.startSession(user, 'api', options.ttlSeconds, options.claims)).token;
    const live = await this.sessions.isLive(options.sessionId, userId, IDLE_TIMEOUT_SECONDS, MAX_SESSION_SECONDS);
    return live ? this.signToken(user, options.sessionId, options.ttlSeconds, options.claims) : null;
  }

  /**
   * Checks signature (HS256 only), expiry, token version and the server-side session: refused when
   * ended, idle for 30 minutes, started over 12 hours ago, or of another kind (a page cookie's
   * token opens no API route, and an API token no page). Returns who is signed in.
   */
  async authenticate(token: string, kind: AuthSessionKind = 'api'): Promise<SignedInUser> {
    // The same token checked a moment ago: trusted for a few seconds while this process hears every
    // revocation (SessionRevocations), so a burst of requests costs one database check, not one each.
    const cacheKey = `${kind} ${token}`;
    const cached = this.revocations.cache.get(cacheKey);
    if (cached) return cached;
    const checkpoint = this.revocations.cache.checkpoint();
    let claims: TokenClaims & { exp?: number };
    try {
      claims = await this.jwt.verifyAsync<TokenClaims & { exp?: number }>(token, {
        algorithms: ['HS256'],
      });
    } catch {
      throw new UnauthorizedError('INVALID_TOKEN', 'The sign-in token is invalid or expired; sign in again');
    }
    if (!isUuid(claims.sub) || !isUuid(claims.sid)) throw TOKEN_ENDED();
    const row = await this.sessions.sessionOf(claims.sub, claims.sid, IDLE_TIMEOUT_SECONDS, MAX_SESSION_SECONDS, TOUCH_AFTER_SECONDS);
    if (!row || !row.active || row.token_version !== claims.ver || row.ended_at || row.kind !== kind) throw TOKEN_ENDED();
    if (row.idle || row.too_old) {
      const reason: AuthSessionEnd = row.idle ? 'idle' : 'max_age';
      await this.endSessions({ sessionId: claims.sid }, reason);
      throw reason === 'idle'
        ? new UnauthorizedError('SESSION_IDLE', 'Signed out after 30 minutes without activity; sign in again')
        : new UnauthorizedError('SESSION_EXPIRED', 'Sessions end 12 hours after sign-in; sign in again');
    }
    if (row.touch) await this.sessions.touch(claims.sid);
    const user: SignedInUser = {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      agencyId: row.agency_id,
      sessionId: claims.sid,
    };
    const tokenLeftMs = claims.exp ? claims.exp * 1000 - Date.now() : 0;
    this.revocations.cache.put(cacheKey, user, checkpoint, Math.min(row.valid_for_ms, tokenLeftMs));
    return user;
  }

  /** Ends this session only: the user's other devices stay signed in. */
  async logout(user: SignedInUser): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (user.sessionId) await this.endSessions({ sessionId: user.sessionId }, 'logout', manager);
      await this.audit.record(
        { action: 'auth.logout', recordType: 'user', recordId: user.id, details: { sessionId: user.sessionId ?? null } },
        manager,
      );
    });
    if (user.sessionId) await this.revocations.revoke({ sessionId: user.sessionId });
  }

  /** Ends sessions (one, or every open one of a user) with a reason; already ended ones keep theirs. */
  async endSessions(
    which: { sessionId: string } | { userId: string },
    reason: AuthSessionEnd,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    if ('sessionId' in which) await this.sessions.end(manager, 'id', which.sessionId, reason);
    else await this.sessions.end(manager, 'user_id', which.userId, reason);
  }

  /** A wrong currentPassword counts against the same lock as a wrong sign-in: a stolen token cannot guess on. */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<LoginResult> {
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.id = :userId', { userId })
      .getOneOrFail();
    const client = clientAddress();
    const lockedUntil = await this.lockout.lockedUntil(user.email, client);
    if (lockedUntil) throw this.lockedError(lockedUntil);
    if (!user.passwordHash || !(await PasswordHasher.verify(user.passwordHash, currentPassword))) {
      await this.recordFailedSignIn(user.email, client, user, 'wrong_current_password');
      throw new UnprocessableError('WRONG_PASSWORD', 'currentPassword is wrong', {
        fields: { currentPassword: ['currentPassword is wrong'] },
      });
    }
    await this.lockout.recordSuccess(user.email, client);
    if (currentPassword === newPassword) {
      throw new UnprocessableError('SAME_PASSWORD', 'newPassword must differ from the current one', {
        fields: { newPassword: ['newPassword must differ from the current one'] },
      });
    }
    assertAcceptablePassword(newPassword, { email: user.email, name: user.name }, 'newPassword');
    const passwordHash = await PasswordHasher.hash(newPassword);
    await this.dataSource.transaction(async (manager) => {
      // Every earlier session ends: a new version refuses their tokens, and the rows say why.
      await manager.update(User, { id: userId }, { passwordHash, tokenVersion: () => 'token_version + 1' });
      await this.endSessions({ userId }, 'password_change', manager);
      await this.audit.record({ action: 'auth.password_change', recordType: 'user', recordId: userId }, manager);
    });
    await this.revocations.revoke({ userId });
    const updated = await this.dataSource.getRepository(User).findOneByOrFail({ id: userId });
    const { token } = await this.startSession(updated, 'api', this.apiTokenTtlSeconds);
    return this.loginResult(updated, token);
  }
}

/** The caller's address as the request context has it (TRUST_PROXY decides whether a proxy may say). */
function clientAddress(): string {
  return RequestContext.current()?.ipAddress ?? 'unknown';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
