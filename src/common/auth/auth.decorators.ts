import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { Role } from './role.enum';
import { SignedInUser } from './signed-in-user';

export const IS_PUBLIC = 'throughline:isPublic';
export const ALLOWED_ROLES = 'throughline:allowedRoles';

/** The route needs no sign-in (login, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route; others get 403. */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ALLOWED_ROLES, roles), ApiBearerAuth());

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): SignedInUser => {
  return ctx.switchToHttp().getRequest<{ user: SignedInUser }>().user;
});
