import { applyDecorators, Controller, createParamDecorator, ExecutionContext, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../common/auth/auth.decorators';
import { InputScreenGuard, ScreensInputAfterPageSession } from '../../common/http/input-screen.guard';
import { Role } from '../../common/auth/role.enum';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { PageAuthGuard, PageRequest, PageRoles, signedInUser } from './page-auth.guard';
import { PageExceptionFilter } from './page-exception.filter';
import { FormBody } from './page-forms';

/**
 * A controller of server-rendered pages: kept out of the API docs, not behind the API's bearer
 * guard but the pages' own (session cookie, CSRF on POST), and its errors drawn as pages. Who may
 * open it is said beside it with PageRoles.
 */
export function PagesController(path?: string): ClassDecorator {
  return applyDecorators(
    ApiExcludeController(),
    Public(),
    path === undefined ? Controller() : Controller(path),
    // The input screen after the session's guard: a visitor not signed in is sent to sign in first.
    ScreensInputAfterPageSession(),
    UseGuards(PageAuthGuard, InputScreenGuard),
    UseFilters(PageExceptionFilter),
  );
}

/**
 * A page form's POST: it answers 200 and draws its own refusals (a form drawn again with its
 * problems, 4xx), or redirects once it is done; Nest's 201 for a POST would say neither. The roles
 * given here replace the controller's for this form; none given, the controller's stand.
 */
export function PageFormPost(path?: string, ...roles: Role[]): MethodDecorator {
  return applyDecorators(path === undefined ? Post() : Post(path), ...(roles.length > 0 ? [PageRoles(...roles)] : []), HttpCode(200));
}

/** What a signed-in page's form handler reads first: who sent it, and the fields he sent. */
export interface SignedInForm {
  user: SignedInUser;
  body: FormBody;
}

/**
 * Hands a form handler its `SignedInForm`. Only on pages behind the session (the guard has run);
 * a page without one (sign-in) reads its body with `@Body()`.
 */
export const SignedInForm = createParamDecorator((_: unknown, context: ExecutionContext): SignedInForm => {
  const req = context.switchToHttp().getRequest<PageRequest>();
  return { user: signedInUser(req), body: (req.body as FormBody | undefined) ?? {} };
});

/**
 * The plain values of a page's address: its filters, or the flags a form redirected with (`?saved=1`). Only plain
 * values, so a repeated flag (`?saved=1&saved=1`) counts as absent, as `@Query(name)` compared it.
 */
export type PageFlags = Readonly<Record<string, string | undefined>>;

export const PageFlags = createParamDecorator((_: unknown, context: ExecutionContext): PageFlags => {
  const query = context.switchToHttp().getRequest<PageRequest>().query;
  return Object.fromEntries(Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
});
