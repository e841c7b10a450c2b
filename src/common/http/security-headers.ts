import { INestApplication } from '@nestjs/common';
import { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

type CspDirectives = Record<string, Iterable<string> | null>;

/**
 * The pages load one stylesheet and one deferred script from /assets and have no inline script,
 * style attribute or event handler, so the policy forbids all of those.
 */
export const STRICT_CSP_DIRECTIVES: CspDirectives = {
  defaultSrc: ["'self'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
};

/**
 * Swagger UI (/docs) and bull-board (/admin/queues) are third-party pages with inline <style>
 * blocks and style attributes, and bull-board finds its files through a <base href>; their
 * scripts are still files of our own origin. (bull-board's Google web font stays blocked.)
 */
const THIRD_PARTY_UI = /^\/(docs|admin\/queues)(\/|$)/;
const THIRD_PARTY_UI_CSP_DIRECTIVES: CspDirectives = {
  ...STRICT_CSP_DIRECTIVES,
  baseUri: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
};

function helmetWith(directives: CspDirectives): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives },
    // One year; browsers only honour it over HTTPS, which a deployment terminates in front of us.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
}

/** helmet's headers on every response, with the CSP chosen by path. */
export function securityHeaders(): RequestHandler {
  const strict = helmetWith(STRICT_CSP_DIRECTIVES);
  const thirdParty = helmetWith(THIRD_PARTY_UI_CSP_DIRECTIVES);
  return (req: Request, res: Response, next: NextFunction) => (THIRD_PARTY_UI.test(req.path) ? thirdParty : strict)(req, res, next);
}

/**
 * Cross-origin API clients named in CORS_ORIGINS (exact origins) get CORS headers; nobody else
 * does, and with none configured the app sends no CORS headers at all. Bearer tokens, not
 * cookies, so credentials stay off.
 */
export function enableCorsAllowList(app: INestApplication, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  app.enableCors({
    origin: (origin: string | undefined, callback: (error: Error | null, allow?: boolean) => void) =>
      callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id'],
    credentials: false,
    maxAge: 600,
  });
}
