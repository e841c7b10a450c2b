import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express, { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { requestContextMiddleware } from './common/context/request-context.middleware';
import { errorBody } from './common/errors/error-response';
import { createValidationPipe } from './common/errors/validation-errors';
import { GlobalInputScreenGuard } from './common/http/input-screen.guard';
import { enableCorsAllowList, securityHeaders } from './common/http/security-headers';
import { AppConfig } from './config/app-config';
import { configurePageViews } from './modules/pages/view-engine';
import { mountQueueDashboard } from './modules/worker/queue-dashboard';

export const JSON_BODY_LIMIT = '100kb';

/** Everything an HTTP app needs beyond its modules; main.ts and the tests share it. */
export function configureHttpApp(app: INestApplication): void {
  const expressApp = app as NestExpressApplication;
  // Off unless TRUST_PROXY names the proxy: otherwise any caller could choose, by X-Forwarded-For,
  // the address his sign-in attempts are counted and audited under.
  expressApp.set('trust proxy', app.get(AppConfig).trustProxy);
  expressApp.disable('x-powered-by');
  // Every API answer and page is made for its caller (no-store on the pages), so a validator would
  // only cost a SHA-1 of each body; the static assets keep their own ETag (serve-static).
  expressApp.set('etag', false);
  expressApp.useLogger(app.get(Logger));
  expressApp.use(requestContextMiddleware);
  expressApp.use(securityHeaders());
  enableCorsAllowList(app, app.get(AppConfig).corsOrigins);
  expressApp.use(jsonBody(JSON_BODY_LIMIT));
  expressApp.use(express.urlencoded({ extended: false, limit: JSON_BODY_LIMIT }));
  // The pages' session lives in a cookie; the API ignores cookies and keeps to bearer tokens.
  expressApp.use(cookieParser());
  configurePageViews(expressApp);
  mountQueueDashboard(app);
  expressApp.useGlobalPipes(createValidationPipe());
  // After the bearer guard (an APP_GUARD, given when the app was created); pages screen after their own guard.
  expressApp.useGlobalGuards(new GlobalInputScreenGuard());
  // API_DOCS=false closes /docs and /docs-json (the document is still built for nobody).
  if (app.get(AppConfig).apiDocs) setUpOpenApi(app);
}

/** JSON bodies: malformed → 400, too large → 413, in our error shape rather than the parser's. */
function jsonBody(limit: string) {
  const parse = express.json({ limit, strict: true });
  return (req: Request, res: Response, next: NextFunction) => {
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') {
        res.status(413).json(errorBody(413, `The request body is larger than ${limit}`, { code: 'BODY_TOO_LARGE' }));
      } else if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
        res.status(415).json(errorBody(415, 'The request body must be UTF-8 JSON', { code: 'UNSUPPORTED_ENCODING' }));
      } else {
        res.status(400).json(errorBody(400, 'The request body is not valid JSON', { code: 'MALFORMED_JSON' }));
      }
    });
  };
}

function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Throughline API')
      .setDescription('Court-ordered batterer intervention programs: referrals, groups, attendance, compliance, notices.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
