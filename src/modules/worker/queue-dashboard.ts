import { getQueueToken } from '@nestjs/bull';
import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bull';
import { NextFunction, Request, Response } from 'express';
import { errorBody } from '../../common/errors/error-response';
import { AuthService } from '../auth/auth.service';
import { PageSessionService } from '../pages/page-session.service';
import { QueueName } from '../queues/queue-names';
import { Role } from '../users/role.enum';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * bull-board for program admins at /admin/queues: the queues behind notice delivery and the
 * nightly jobs. Signed in by the page session or a bearer token; anyone else gets 404.
 */
export function mountQueueDashboard(app: INestApplication): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: Object.values(QueueName).map((name) => new BullAdapter(app.get<Queue>(getQueueToken(name)), { readOnlyMode: false })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Throughline queues' } },
  });
  (app as NestExpressApplication).use(QUEUE_DASHBOARD_PATH, adminOnly(app), serverAdapter.getRouter());
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
      } else {
        const check = await sessions.check(req, res);
        if (!check.ok) return res.redirect(302, `/login?next=${encodeURIComponent(QUEUE_DASHBOARD_PATH)}`);
        role = check.session.user.role;
      }
      if (role !== Role.Admin) return res.status(404).json(errorBody(404, 'Not found'));
      return next();
    } catch {
      return res.status(404).json(errorBody(404, 'Not found'));
    }
  };
}
