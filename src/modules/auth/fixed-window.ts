import Redis from 'ioredis';

/** One fixed window per key: the first hit starts it, every hit counts. Atomic in Redis. */
const HIT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}`;

/**
 * Counts a hit on `key` in a window of `windowMs` shared by every API process (the sign-in rate
 * limits and the password-reset limits): the hits so far and the milliseconds the window has left.
 */
export async function hitFixedWindow(redis: Redis, key: string, windowMs: number): Promise<{ hits: number; remainingMs: number }> {
  const [hits, remainingMs] = (await redis.eval(HIT, 1, key, String(windowMs))) as [number, number];
  return { hits, remainingMs };
}
