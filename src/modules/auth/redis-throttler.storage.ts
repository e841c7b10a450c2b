import { Logger, OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import Redis from 'ioredis';
import { hitFixedWindow } from './fixed-window';

/**
 * Sign-in rate limits counted in Redis, so every API process behind a load balancer shares one
 * count per address (in memory, N processes would allow N times the limit). If Redis is away,
 * counting falls back to this process's memory rather than refusing every sign-in.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private readonly redis: Redis;
  private readonly fallback = new ThrottlerStorageService();

  constructor(
    redisUrl: string,
    private readonly prefix: string,
  ) {
    // A command waits for the connection being made, but never long: a sign-in must not hang on a Redis that is down.
    this.redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, commandTimeout: 1_000 });
    this.redis.on('error', () => undefined);
    this.redis.connect().catch(() => undefined);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    try {
      const { hits, remainingMs } = await hitFixedWindow(this.redis, `${this.prefix}:throttle:${throttlerName}:${key}`, ttl);
      const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
      const isBlocked = hits > limit;
      return { totalHits: hits, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'rate-limit counts fell back to memory: Redis unavailable');
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
    this.fallback.onApplicationShutdown();
  }
}
