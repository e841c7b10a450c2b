import { Logger, OnModuleDestroy } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import Redis from 'ioredis';
import { hitFixedWindow } from './fixed-window';

/** Reset requests per e-mail address per hour: enough for a lost mail or two, too few to flood him. */
export const RESETS_PER_ADDRESS_PER_HOUR = 3;
/** Reset requests per client address per hour: one office behind one address still gets through. */
export const RESETS_PER_CLIENT_PER_HOUR = 20;
const WINDOW_MS = 60 * 60 * 1000;

/**
 * Counts password-reset requests per address and per client in Redis (shared by every API
 * process), like the sign-in locks. Unknown addresses are counted exactly like real ones, so the
 * limit reveals nothing about which accounts exist; the address is kept only as a keyed hash. If
 * Redis is away, this process counts alone.
 */
export class PasswordResetLimits implements OnModuleDestroy {
  private readonly logger = new Logger(PasswordResetLimits.name);
  private readonly redis: Redis;
  private readonly hashKey: Buffer;
  private readonly memory = new Map<string, { hits: number; resetAt: number }>();

  constructor(
    redisUrl: string,
    private readonly prefix: string,
    secret: string,
  ) {
    this.hashKey = createHmac('sha256', secret).update('throughline:password-reset-limits').digest();
    this.redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, commandTimeout: 1_000 });
    this.redis.on('error', () => undefined);
    this.redis.connect().catch(() => undefined);
  }

  /** Counts one request; returns when the caller may ask again if either limit is passed, else null. */
  async hit(email: string, client: string): Promise<Date | null> {
    const address = createHmac('sha256', this.hashKey).update(email.trim().toLowerCase()).digest('base64url');
    const [byAddress, byClient] = await Promise.all([
      this.count(`${this.prefix}:reset-limit:address:${address}`),
      this.count(`${this.prefix}:reset-limit:client:${client}`),
    ]);
    const over = [
      byAddress.hits > RESETS_PER_ADDRESS_PER_HOUR ? byAddress.resetAt : 0,
      byClient.hits > RESETS_PER_CLIENT_PER_HOUR ? byClient.resetAt : 0,
    ].filter(Boolean);
    return over.length ? new Date(Math.max(...over)) : null;
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  private async count(key: string): Promise<{ hits: number; resetAt: number }> {
    const now = Date.now();
    try {
      const { hits, remainingMs } = await hitFixedWindow(this.redis, key, WINDOW_MS);
      return { hits, resetAt: now + remainingMs };
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'password-reset limits fell back to memory: Redis unavailable');
      const state = this.memory.get(key);
      const current = state && state.resetAt > now ? state : { hits: 0, resetAt: now + WINDOW_MS };
      current.hits += 1;
      this.memory.set(key, current);
      return current;
    }
  }
}
