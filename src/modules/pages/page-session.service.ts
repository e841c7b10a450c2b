import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { CookieOptions, Request, Response } from 'express';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { AppConfig } from '../../config/app-config';
import { AuthService } from '../auth/auth.service';
import { IDLE_TIMEOUT_SECONDS, MAX_SESSION_SECONDS } from '../auth/session-limits';
import { DomainError } from '../../common/errors/domain-error';
import { User } from '../users/user.entity';

export const SESSION_COOKIE = 'tl_session';
export const LOGIN_NONCE_COOKIE = 'tl_login';
export { IDLE_TIMEOUT_SECONDS, MAX_SESSION_SECONDS };
/** Re-issue the cookie at most this often, so a burst of requests does not sign a token each. */
export const RENEW_AFTER_SECONDS = 60;

/** Claims of AuthService's token that the page session reads: its kind, session id (CSRF binds to it) and age. */
interface PageClaims {
  typ?: string;
  sid?: string;
  iat?: number;
  /** Set while the user's role requires a second factor he has not set up: only its page opens. */
  enrol?: number;
}

/** Between a right password and the second factor's code: who, and which token version, for five minutes. */
export const PENDING_FACTOR_COOKIE = 'tl_factor';
const PENDING_FACTOR_SECONDS = 5 * 60;

export type SignInReason = 'idle' | 'ended' | 'none';

export interface PageSession {
  user: SignedInUser;
  sessionId: string;
  csrfToken: string;
  /** His role requires a second factor and he has none yet: every page but its set-up sends him there. */
  mustEnrol: boolean;
}

export type SessionCheck = { ok: true; session: PageSession } | { ok: false; reason: SignInReason };

/**
 * The browser's sign-in: an HttpOnly cookie holding an AuthService token for a server-side
 * session of kind `page` (so logout, password change, the 30-minute idle timeout and the 12-hour
 * limit end it exactly as they end an API token). The cookie's own expiry slides with activity.
 * CSRF tokens are an HMAC of the session id, so only pages we served can post.
 */
@Injectable()
export class PageSessionService {
  private readonly csrfKey: Buffer;

  constructor(
    private readonly auth: AuthService,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {
    this.csrfKey = createHmac('sha256', config.jwtSecret).update('throughline:pages:csrf').digest();
  }

  /** Starts a session for a user who has just proved who he is. */
  async start(req: Request, res: Response, user: User, options: { mustEnrol?: boolean } = {}): Promise<void> {
    const { token } = await this.auth.startSession(user, 'page', IDLE_TIMEOUT_SECONDS, pageClaims(Boolean(options.mustEnrol)));
    this.clearPendingFactor(req, res);
    this.setCookie(req, res, token);
  }

  /** The second factor is set up: the same session, without the set-up restriction. */
  async finishEnrolment(req: Request, res: Response, session: PageSession): Promise<void> {
    const token = await this.auth.issueSessionToken(session.user.id, {
      ttlSeconds: IDLE_TIMEOUT_SECONDS,
      claims: pageClaims(false),
      sessionId: session.sessionId,
    });
    if (token) this.setCookie(req, res, token);
  }

  /** A right password of a user with a second factor: a short-lived signed cookie until his code. */
  startPendingFactor(req: Request, res: Response, user: Pick<User, 'id' | 'tokenVersion'>): void {
    const token = this.jwt.sign(
      { typ: 'factor', sub: user.id, ver: user.tokenVersion },
      { secret: this.config.jwtSecret, algorithm: 'HS256', expiresIn: PENDING_FACTOR_SECONDS },
    );
    res.cookie(PENDING_FACTOR_COOKIE, token, { ...this.cookieOptions(req), maxAge: PENDING_FACTOR_SECONDS * 1000 });
  }

  /** Whose password was right in this browser in the last five minutes, if anyone's. */
  pendingFactor(req: Request): { userId: string; tokenVersion: number } | null {
    const token = (req.cookies as Record<string, string> | undefined)?.[PENDING_FACTOR_COOKIE];
    if (!token) return null;
    try {
      const claims = this.jwt.verify<{ typ?: string; sub?: string; ver?: number }>(token, {
        secret: this.config.jwtSecret,
        algorithms: ['HS256'],
      });
      return claims.typ === 'factor' && typeof claims.sub === 'string' && typeof claims.ver === 'number'
        ? { userId: claims.sub, tokenVersion: claims.ver }
        : null;
    } catch {
      return null;
    }
  }

  clearPendingFactor(req: Request, res: Response): void {
    if ((req.cookies as Record<string, string> | undefined)?.[PENDING_FACTOR_COOKIE])
      res.clearCookie(PENDING_FACTOR_COOKIE, this.cookieOptions(req));
  }

  /** Reads and checks the cookie; slides the idle timeout when the token is over a minute old. */
  async check(req: Request, res: Response): Promise<SessionCheck> {
    const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (!token) return { ok: false, reason: 'none' };
    const claims = this.jwt.decode<PageClaims | null>(token);
    let user: SignedInUser;
    try {
      user = await this.auth.authenticate(token, 'page');
    } catch (error) {
      this.clear(req, res);
      const idle = error instanceof DomainError && error.code === 'SESSION_IDLE';
      // A cookie past its own expiry was also left idle: the cookie slides with every request.
      return { ok: false, reason: idle || isJwtExpired(token, this.jwt) ? 'idle' : 'ended' };
    }
    if (!claims || claims.typ !== 'page' || !user.sessionId) {
      this.clear(req, res);
      return { ok: false, reason: 'ended' };
    }
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.iat === 'number' && now - claims.iat >= RENEW_AFTER_SECONDS) {
      const renewed = await this.auth.issueSessionToken(user.id, {
        ttlSeconds: IDLE_TIMEOUT_SECONDS,
        claims: pageClaims(Boolean(claims.enrol)),
        sessionId: user.sessionId,
      });
      if (!renewed) {
        this.clear(req, res);
        return { ok: false, reason: 'ended' };
      }
      this.setCookie(req, res, renewed);
    }
    return {
      ok: true,
      session: {
        user,
        sessionId: user.sessionId,
        csrfToken: this.csrfToken(`session:${user.sessionId}`),
        mustEnrol: Boolean(claims.enrol),
      },
    };
  }

