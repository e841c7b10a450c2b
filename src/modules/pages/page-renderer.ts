import { Injectable, Logger } from '@nestjs/common';
import { NoticeInboxService } from '../notices/notice-inbox.service';
import { Response } from 'express';
import { Role } from '../../common/auth/role.enum';
import { PageRequest } from './page-auth.guard';
import { ROLE_LABELS } from './page-format';
import { RequestContext } from '../../common/context/request-context';

interface NavLink {
  href: string;
  label: string;
  /** The link shows how many notices wait to be acknowledged. */
  inbox?: true;
}

const NAV: Record<Role, NavLink[]> = {
  [Role.Admin]: [
    { href: '/referrals', label: 'Referrals' },
    { href: '/intake', label: 'New referral' },
    { href: '/groups', label: 'Groups' },
    { href: '/sessions', label: 'Sessions' },
    { href: '/notices', label: 'Notices' },
    { href: '/accountability', label: 'Accountability' },
    { href: '/admin/users', label: 'Users' },
    { href: '/admin/agencies', label: 'Agencies' },
    { href: '/admin/policies', label: 'Policies' },
    { href: '/admin/queues', label: 'Queues' },
  ],
  [Role.Facilitator]: [{ href: '/sessions', label: 'My sessions' }],
  [Role.ProbationOfficer]: [
    { href: '/caseload', label: 'My caseload' },
    { href: '/inbox', label: 'Inbox', inbox: true },
    { href: '/accountability', label: 'Accountability' },
  ],
  [Role.CourtClerk]: [
    { href: '/lookup', label: 'Case lookup' },
    { href: '/inbox', label: 'Inbox', inbox: true },
    { href: '/accountability', label: 'Accountability' },
  ],
  [Role.Advocate]: [{ href: '/advocate', label: 'Victim notification' }],
  [Role.Coordinator]: [
    { href: '/coordinator', label: 'Responses' },
    { href: '/accountability', label: 'Accountability' },
  ],
};

/** Where each role lands after signing in. */
export const HOME_BY_ROLE: Record<Role, string> = {
  [Role.Admin]: '/referrals',
  [Role.Facilitator]: '/sessions',
  [Role.ProbationOfficer]: '/caseload',
  [Role.CourtClerk]: '/lookup',
  [Role.Advocate]: '/advocate',
  [Role.Coordinator]: '/coordinator',
};

/** Renders a view inside the layout with who is signed in, the role's navigation and the CSRF token. */
@Injectable()
export class PageRenderer {
  private readonly logger = new Logger('Pages');

  constructor(private readonly inboxes: NoticeInboxService) {}

  /**
   * Recipients see their inbox's count on every page, so it is counted first; a failed count
   * (the database going away) leaves the number out rather than the page.
   */
  render(req: PageRequest, res: Response, view: string, model: { title: string } & Record<string, unknown>, status = 200): void {
    const count = this.inboxCount(req);
    if (!count) return this.renderNow(req, res, view, model, status, null);
    count.then(
      (count) => this.renderNow(req, res, view, model, status, count),
      () => this.renderNow(req, res, view, model, status, null),
    );
  }

  /**
   * Starts the inbox's count at once, for a page read that renders after reads of its own (the
   * caseload, the referral page): the count goes beside them, not in turn after them. Only where
   * nothing the page does before rendering changes the inbox (a GET).
   */
  countInboxNow(req: PageRequest): void {
    void this.inboxCount(req)?.catch(() => undefined);
  }

  /** The signed-in recipient's inbox count, asked once per request; none for a role without an inbox. */
  private inboxCount(req: PageRequest): Promise<number> | null {
    const user = req.pageSession?.user ?? null;
    if (!user || !NAV[user.role].some((link) => link.inbox)) return null;
    return RequestContext.remember(`inbox count ${user.id}`, () => this.inboxes.unacknowledgedCount(user));
  }

  private renderNow(
    req: PageRequest,
    res: Response,
    view: string,
    model: { title: string } & Record<string, unknown>,
    status: number,
    inboxCount: number | null,
  ): void {
    const user = req.pageSession?.user ?? null;
    const nav = user
      ? NAV[user.role].map((link) => ({
          ...link,
          count: link.inbox && inboxCount ? inboxCount : null,
          current: req.path === link.href || req.path.startsWith(`${link.href}/`),
        }))
      : [];
    // The Content-Security-Policy comes from helmet for every response (src/common/http/security-headers.ts).
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).render(
      view,
      {
        ...model,
        signedIn: user ? { name: user.name, role: ROLE_LABELS[user.role] } : null,
        csrfToken: req.pageSession?.csrfToken ?? model.csrfToken ?? null,
        nav,
      },
      (error: Error | null, html?: string) => {
        if (error) {
          this.logger.error({ err: error, view }, 'page render failed');
          if (!res.headersSent) res.status(500).type('text/plain').send('Something went wrong on our side; it has been logged.');
          return;
        }
        res.send(html);
      },
    );
  }
}
