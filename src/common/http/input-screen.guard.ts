import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { Request } from 'express';
import { DomainError } from '../errors/domain-error';
import { FieldValidationException } from '../errors/validation-errors';

/**
 * Caps on a body's shape, checked before validation: our largest body (a 60-man roster) has a few
 * hundred keys and 4 levels. Past these, validating and listing every unknown field cost ~150 ms
 * of CPU and a 600 kB answer per request, enough for a handful of callers to slow everyone.
 */
export const MAX_INPUT_KEYS = 1_000;
export const MAX_INPUT_DEPTH = 8;

/** A UTF-16 surrogate without its partner: not text, and it breaks validators (URIError) and PostgreSQL. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Keys that only ever mean an attempt on an object's prototype. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * What the ValidationPipe cannot see, refused with 400 and a message per field before any
 * handler runs (after the sign-in check, so a caller without access still gets 401/403 first):
 * - `__proto__`, `constructor` and `prototype` keys, which class-transformer drops silently;
 * - more than MAX_INPUT_KEYS keys or MAX_INPUT_DEPTH levels in the body or query (one message);
 * - a NUL character or a lone surrogate in any value of the body or query, which PostgreSQL or
 *   the validators refuse with an error of their own (a 500, if it got that far);
 * - any JSON body sent to an API route that takes none (complete, acknowledge, retry, logout …),
 *   where `{"status": "completed"}` would otherwise be ignored without a word.
 *
 * A guard, not an interceptor: with no interceptor at all Nest answers a request without building an
 * rxjs pipeline and binding async resources around the handler (~6 % of a case lookup's CPU,
 * bench/findings.md 2026-12-02 afternoon). Given globally after the bearer guard (http-app.ts), so
 * it runs once the API caller is known; a page controller names it after the page session's guard
 * (`ScreensInputAfterPageSession`), and the global one leaves those to it.
 */
@Injectable()
export class InputScreenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const fields: Record<string, string[]> = {};
    const oversized = shapeProblem(req.body) ?? shapeProblem(req.query);
    if (oversized) setField(fields, 'body', oversized);
    else {
      screen(req.body, '', fields);
      screen(req.query, '', fields);
    }
    if (Object.keys(fields).length === 0 && req.path.startsWith('/api/') && carriesBody(req.body) && !takesBody(context)) {
      for (const key of Array.isArray(req.body) ? ['body'] : Object.keys(req.body as object)) {
        fields[key] = [`${key} is not an allowed field: this request takes no body`];
      }
    }
    if (Object.keys(fields).length > 0) {
      if (req.path.startsWith('/api/')) throw new FieldValidationException(fields);
      throw new DomainError('bad_request', 'UNSAFE_INPUT', Object.values(fields).flat().join('; '), { fields });
    }
    return true;
  }
}

/** The global one: every route but those whose controller screens after its own guard. */
export class GlobalInputScreenGuard extends InputScreenGuard {
  override canActivate(context: ExecutionContext): boolean {
    return screenedByTheController(context.getClass()) || super.canActivate(context);
  }
}

const SCREENED_AFTER_PAGE_SESSION = 'throughline:screened-after-page-session';

/** On a controller whose own guards end with InputScreenGuard (the pages: after the session's guard). */
export const ScreensInputAfterPageSession = (): ClassDecorator => SetMetadata(SCREENED_AFTER_PAGE_SESSION, true);

const screenedByController = new WeakMap<object, boolean>();
function screenedByTheController(controller: object): boolean {
  let known = screenedByController.get(controller);
  if (known === undefined) {
    known = Reflect.getMetadata(SCREENED_AFTER_PAGE_SESSION, controller) === true;
    screenedByController.set(controller, known);
  }
  return known;
}

function screen(value: unknown, path: string, fields: Record<string, string[]>): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) setField(fields, path || 'body', `${path || 'body'} must not contain a NUL character`);
    else if (LONE_SURROGATE.test(value))
      setField(fields, path || 'body', `${path || 'body'} must be valid text (it holds half of a UTF-16 character pair)`);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const key of Object.keys(value)) {
    const child = path ? `${path}.${key}` : key;
    if (PROTOTYPE_KEYS.has(key)) setField(fields, child, `${child} is not an allowed field`);
    else screen((value as Record<string, unknown>)[key], child, fields);
  }
}

/** Counts keys and depth, stopping at the first cap passed, so a huge body costs no more than a small walk. */
function shapeProblem(value: unknown): string | null {
  let keys = 0;
  // Widened: walk() sets it, which the check after the walk cannot see.
  let tooDeep = false as boolean;
  const walk = (node: unknown, depth: number): void => {
    if (typeof node !== 'object' || node === null || tooDeep) return;
    if (depth > MAX_INPUT_DEPTH) {
      tooDeep = true;
      return;
    }
    const children = Object.keys(node);
    keys += children.length;
    if (keys > MAX_INPUT_KEYS) return;
    for (const key of children) {
      walk((node as Record<string, unknown>)[key], depth + 1);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the walk just above may have set tooDeep
      if (keys > MAX_INPUT_KEYS || tooDeep) return;
    }
  };
  walk(value, 1);
  if (tooDeep) return `body is nested deeper than ${MAX_INPUT_DEPTH} levels`;
  if (keys > MAX_INPUT_KEYS) {
    const total = typeof value === 'object' && value !== null ? countKeys(value) : keys;
    return `body has ${total} fields; at most ${MAX_INPUT_KEYS} are read`;
  }
  return null;
}

/** The total, for the message only; bounded by the body size limit (100 kB). */
function countKeys(value: object): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    for (const child of Object.values(node)) stack.push(child);
    total += Object.keys(node).length;
  }
  return total;
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