  clear(req: Request, res: Response): void {
    res.clearCookie(SESSION_COOKIE, this.cookieOptions(req));
  }

  /** The sign-in form has no session yet: bind its token to a random nonce in a short-lived cookie. */
  loginCsrfToken(req: Request, res: Response): string {
    let nonce = (req.cookies as Record<string, string> | undefined)?.[LOGIN_NONCE_COOKIE];
    if (!nonce || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) {
      nonce = randomBytes(16).toString('base64url');
      res.cookie(LOGIN_NONCE_COOKIE, nonce, { ...this.cookieOptions(req), maxAge: 60 * 60 * 1000 });
    }
    return this.csrfToken(`login:${nonce}`);
  }

  loginCsrfValid(req: Request, submitted: unknown): boolean {
    const nonce = (req.cookies as Record<string, string> | undefined)?.[LOGIN_NONCE_COOKIE];
    if (!nonce) return false;
    return this.matches(this.csrfToken(`login:${nonce}`), submitted);
  }

  csrfValid(session: PageSession, submitted: unknown): boolean {
    return this.matches(session.csrfToken, submitted);
  }

  private csrfToken(binding: string): string {
    return createHmac('sha256', this.csrfKey).update(binding).digest('base64url');
  }

  private matches(expected: string, submitted: unknown): boolean {
    if (typeof submitted !== 'string') return false;
    const a = Buffer.from(expected);
    const b = Buffer.from(submitted);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private setCookie(req: Request, res: Response, token: string): void {
    res.cookie(SESSION_COOKIE, token, { ...this.cookieOptions(req), maxAge: IDLE_TIMEOUT_SECONDS * 1000 });
  }

  /** Secure whenever the browser reached us over HTTPS (directly or via a trusted proxy). */
  private cookieOptions(req: Request): CookieOptions {
    return { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' };
  }
}

function pageClaims(mustEnrol: boolean): Record<string, string | number> {
  return mustEnrol ? { typ: 'page', enrol: 1 } : { typ: 'page' };
}

function isJwtExpired(token: string, jwt: JwtService): boolean {
  const claims = jwt.decode<{ exp?: number } | null>(token);
  return typeof claims?.exp === 'number' && claims.exp * 1000 <= Date.now();
}
