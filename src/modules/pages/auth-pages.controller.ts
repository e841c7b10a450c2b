import { Body, Get, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Response } from 'express';
import { DomainError } from '../../common/errors/domain-error';
import { AuthService } from '../auth/auth.service';
import { LoginDto } from '../auth/login.dto';
import { Role } from '../../common/auth/role.enum';
import { PageAnonymous, PageDuringSecondFactorSetup, PageRequest, PageRoles, signedInUser } from './page-auth.guard';
import { PageFormPost, PagesController } from './page-controller.decorator';
import { PageCsrfRejected } from './page-errors';
import { safeNext } from './page-exception.filter';
import { FormBody, formText, plainEmptyMessages, validateForm } from './page-forms';
import { HOME_BY_ROLE, PageRenderer } from './page-renderer';
import { PageSessionService } from './page-session.service';

const SIGN_IN_NOTES: Record<string, string> = {
  idle: 'You were signed out after 30 minutes without activity. Sign in again to carry on.',
  ended: 'Your session has ended. Please sign in again.',
  signedOut: 'You have signed out.',
  passwordSet: 'Your password is set. Sign in with it now.',
  passwordReset: 'Your new password is set, and every earlier sign-in has ended. Sign in with it now.',
};

/** Sign-in, sign-out and the front door, which sends each role to its own home page. */
@PagesController()
export class AuthPagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: PageSessionService,
    private readonly renderer: PageRenderer,
  ) {}

  @Get()
  home(@Req() req: PageRequest, @Res() res: Response): void {
    res.redirect(303, HOME_BY_ROLE[signedInUser(req).role]);
  }

  @Get('welcome')
  @PageRoles(Role.Advocate)
  /** The advocate's first landing page before her own pages existed; kept for bookmarks. */
  welcome(@Res() res: Response): void {
    res.redirect(303, '/advocate');
  }

  @Get('login')
  @PageAnonymous()
  async loginForm(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Query('next') next?: string,
    @Query('reason') reason?: string,
  ): Promise<void> {
    const current = await this.sessions.check(req, res);
    if (current.ok) {
      res.redirect(303, safeNext(next) ?? HOME_BY_ROLE[current.session.user.role]);
      return;
    }
    this.renderLogin(req, res, { next: safeNext(next), note: reason ? (SIGN_IN_NOTES[reason] ?? null) : null });
  }

  @PageFormPost('login')
  @PageAnonymous()
  @UseGuards(ThrottlerGuard)
  async login(@Req() req: PageRequest, @Res() res: Response, @Body() body: FormBody): Promise<void> {
    const next = safeNext(formText(body, 'next'));
    const email = formText(body, 'email');
    if (!this.sessions.loginCsrfValid(req, body._csrf)) throw new PageCsrfRejected();
    const password = typeof body.password === 'string' ? body.password : '';
    const form = await validateForm(LoginDto, { email, password });
    if (form.errors) {
      const errors = plainEmptyMessages(
        form.errors,
        { email, password },
        { email: 'Enter your e-mail address', password: 'Enter your password' },
      );
      this.renderLogin(req, res, { next, email, errors }, 400);
      return;
    }
    try {
      const { user, factor } = await this.auth.checkPassword(form.value.email, form.value.password);
      if (factor === 'code') {
        // The password was right; the session starts only after the code (/login/code).
        this.sessions.startPendingFactor(req, res, user);
        res.redirect(303, next ? `/login/code?next=${encodeURIComponent(next)}` : '/login/code');
        return;
      }
      await this.sessions.start(req, res, user, { mustEnrol: factor === 'enrol' });
      res.redirect(303, factor === 'enrol' ? '/account/second-factor' : (next ?? HOME_BY_ROLE[user.role]));
    } catch (error) {
      if (!(error instanceof DomainError) || (error.kind !== 'unauthorized' && error.kind !== 'locked')) throw error;
      this.renderLogin(req, res, { next, email, problem: error.message }, error.kind === 'locked' ? 423 : 401);
    }
  }

  @PageFormPost('logout')
  @PageDuringSecondFactorSetup()
  async logout(@Req() req: PageRequest, @Res() res: Response): Promise<void> {
    // Ends this browser's session; the user's other devices stay signed in.
    await this.auth.logout(signedInUser(req));
    this.sessions.clear(req, res);
    res.redirect(303, '/login?reason=signedOut');
  }

  private renderLogin(
    req: PageRequest,
    res: Response,
    model: { next?: string | null; note?: string | null; email?: string; errors?: Record<string, string[]>; problem?: string },
    status = 200,
  ): void {
    this.renderer.render(req, res, 'login', { title: 'Sign in', csrfToken: this.sessions.loginCsrfToken(req, res), ...model }, status);
  }
}
