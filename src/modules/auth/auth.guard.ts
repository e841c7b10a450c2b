import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { ALLOWED_ROLES, IS_PUBLIC } from '../../common/auth/auth.decorators';
import { ForbiddenError, UnauthorizedError } from '../../common/errors/domain-error';
import { RequestContext } from '../../common/context/request-context';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Role } from '../../common/auth/role.enum';
import { AuthService } from './auth.service';

/** Global: every route needs a valid bearer token unless marked @Public(); @Roles narrows it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & { user?: SignedInUser }>();
    const token = bearerToken(request);
    if (!token) throw new UnauthorizedError('SIGN_IN_REQUIRED', 'Sign in first: send Authorization: Bearer <token>');
    const user = await this.auth.authenticate(token);
    request.user = user;
    RequestContext.setUser(user);

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (roles && !roles.includes(user.role)) throw new ForbiddenError();
    return true;
  }
}

function bearerToken(request: Request): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
  return match ? match[1] : null;
}
