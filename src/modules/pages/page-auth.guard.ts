import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request, Response } from 'express';
import { RequestContext } from '../../common/context/request-context';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Role } from '../../common/auth/role.enum';
import { PageCsrfRejected, PageRoleRefused, PageSecondFactorSetupRequired, PageSignInRequired } from './page-errors';
import { PageSession, PageSessionService } from './page-session.service';

export type PageRequest = Request & { user?: SignedInUser; pageSession?: PageSession };

/**
 * The session the guard attached to a signed-in page's request. A request without one never
 * reaches such a handler; if it did, it is sent to sign in exactly as the guard would send it.
 */
export function signedInSession(req: PageRequest): PageSession {
  if (!req.pageSession) throw new PageSignInRequired('none');
  return req.pageSession;
}

/** The signed-in user of a page the guard let through (see `signedInSession`). */
export function signedInUser(req: PageRequest): SignedInUser {
  return signedInSession(req).user;
}

const PAGE_ROLES = 'throughline:pageRoles';
const PAGE_ANONYMOUS = 'throughline:pageAnonymous';

/** Only these roles may open the page (others get a 403 page). */
export const PageRoles = (...roles: Role[]) => SetMetadata(PAGE_ROLES, roles);

const PAGE_DURING_SETUP = 'throughline:pageDuringSecondFactorSetup';

/** The page opens while the user still has to set up his second factor (its own page, sign-out). */
export const PageDuringSecondFactorSetup = () => SetMetadata(PAGE_DURING_SETUP, true);

/** The page works without a session (sign-in); it checks its own CSRF token. */
export const PageAnonymous = () => SetMetadata(PAGE_ANONYMOUS, true);

/**
 * The pages' counterpart of the API's bearer guard: a valid session cookie (slid forward),
 * the page's roles, and on every POST the session's CSRF token in the `_csrf` field.
 */
@Injectable()
export class PageAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: PageSessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<PageRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    // Pages show personal data: never keep them in a shared or back-button cache.
    res.setHeader('Cache-Control', 'no-store');
    if (this.reflector.getAllAndOverride<boolean>(PAGE_ANONYMOUS, targets)) return true;

    const result = await this.sessions.check(req, res);
    if (!result.ok) throw new PageSignInRequired(result.reason);
    req.user = result.session.user;
    req.pageSession = result.session;
    RequestContext.setUser(result.session.user);

    if (result.session.mustEnrol && !this.reflector.getAllAndOverride<boolean>(PAGE_DURING_SETUP, targets))
      throw new PageSecondFactorSetupRequired();
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(PAGE_ROLES, targets);
    if (roles && !roles.includes(result.session.user.role)) throw new PageRoleRefused();
    if (req.method === 'POST' && !this.sessions.csrfValid(result.session, (req.body as Record<string, unknown> | undefined)?._csrf)) {
      throw new PageCsrfRejected();
    }
    return true;
  }
}
