import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { Request } from 'express';
import { Observable } from 'rxjs';
import { DomainError } from '../errors/domain-error';
import { FieldValidationException } from '../errors/validation-errors';

/** Keys that only ever mean an attempt on an object's prototype. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * What the ValidationPipe cannot see, refused with 400 and a message per field before any
 * handler runs (after the guards, so a caller without access still gets 401/403 first):
 * - `__proto__`, `constructor` and `prototype` keys, which class-transformer drops silently;
 * - a NUL character in any value of the body or query, which PostgreSQL refuses in text
 *   (a database error, so a 500, if it got that far);
 * - any JSON body sent to an API route that takes none (complete, acknowledge, retry, logout …),
 *   where `{"status": "completed"}` would otherwise be ignored without a word.
 */
@Injectable()
export class InputScreenInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const fields: Record<string, string[]> = {};
    screen(req.body, '', fields);
    screen(req.query, '', fields);
    if (Object.keys(fields).length === 0 && req.path.startsWith('/api/') && carriesBody(req.body) && !takesBody(context)) {
      for (const key of Array.isArray(req.body) ? ['body'] : Object.keys(req.body as object)) {
        fields[key] = [`${key} is not an allowed field: this request takes no body`];
      }
    }
    if (Object.keys(fields).length > 0) {
      if (req.path.startsWith('/api/')) throw new FieldValidationException(fields);
      throw new DomainError('bad_request', 'UNSAFE_INPUT', Object.values(fields).flat().join('; '), { fields });
    }
    return next.handle();
  }
}

function screen(value: unknown, path: string, fields: Record<string, string[]>): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) setField(fields, path || 'body', `${path || 'body'} must not contain a NUL character`);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const key of Object.keys(value)) {
    const child = path ? `${path}.${key}` : key;
    if (PROTOTYPE_KEYS.has(key)) setField(fields, child, `${child} is not an allowed field`);
    else screen((value as Record<string, unknown>)[key], child, fields);
  }
}

/** Defined, not assigned: `fields['__proto__'] = …` would set the map's prototype instead of a key. */
function setField(fields: Record<string, string[]>, key: string, message: string): void {
  Object.defineProperty(fields, key, { value: [message], enumerable: true, writable: true, configurable: true });
}

/** Arrays are never a body of ours, not even empty ones; an empty object is no body at all. */
function carriesBody(body: unknown): boolean {
  if (Array.isArray(body)) return true;
  return typeof body === 'object' && body !== null && Object.keys(body).length > 0;
}

function takesBody(context: ExecutionContext): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as Record<string, unknown>;
  return Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY));
}
