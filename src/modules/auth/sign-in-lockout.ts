import { Logger, Module, OnModuleDestroy } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';

/** CJIS 5.5.3: at most 5 invalid attempts in a row, then a 10-minute lock. */
export const MAX_FAILED_SIGN_INS = 5;
export const LOCK_MINUTES = 10;
const LOCK_MS = LOCK_MINUTES * 60_000;

/**
 * Counts a failure of one client against one address; the fifth locks that pair. A pair already
 * locked is not counted again, so trying on does not push the lock's end forward.
 * KEYS[1] the address's hash; ARGV: client, now (ms), lock ms, max failures.
 * Returns [failures, lockedUntil ms or 0].
 */
const FAIL = `
local untilField = ARGV[1] .. ':until'
local now = tonumber(ARGV[2])
local lockedUntil = tonumber(redis.call('HGET', KEYS[1], untilField) or '0')
if lockedUntil > now then return {0, lockedUntil} end
local failures = redis.call('HINCRBY', KEYS[1], ARGV[1] .. ':n', 1)
lockedUntil = 0
if failures >= tonumber(ARGV[4]) then
  lockedUntil = now + tonumber(ARGV[3])
  redis.call('HSET', KEYS[1], untilField, lockedUntil)
  redis.call('HDEL', KEYS[1], ARGV[1] .. ':n')
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {failures, lockedUntil}`;

/**
 * Sign-in locks per e-mail address **and client address**, in Redis so every API process shares
 * them. Keyed by the pair, not the account: whoever guesses a man's password from one place locks
 * only that place out, never the man at his own desk; and unknown addresses are counted and
 * locked exactly like real ones, so the answers reveal nothing about which accounts exist. The
 * address is stored as a keyed hash, never as typed. If Redis is away, this process counts alone.
 */
export class SignInLockout implements OnModuleDestroy {
  private readonly logger = new Logger(SignInLockout.name);
  private readonly redis: Redis;
  private readonly hashKey: Buffer;
  /** The fallback while Redis is away: address hash → client → state. */
  private readonly memory = new Map<string, Map<string, { failures: number; lockedUntil: number; forgetAt: number }>>();

  constructor(
    redisUrl: string,
    private readonly prefix: string,
    secret: string,
  ) {
    this.hashKey = createHmac('sha256', secret).update('throughline:sign-in-lockout').digest();
    this.redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, commandTimeout: 1_000 });
    this.redis.on('error', () => undefined);
    this.redis.connect().catch(() => undefined);
  }

  /** When this client's lock on this address ends, or null when it may try. */
  async lockedUntil(email: string, client: string): Promise<Date | null> {
    const key = this.key(email);
    const now = Date.now();
    let until: number;
    try {
      until = Number((await this.redis.hget(key, `${client}:until`)) ?? 0);
    } catch (error) {
      this.fellBack(error);
      until = this.memoryState(key, client, now)?.lockedUntil ?? 0;
    }
    return until > now ? new Date(until) : null;
  }

  /** Counts a wrong password (or an unknown address); returns the lock's end when this one locked. */
  async recordFailure(email: string, client: string): Promise<Date | null> {
    const key = this.key(email);
    const now = Date.now();
    try {
      const [, until] = (await this.redis.eval(FAIL, 1, key, client, String(now), String(LOCK_MS), String(MAX_FAILED_SIGN_INS))) as [
        number,
        number,
      ];
      return until > now ? new Date(until) : null;
    } catch (error) {
      this.fellBack(error);
      return this.memoryFailure(key, client, now);
    }
  }

  /** A right password from this client starts its count again. */
  async recordSuccess(email: string, client: string): Promise<void> {
    const key = this.key(email);
    try {
      await this.redis.hdel(key, `${client}:n`);
    } catch (error) {
      this.fellBack(error);
    }
    this.memory.get(key)?.delete(client);
  }

  /** An admin's unlock: every client's count and lock on this address end. */
  async unlock(email: string): Promise<void> {
    const key = this.key(email);
    this.memory.delete(key);
    try {
      await this.redis.del(key);
    } catch (error) {
      // Redis away: its locks are not enforced meanwhile either, and they end by themselves.
      this.fellBack(error);
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  private key(email: string): string {
    const digest = createHmac('sha256', this.hashKey).update(email.trim().toLowerCase()).digest('base64url');
    return `${this.prefix}:sign-in-lock:${digest}`;
  }

  private memoryState(key: string, client: string, now: number) {
    const clients = this.memory.get(key);
    const state = clients?.get(client);
    if (clients && state && state.forgetAt <= now && state.lockedUntil <= now) {
      clients.delete(client);
      return undefined;
    }
    return state;
  }

  private memoryFailure(key: string, client: string, now: number): Date | null {
    const state = this.memoryState(key, client, now) ?? { failures: 0, lockedUntil: 0, forgetAt: 0 };
    if (state.lockedUntil > now) return new Date(state.lockedUntil);
    state.failures += 1;
    state.forgetAt = now + LOCK_MS;
    if (state.failures >= MAX_FAILED_SIGN_INS) {
      state.failures = 0;
      state.lockedUntil = now + LOCK_MS;
    }
    const clients = this.memory.get(key) ?? new Map<string, typeof state>();
    this.memory.set(key, clients);
    clients.set(client, state);
    return state.lockedUntil > now ? new Date(state.lockedUntil) : null;
  }

  private fellBack(error: unknown): void {
    this.logger.warn({ err: (error as Error).message }, 'sign-in locks fell back to memory: Redis unavailable');
  }
}

/** Its own module, so both sign-in (AuthModule) and the admin's unlock (UsersModule) reach one instance. */
@Module({
  providers: [
    {
      provide: SignInLockout,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new SignInLockout(config.redisUrl, config.queuePrefix, config.jwtSecret),
    },
  ],
  exports: [SignInLockout],
})
export class SignInLockoutModule {}
