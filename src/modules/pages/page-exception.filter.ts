import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { Response } from 'express';
import { DomainError } from '../../common/errors/domain-error';
import { STATUS_BY_KIND } from '../../common/errors/error-response';
import { PageRequest } from './page-auth.guard';
import { PageCsrfRejected, PageRoleRefused, PageSecondFactorSetupRequired, PageSignInRequired } from './page-errors';
import { PageRenderer } from './page-renderer';

/**
 * Only same-site paths may be a ?next= target (no //host, no scheme). Browsers drop tabs and
 * newlines from a Location before reading it ("/\t/evil.example" becomes "//evil.example"), so
 * any control character or space refuses the value too.
 */
export function safeNext(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  // Anything outside the printable characters: the controls, the space and DEL.
  if (/[^\u0021-\u007e\u0080-\uffff]/.test(value)) return null;
  if (value.startsWith('/login') || value.length > 500) return null;
  return value;
}

/**
 * Errors on a page become pages: sign-in needed → /login, out of scope (or a malformed id) → the
 * 404 page, a refused form → 403, anything else → a plain apology; never the API's JSON.
 */
@Catch()
@Injectable()
export class PageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Pages');

  constructor(private readonly renderer: PageRenderer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<PageRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;

    if (exception instanceof PageSecondFactorSetupRequired) {
      res.redirect(303, '/account/second-factor');
      return;
    }
    if (exception instanceof PageSignInRequired) {
      const params = new URLSearchParams();
      const next = req.method === 'GET' ? safeNext(req.originalUrl) : null;
      if (next && next !== '/') params.set('next', next);
      if (exception.reason !== 'none') params.set('reason', exception.reason);
      const query = params.toString();
      res.redirect(303, `/login${query ? `?${query}` : ''}`);
      return;
    }
    if (exception instanceof PageCsrfRejected) {
      return this.error(
        req,
        res,
        403,
        'This form could not be accepted',
        'The form was missing its security token or had been open too long. Go back, reload the page and try again.',
      );
    }
    if (exception instanceof PageRoleRefused) {
      return this.error(
        req,
        res,
        403,
        'Not part of your role',
        'This page belongs to another role. Use the links above to reach your own pages.',
      );
    }
    if (this.isNotFound(exception)) {
      return this.error(req, res, 404, 'Not found', 'There is nothing here, or it is not something you have access to.');
    }
    if (exception instanceof DomainError) {
      return this.error(req, res, STATUS_BY_KIND[exception.kind], 'This could not be done', exception.message);
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      return this.error(req, res, exception.getStatus(), 'This could not be done', exception.message);
    }
    this.logger.error({ err: exception }, 'page failed');
    this.error(
      req,
      res,
      500,
      'Something went wrong',
      'Something went wrong on our side; it has been logged. Please try again in a moment.',
    );
  }

  private isNotFound(exception: unknown): boolean {
    if (exception instanceof DomainError) return exception.kind === 'not_found';
    // A malformed id in the path (ParseUUIDPipe) names nothing: the same page as an unknown one.
    return exception instanceof NotFoundException || exception instanceof BadRequestException;
  }

  private error(req: PageRequest, res: Response, status: number, heading: string, message: string): void {
    this.renderer.render(req, res, 'error', { title: heading, heading, message, status }, status);
  }
}
