import { getQueueToken } from '@nestjs/bull';
import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bull';
import { NextFunction, Request, Response } from 'express';
import { errorBody } from '../../common/errors/error-response';
import { AppConfig } from '../../config/app-config';
import { AuthService } from '../auth/auth.service';
import { PageSessionService } from '../pages/page-session.service';
import { QueueName } from '../queues/queue-names';
import { Role } from '../../common/auth/role.enum';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * bull-board for program admins at /admin/queues: the queues behind notice delivery and the
 * nightly jobs. Signed in by the page session or a bearer token; anyone else gets 404.
 *
 * Read-only unless QUEUE_DASHBOARD_WRITE=true: pausing, emptying or retrying a queue from a
 * browser tab is rarely needed and easy to do by mistake. In write mode, bull-board's single-page
 * app cannot carry our CSRF token, so a change made on the page cookie must come from the
 * dashboard's own origin (Origin, or Referer when a browser sends no Origin); a bearer token is
 * never sent by a browser on its own and needs no such check.
 */
export function mountQueueDashboard(app: INestApplication): void {
  const config = app.get(AppConfig);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: Object.values(QueueName).map(
      (name) => new BullAdapter(app.get<Queue>(getQueueToken(name)), { readOnlyMode: !config.queueDashboardWrite }),
    ),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Throughline queues' } },
  });
  withoutExternalStylesheets(serverAdapter.getRouter() as ExpressApp);
  (app as NestExpressApplication).use(QUEUE_DASHBOARD_PATH, adminOnly(app), writeGuard(config), serverAdapter.getRouter());
}

type RenderCallback = (error: Error | null, html?: string) => void;
type ExpressApp = { engines: Record<string, (path: string, options: object, callback: RenderCallback) => void> };

/**
 * bull-board's page links a Google web font stylesheet, which our CSP blocks (every page shows
 * a violation) and which would tell a third party who opens the dashboard. Its own stylesheet
 * falls back to system fonts, so the link is taken out of the rendered page.
 */
export function stripExternalStylesheets(html: string): string {
  return html
    .replace(/<link\b[^>]*\bhref="https?:\/\/[^"]*"[^>]*rel="stylesheet"[^>]*>\s*/gi, '')
    .replace(/<link\b[^>]*rel="stylesheet"[^>]*\bhref="https?:\/\/[^"]*"[^>]*>\s*/gi, '');
}

function withoutExternalStylesheets(router: ExpressApp): void {
  const render = router.engines['.ejs'] as ExpressApp['engines'][string] | undefined;
  if (!render) throw new Error('bull-board no longer renders its page with ejs: check stripExternalStylesheets');
  router.engines['.ejs'] = (path, options, callback) =>
    render(path, options, (error, html) => callback(error, html === undefined ? html : stripExternalStylesheets(html)));
}

/** Every change refused in read-only mode (bull-board's own check is per queue); same origin only in write mode. */
function writeGuard(config: AppConfig) {
  const publicOrigin = new URL(config.publicUrl).origin;
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) {
      next();
      return;
    }
    if (!config.queueDashboardWrite) {
      return res
        .status(405)
        .json(errorBody(405, 'The queue dashboard is read-only (QUEUE_DASHBOARD_WRITE=false)', { code: 'DASHBOARD_READ_ONLY' }));
    }
    if ((req as Request & { signedInBy?: string }).signedInBy === 'bearer') {
      next();
      return;
    }
    const origin = requestOrigin(req);
    const own = [publicOrigin, `${req.protocol}://${req.get('host') ?? ''}`];
    if (!origin || !own.includes(origin)) {
      return res.status(403).json(errorBody(403, 'Queue changes must come from the dashboard itself', { code: 'CROSS_ORIGIN_REFUSED' }));
    }
    next();
  };
}

function requestOrigin(req: Request): string | null {
  const origin = req.get('origin');
  if (origin && origin !== 'null') return origin;
  const referer = req.get('referer');
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

function adminOnly(app: INestApplication) {
  const auth = app.get(AuthService);
  const sessions = app.get(PageSessionService);
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const header = req.headers.authorization;
      let role: Role | null = null;
      if (header?.startsWith('Bearer ')) {
        role = (await auth.authenticate(header.slice(7).trim())).role;
        (req as Request & { signedInBy?: string }).signedInBy = 'bearer';
      } else {
        const check = await sessions.check(req, res);
        if (!check.ok) {
          res.redirect(302, `/login?next=${encodeURIComponent(QUEUE_DASHBOARD_PATH)}`);
          return;
        }
        role = check.session.user.role;
      }
      if (role !== Role.Admin) return res.status(404).json(errorBody(404, 'Not found'));
      next();
      return;
    } catch {
      return res.status(404).json(errorBody(404, 'Not found'));
    }
  };
}
