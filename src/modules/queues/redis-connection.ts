import type { RedisOptions } from 'ioredis';

/** Longest pause between two reconnect attempts: the worker is back within this of Redis. */
export const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * How Bull's three Redis connections reconnect and wait.
 *
 * Bull's own back-off is exp(attempt) ms capped at 20 s, so after a 10 s outage the next
 * attempt could be 20 s away; ours climbs 100 ms a try to at most 2 s.
 *
 * `blockingTimeout` (ioredis' documented guard) bounds a BRPOPLPUSH that a reconnect left with no
 * reply: it resolves as an empty wait after its own timeout plus the grace, and Bull asks again.
 * The grace is generous so a slow reply on a loaded machine is never cut off (a cut-off wait
 * whose job then arrives would leave that job unlocked until the stalled-job check).
 */
export function bullRedisOptions(): RedisOptions {
  return {
    // Commands wait for a reconnect (the outbox in PostgreSQL keeps notices safe meanwhile).
    enableOfflineQueue: true,
    connectTimeout: 2_000,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    blockingTimeout: 30_000,
    blockingTimeoutGrace: 2_000,
  };
}
