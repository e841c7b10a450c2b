import { HttpStatus } from '@nestjs/common';
import { DomainErrorKind } from './domain-error';

export const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  bad_request: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  locked: HttpStatus.LOCKED,
  too_many_requests: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The one error body the API answers with: { statusCode, error, message } plus optional detail. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  code?: string;
  fields?: Record<string, string[]>;
  details?: Record<string, unknown>;
}

export function errorBody(
  statusCode: number,
  message: string | string[],
  extra: Omit<ErrorBody, 'statusCode' | 'error' | 'message'> = {},
): ErrorBody {
  return { statusCode, error: REASON[statusCode] ?? 'Error', message, ...extra };
}
