/**
 * What went wrong, in the program's terms; the exception filter maps the kind to HTTP.
 * Services throw these and never HttpException, so the rules stay free of transport.
 */
export type DomainErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'locked'
  | 'too_many_requests'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(recordType: string, code = `${recordType.toUpperCase()}_NOT_FOUND`) {
    super('not_found', code, `${recordType.replace(/_/g, ' ')} not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super('conflict', code, message, details);
  }
}

export class UnprocessableError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super('unprocessable', code, message, details);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(code: string, message: string) {
    super('unauthorized', code, message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(code = 'FORBIDDEN', message = 'Your role may not do this') {
    super('forbidden', code, message);
  }
}
