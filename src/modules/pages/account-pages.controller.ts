import { Body, Get, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Response } from 'express';
import { DomainError } from '../../common/errors/domain-error';
import { AccountLinksService } from '../auth/account-links.service';
import { AuthService } from '../auth/auth.service';
import { LinkPasswordDto, PasswordResetRequestDto } from '../auth/login.dto';
import { SecondFactorService } from '../auth/second-factor.service';
import { PageAnonymous, PageDuringSecondFactorSetup, PageRequest, signedInSession } from './page-auth.guard';
import { PageFormPost, PagesController } from './page-controller.decorator';
import { PageCsrfRejected } from './page-errors';
import { safeNext } from './page-exception.filter';
import { domainFieldErrors, FormBody, formText, plainEmptyMessages, validateForm } from './page-forms';
import { usDateTime } from '../../common/dates';
import { AppConfig } from '../../config/app-config';
import { HOME_BY_ROLE, PageRenderer } from './page-renderer';
import { PageSessionService } from './page-session.service';

type LinkPage = 'invitation' | 'reset';

const LINK_PAGES: Record<LinkPage, { action: string; title: string; heading: string; intro: string; button: string; done: string }> = {
  invitation: {
    action: '/invitation',
    title: 'Choose your password',
    heading: 'Choose your password',
    intro: 'Welcome to Throughline. Choose the password you will sign in with.',
    button: 'Set my password',
    done: 'passwordSet',
  },
  reset: {
    action: '/password-reset/new',
    title: 'Choose a new password',
    heading: 'Choose a new password',
    intro: 'Choose a new password. It signs you out on every other device.',
    button: 'Set the new password',
    done: 'passwordReset',
  },
};

/**
 * The account pages: the second step of signing in (the code), forgotten passwords, the pages an
 * invitation's and a reset's links open, and setting up the second factor.
 */
