import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { SessionCache, SessionRevocation } from './session-cache';

/** How often the subscription proves it is alive; a silent connection counts as down after one miss. */
const HEARTBEAT_MS = 1_000;

/**
 * Tells every api process at once that sessions ended, over Redis pub/sub on a channel under the
 * app's key prefix, and keeps this process's SessionCache trustworthy: it caches only while
 * subscribed. A lost or silent connection closes the cache at once (every request checks the
 * database again), and it reopens empty only after the channel is subscribed again, since a
 * revocation sent meanwhile was never heard. Revocations are published after the change that
 * ends the sessions has committed: published earlier, another process could read the session
 * as still open and cache it for the rest of the window.
 */
@Injectable()
export class SessionRevocations implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SessionRevocations.name);
  readonly cache: SessionCache;
  readonly channel: string;
  private subscriber: Redis | null = null;
  private publisher: Redis | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(private readonly config: AppConfig) {
    this.cache = new SessionCache(config.sessionCacheMs);
    this.channel = `${config.queuePrefix}:session-revocations`;
  }

  onModuleInit(): void {
    this.publisher = new Redis(this.config.redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      connectTimeout: 1_000,
      commandTimeout: 1_000,
    });
    this.publisher.on('error', () => undefined);
    this.publisher.connect().catch(() => undefined);
    // A process that caches nothing (or serves no requests: a worker) still publishes, for the processes that do.
    if (this.config.sessionCacheMs > 0 && this.config.servesHttp) this.subscribe();
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- Nest awaits it; nothing in it needs waiting for
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    this.cache.close();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.subscriber?.disconnect();
    this.publisher?.disconnect();
  }

  /** Whether this process hears revocations now (and so may cache). */
  get subscribed(): boolean {
    return this.cache.enabled;
  }

  /**
   * Ends cached sessions here at once and in every other process as soon as Redis carries the
   * message. Call after the commit. If Redis cannot take it, the other processes' subscriptions
   * are most likely down too (then they cache nothing); at worst they trust the session for the
   * rest of their short window.
   */
  async revoke(which: SessionRevocation): Promise<void> {
    this.cache.revoke(which);
    try {
      await this.publisher?.publish(this.channel, JSON.stringify(which));
    } catch (error) {
      this.logger.warn(
        `A session revocation could not be published (${(error as Error).message}); other processes check sessions again within ${this.config.sessionCacheMs} ms`,
      );
    }
  }

  private subscribe(): void {
    const subscriber = new Redis(this.config.redisUrl, {
      // Subscribed by hand on every (re)connect, so the cache opens only once the channel is really ours again.
      autoResubscribe: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1_000,
      commandTimeout: HEARTBEAT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    this.subscriber = subscriber;
    const down = () => this.cache.close();
    subscriber.on('error', down);
    subscriber.on('close', down);
    subscriber.on('end', down);
    subscriber.on('reconnecting', down);
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel).then(
        () => this.cache.open(),
        () => {
          down();
          subscriber.disconnect(true);
        },
      );
    });
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const which = parseRevocation(message);
      // A message we cannot read may have meant anyone: nothing cached survives it.
      if (which) this.cache.revoke(which);
      else this.cache.open();
    });
    this.heartbeat = setInterval(() => {
      if (this.closing || !this.cache.enabled) return;
      subscriber.ping().catch(() => {
        if (this.closing) return;
        down();
        subscriber.disconnect(true);
      });
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }
}

function parseRevocation(message: string): SessionRevocation | null {
  try {
    const value = JSON.parse(message) as Record<string, unknown>;
    if (typeof value.sessionId === 'string') return { sessionId: value.sessionId };
    if (typeof value.userId === 'string') return { userId: value.userId };
  } catch {
    // fall through
  }
  return null;
}
