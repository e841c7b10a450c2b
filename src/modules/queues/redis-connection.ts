import type { RedisOptions } from 'ioredis';

/** Longest pause between two reconnect attempts: the worker is back within this of Redis. */
export const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * How Bull's Redis connections reconnect. Bull's own back-off is exp(attempt) ms capped at 20 s,
 * so after a 10 s outage the next attempt could be 20 s away; ours climbs 100 ms a try to 2 s.
 *
 * No client-side `blockingTimeout`: Bull's processing loops share one blocking connection, so
 * Redis runs their BRPOPLPUSHes one after another. A client-side deadline counted from sending
 * would give up on a wait still queued behind the others; when Redis later ran it and moved a
 * job, nobody would hold that job until the stalled-job check returned it (seen as 30 s delays).
 */
export function bullRedisOptions(): RedisOptions {
  return {
    // Commands wait for a reconnect (the outbox in PostgreSQL keeps notices safe meanwhile).
    enableOfflineQueue: true,
    connectTimeout: 2_000,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
  };
}
