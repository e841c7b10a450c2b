/**
 * A body's hand-written check, run before the DTO's class-transformer + class-validator pass: it
 * answers the DTO instance the pass would have made, or `undefined` for anything it is not sure
 * of, which then goes through the pass as before — so every refusal, and its field-level
 * messages, still comes from the DTO's decorators. For the bodies a hot route takes many times a
 * second (the roster save's 15 marks: ~0.4 ms of the api's CPU a save in the pass, bench/findings.md).
 */
export type BodyCheck<T> = (body: unknown) => T | undefined;

const checks = new Map<abstract new () => unknown, BodyCheck<unknown>>();

/** Registers `check` for bodies of `dto`; it must accept only what the DTO accepts, as the DTO makes it (prove it with a property test). */
export function preCheckBody<T>(dto: abstract new () => T, check: BodyCheck<T>): void {
  checks.set(dto, check);
}

/** The DTO instance if a check is registered for `dto` and accepts `body`, else `undefined`. */
export function preCheckedBody(dto: unknown, body: unknown): unknown {
  const check = checks.get(dto as abstract new () => unknown);
  return check ? check(body) : undefined;
}

/** A JSON object (not an array, not null), as class-validator's IsObject sees one in a parsed body. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