@PagesController()
export class AccountPagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly links: AccountLinksService,
    private readonly secondFactor: SecondFactorService,
    private readonly sessions: PageSessionService,
    private readonly renderer: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get('login/code')
  @PageAnonymous()
  codeForm(@Req() req: PageRequest, @Res() res: Response, @Query('next') next?: string): void {
    if (!this.sessions.pendingFactor(req)) return res.redirect(303, '/login');
    this.renderCode(req, res, { next: safeNext(next) });
  }

  @PageFormPost('login/code')
  @PageAnonymous()
  @UseGuards(ThrottlerGuard)
  async code(@Req() req: PageRequest, @Res() res: Response, @Body() body: FormBody): Promise<void> {
    if (!this.sessions.loginCsrfValid(req, body._csrf)) throw new PageCsrfRejected();
    const next = safeNext(formText(body, 'next'));
    const pending = this.sessions.pendingFactor(req);
    const user = pending ? await this.auth.awaitingSecondFactor(pending.userId, pending.tokenVersion) : null;
    // Five minutes after the password, or after a password change or deactivation meanwhile: from the start.
    if (!user) {
      res.redirect(303, '/login?reason=ended');
      return;
    }
    const code = formText(body, 'code');
    if (!code) {
      this.renderCode(req, res, { next, errors: { code: ['Type the code from the app'] } }, 400);
      return;
    }
    try {
      await this.auth.checkSecondFactor(user, code);
    } catch (error) {
      if (!(error instanceof DomainError) || (error.kind !== 'unauthorized' && error.kind !== 'locked')) throw error;
      if (error.kind === 'locked') this.sessions.clearPendingFactor(req, res);
      this.renderCode(req, res, { next, problem: error.message }, error.kind === 'locked' ? 423 : 401);
      return;
    }
    await this.sessions.start(req, res, user);
    res.redirect(303, next ?? HOME_BY_ROLE[user.role]);
  }

  @Get('password-reset')
  @PageAnonymous()
  resetForm(@Req() req: PageRequest, @Res() res: Response): void {
    this.renderResetRequest(req, res, {});
  }

  @PageFormPost('password-reset')
  @PageAnonymous()
  async requestReset(@Req() req: PageRequest, @Res() res: Response, @Body() body: FormBody): Promise<void> {
    if (!this.sessions.loginCsrfValid(req, body._csrf)) throw new PageCsrfRejected();
    const email = formText(body, 'email');
    const form = await validateForm(PasswordResetRequestDto, { email });
    if (form.errors) {
      this.renderResetRequest(
        req,
        res,
        { email, errors: plainEmptyMessages(form.errors, { email }, { email: 'Enter your e-mail address' }) },
        400,
      );
      return;
    }
    try {
      await this.links.requestPasswordReset(form.value.email);
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'too_many_requests') throw error;
      this.renderResetRequest(
        req,
        res,
        { email, problem: 'Too many requests for a new password from here or for this address: try again in an hour.' },
        429,
      );
      return;
    }
    this.renderResetRequest(req, res, { sent: `If an account has the address ${form.value.email}, an e-mail with a link is on its way.` });
  }

  @Get('password-reset/new')
  @PageAnonymous()
  resetPasswordForm(@Req() req: PageRequest, @Res() res: Response): void {
    this.renderLinkPage(req, res, 'reset', {});
  }

  @PageFormPost('password-reset/new')
  @PageAnonymous()
  @UseGuards(ThrottlerGuard)
  resetPassword(@Req() req: PageRequest, @Res() res: Response, @Body() body: FormBody): Promise<void> {
    return this.spendLink(req, res, body, 'reset');
  }

  @Get('invitation')
  @PageAnonymous()
  invitationForm(@Req() req: PageRequest, @Res() res: Response): void {
    this.renderLinkPage(req, res, 'invitation', {});
  }

  @PageFormPost('invitation')
  @PageAnonymous()
  @UseGuards(ThrottlerGuard)
  acceptInvitation(@Req() req: PageRequest, @Res() res: Response, @Body() body: FormBody): Promise<void> {
    return this.spendLink(req, res, body, 'invitation');
  }

  @Get('account/second-factor')
  @PageDuringSecondFactorSetup()
  async secondFactorPage(@Req() req: PageRequest, @Res() res: Response): Promise<void> {
    const session = signedInSession(req);
    const status = await this.secondFactor.status(session.user.id, session.user.role);
    if (status.enrolled) {
      this.renderer.render(req, res, 'second-factor', {
        title: 'Second factor',
        enrolled: true,
        enrolledAt: usDateTime(status.enrolledAt, this.config.programTimeZone),
        recoveryCodesLeft: status.recoveryCodesLeft,
      });
      return;
    }
    await this.renderEnrolment(req, res, {});
  }

  @PageFormPost('account/second-factor')
  @PageDuringSecondFactorSetup()
  async enrol(@Req() req: PageRequest, @Res() res: Response, @Body() body: FormBody): Promise<void> {
    const session = signedInSession(req);
    const code = formText(body, 'code');
    if (!code) return this.renderEnrolment(req, res, { errors: { code: ['Type the 6 digits the app shows'] } }, 400);
    let recoveryCodes: string[];
    try {
      ({ recoveryCodes } = await this.secondFactor.confirmEnrolment(session.user.id, code));
    } catch (error) {
      const fields = domainFieldErrors(error);
      if (!fields) throw error;
      return this.renderEnrolment(req, res, { errors: fields }, 422);
    }
    if (session.mustEnrol) await this.sessions.finishEnrolment(req, res, session);
    this.renderer.render(req, res, 'second-factor', { title: 'Second factor', recoveryCodes, continueTo: HOME_BY_ROLE[session.user.role] });
  }

  private async renderEnrolment(
    req: PageRequest,
    res: Response,
    model: { errors?: Record<string, string[]> },
    status = 200,
  ): Promise<void> {
    const session = signedInSession(req);
    const enrolment = await this.secondFactor.startEnrolment(session.user);
    this.renderer.render(
      req,
      res,
      'second-factor',
      { title: 'Set up the second factor', mustEnrol: session.mustEnrol, ...enrolment, ...model },
      status,
    );
  }

  private async spendLink(req: PageRequest, res: Response, body: FormBody, page: LinkPage): Promise<void> {
    if (!this.sessions.loginCsrfValid(req, body._csrf)) throw new PageCsrfRejected();
    const token = formText(body, 'token');
    const password = typeof body.password === 'string' ? body.password : '';
    const passwordConfirm = typeof body.passwordConfirm === 'string' ? body.passwordConfirm : '';
    const form = await validateForm(LinkPasswordDto, { token, password });
    const errors = form.errors
      ? plainEmptyMessages(form.errors, { token, password }, { token: 'Open the link from the e-mail', password: 'Choose a password' })
      : {};
    if (!form.errors && password !== passwordConfirm) errors.passwordConfirm = ['The two passwords are not the same'];
    if (Object.keys(errors).length) {
      this.renderLinkPage(req, res, page, { token, errors }, 400);
      return;
    }
    try {
      if (page === 'invitation') await this.links.acceptInvitation(token, password);
      else await this.links.resetPassword(token, password);
    } catch (error) {
      const fields = domainFieldErrors(error);
      if (!fields) throw error;
      this.renderLinkPage(
        req,
        res,
        page,
        {
          token,
          errors: fields,
          problem:
            'token' in fields
              ? 'This link no longer works: it was used, has run out, or a newer one was sent. Ask for a new one.'
              : undefined,
        },
        422,
      );
      return;
    }
    // A reset also ended this browser's session, if it had one.
    this.sessions.clear(req, res);
    res.redirect(303, `/login?reason=${LINK_PAGES[page].done}`);
  }

  private renderLinkPage(
    req: PageRequest,
    res: Response,
    page: LinkPage,
    model: { token?: string; errors?: Record<string, string[]>; problem?: string },
    status = 200,
  ): void {
    const { title, heading, intro, button, action } = LINK_PAGES[page];
    this.renderer.render(
      req,
      res,
      'set-password',
      { title, heading, intro, button, action, csrfToken: this.sessions.loginCsrfToken(req, res), ...model },
      status,
    );
  }

  private renderResetRequest(
    req: PageRequest,
    res: Response,
    model: { email?: string; errors?: Record<string, string[]>; problem?: string; sent?: string },
    status = 200,
  ): void {
    this.renderer.render(
      req,
      res,
      'password-reset',
      { title: 'Forgot password', csrfToken: this.sessions.loginCsrfToken(req, res), ...model },
      status,
    );
  }

  private renderCode(
    req: PageRequest,
    res: Response,
    model: { next?: string | null; errors?: Record<string, string[]>; problem?: string },
    status = 200,
  ): void {
    this.renderer.render(
      req,
      res,
      'second-factor-code',
      { title: 'Sign-in code', csrfToken: this.sessions.loginCsrfToken(req, res), ...model },
      status,
    );
  }
}
