import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../../config/app-config';
import { NoticeRelay } from './notice-relay.service';

/** The channel the notices' trigger signals on (migration NoticesDueSignal). */
export const NOTICES_DUE_CHANNEL = 'notices_due';
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 15_000;

/**
 * Runs in worker processes: listens on `notices_due` and queues the notices a transaction wrote
 * as soon as it commits, so the request that wrote them never talks to Redis. Signals that come
 * while a pass runs make one more pass, not one each. Without the connection (PostgreSQL
 * restarting) the relay's timer still queues everything; each (re)connection starts with a pass,
 * for what was committed while nobody listened.
 */
@Injectable()
export class NoticeWakeups implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NoticeWakeups.name);
  private client: Client | null = null;
  private stopped = false;
  private reconnectMs = RECONNECT_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private passing: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly relay: NoticeRelay,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
    await this.passing;
  }

  /** Queues what is waiting now; a call during a pass asks for one more after it. */
  wake(): Promise<void> {
    if (this.passing) {
      this.again = true;
      return this.passing;
    }
    this.passing = (async () => {
      try {
        do {
          this.again = false;
          await this.relay.relayWritten();
        } while (this.askedAgain());
      } catch (error) {
        // Left for the timer's pass: nothing is lost, the rows are still due.
        this.logger.warn({ err: (error as Error).message }, 'could not queue the notices just written; the relay will');
      } finally {
        this.passing = null;
      }
    })();
    return this.passing;
  }

  /** A signal came during the pass (read through a call: the flags change while it awaits). */
  private askedAgain(): boolean {
    return this.again && !this.stopped;
  }

  private stoppedMeanwhile(): boolean {
    return this.stopped;
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.config.databaseUrl, application_name: 'throughline-notices-due' });
    client.on('notification', () => void this.wake());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTICES_DUE_CHANNEL}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.stoppedMeanwhile()) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.reconnectMs = RECONNECT_MIN_MS;
    void this.wake();
  }

  private lost(client: Client, error?: Error): void {
    if (this.client !== null && this.client !== client) return;
    if (this.client === null && this.reconnectTimer) return;
    this.client = null;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn({ err: error?.message }, `not listening on ${NOTICES_DUE_CHANNEL}; the relay's timer queues notices meanwhile`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.listen();
    }, this.reconnectMs);
    this.reconnectMs = Math.min(this.reconnectMs * 2, RECONNECT_MAX_MS);
  }
}
