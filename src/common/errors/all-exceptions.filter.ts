import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger, Optional } from '@nestjs/common';
import { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';
import { ErrorBody, errorBody, STATUS_BY_KIND } from './error-response';
import { HTML_ERROR_PAGES, HtmlErrorPages, wantsHtmlPage } from './html-error-pages';
import { FieldValidationException } from './validation-errors';

const CONNECTION_FAILURE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08003',
  '08006',
]);

/** Maps every error to the one error body; domain codes decide the status, nothing leaks a stack. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(@Optional() @Inject(HTML_ERROR_PAGES) private readonly htmlPages?: HtmlErrorPages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (this.htmlPages && wantsHtmlPage(host.switchToHttp().getRequest<Request>())) {
      this.htmlPages.catch(exception, host);
      return;
    }
    const body = this.toBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error({ err: loggableError(exception) }, 'request failed');
    }
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      return errorBody(STATUS_BY_KIND[exception.kind], exception.message, {
        code: exception.code,
        ...(exception.details ? { details: exception.details } : {}),
      });
    }
    if (exception instanceof FieldValidationException) {
      const payload = exception.getResponse() as { message: string[] };
      return errorBody(400, payload.message, { code: 'VALIDATION_FAILED', fields: exception.fields });
    }
    if (exception instanceof HttpException && /uuid is expected/.test(exception.message)) {
      return errorBody(400, 'The id in the address must be a UUID', { code: 'INVALID_ID', fields: { id: ['id must be a UUID'] } });
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      const message = typeof payload === 'string' ? payload : ((payload as { message?: string | string[] }).message ?? exception.message);
      return errorBody(status, message);
    }
    if (exception instanceof QueryFailedError) {
      const code = (exception as QueryFailedError & { code?: string }).code;
      if (code === '23505') return errorBody(409, 'A record with these values already exists', { code: 'DUPLICATE' });
      if (code === '22P02' || code === '22007' || code === '22008') {
        return errorBody(400, 'A value has the wrong format', { code: 'INVALID_VALUE' });
      }
      if (code === '22021' || code === '22001') {
        return errorBody(400, 'A value holds a character that cannot be stored, or is too long', { code: 'INVALID_VALUE' });
      }
      if (code && CONNECTION_FAILURE_CODES.has(code)) return this.unavailable();
    }
    if (isConnectionFailure(exception)) return this.unavailable();
    return errorBody(500, 'Something went wrong on our side; it has been logged');
  }

  private unavailable(): ErrorBody {
    return errorBody(503, 'The database is unreachable; nothing was saved, try again shortly', {
      code: 'DATABASE_UNAVAILABLE',
    });
  }
}

export function isConnectionFailure(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message } = error as { code?: string; message?: string };
  if (code && CONNECTION_FAILURE_CODES.has(code)) return true;
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Connection terminated unexpectedly/i.test(
    message ?? '',
  );
}

/**
 * What of an error may be logged: its kind, code, message and stack. Never the query's
 * parameters or the request's values, which may hold names, dates of birth or notes.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const { code } = error as { code?: string };
  return { type: error.constructor.name, code, message: error.message, stack: error.stack };
}
