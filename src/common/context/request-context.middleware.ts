import { randomUUID } from 'node:crypto';
import { NextFunction, Request, Response } from 'express';
import { RequestContext } from './request-context';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,80}$/;

/** Gives each request an id (or keeps a sane incoming X-Request-Id) and opens its context. */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header('x-request-id');
  const requestId = incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
  (req as Request & { id: string }).id = requestId;
  res.setHeader('X-Request-Id', requestId);
  RequestContext.run({ requestId, ipAddress: req.ip ?? req.socket.remoteAddress ?? null }, () => next());
}
