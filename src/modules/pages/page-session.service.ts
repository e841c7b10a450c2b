import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { CookieOptions, Request, Response } from 'express';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignedInUser } from '../../common/context/request-context';
import { AppConfig } from '../../config/app-config';
import { AuthService } from '../auth/auth.service';

export const SESSION_COOKIE = 'tl_session';
export const LOGIN_NONCE_COOKIE = 'tl_login';
/** Signed out after this long without a request; every page view slides it. */
export const IDLE_TIMEOUT_SECONDS = 30 * 60;
/** Re-issue the cookie at most this often, so a burst of requests does not sign a token each. */
export const RENEW_AFTER_SECONDS = 60;
/** However active, sign in again after a working day. */
export const MAX_SESSION_SECONDS = 12 * 60 * 60;

/** Claims the page session adds to AuthService's token: a session id (CSRF binds to it) and its start. */
interface PageClaims {
  typ?: string;
  sid?: string;
  sst?: number;
  iat?: number;
  exp?: number;
  ver?: number;
}

export type SignInReason = 'idle' | 'ended' | 'none';

export interface PageSession {
  user: SignedInUser;
  sessionId: string;
  csrfToken: string;
}

export type SessionCheck = { ok: true; session: PageSession } | { ok: false; reason: SignInReason };

/**
 * The browser's sign-in: an HttpOnly cookie holding an AuthService token (same signature,
 * same token version, so logout and password change end it), with a 30-minute sliding idle
 * timeout. CSRF tokens are an HMAC of the session id, so only pages we served can post.
 */
@Injectable()
export class PageSessionService {
  private readonly csrfKey: Buffer;

  constructor(
    private readonly auth: AuthService,
    private readonly jwt: JwtService,
    config: AppConfig,
  ) {
    this.csrfKey = createHmac('sha256', config.jwtSecret).update('throughline:pages:csrf').digest();
  }

  /** Starts a session for a user who has just proved who he is. */
  async start(req: Request, res: Response, userId: string): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    const token = await this.auth.issueSessionToken(userId, {
      ttlSeconds: IDLE_TIMEOUT_SECONDS,
      claims: { typ: 'page', sid: randomBytes(16).toString('base64url'), sst: now },
    });
    if (token) this.setCookie(req, res, token);
  }

  /** Reads and checks the cookie; slides the idle timeout when the token is over a minute old. */
  async check(req: Request, res: Response): Promise<SessionCheck> {
    const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (!token) return { ok: false, reason: 'none' };
    const claims = this.jwt.decode<PageClaims | null>(token);
    let user: SignedInUser;
    try {
      user = await this.auth.authenticate(token);
    } catch {
      this.clear(req, res);
      const expired = typeof claims?.exp === 'number' && claims.exp * 1000 <= Date.now();
      return { ok: false, reason: expired ? 'idle' : 'ended' };
    }
    const now = Math.floor(Date.now() / 1000);
    if (!claims || claims.typ !== 'page' || !claims.sid || typeof claims.sst !== 'number' || now - claims.sst > MAX_SESSION_SECONDS) {
      this.clear(req, res);
      return { ok: false, reason: 'ended' };
    }
    if (typeof claims.iat === 'number' && now - claims.iat >= RENEW_AFTER_SECONDS) {
      const renewed = await this.auth.issueSessionToken(user.id, {
        ttlSeconds: IDLE_TIMEOUT_SECONDS,
        claims: { typ: 'page', sid: claims.sid, sst: claims.sst },
        version: claims.ver,
      });
      if (!renewed) {
        this.clear(req, res);
        return { ok: false, reason: 'ended' };
      }
      this.setCookie(req, res, renewed);
    }
    return { ok: true, session: { user, sessionId: claims.sid, csrfToken: this.csrfToken(`session:${claims.sid}`) } };
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
    return Boolean(nonce) && this.matches(this.csrfToken(`login:${nonce}`), submitted);
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
