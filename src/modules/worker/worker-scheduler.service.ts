import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bull';
import { AppConfig } from '../../config/app-config';
import { MaintenanceProcessor } from '../compliance/maintenance.processor';
import { NoticeRelay } from '../notices/notice-relay.service';
import { NoticeProcessor } from '../notices/notice.processor';
import { withTimeout } from '../../common/with-timeout';
import { JobName, QueueName } from '../queues/queue-names';
import { QueueWatchdog } from './queue-watchdog';

/** Nightly jobs, in the program's time zone. */
export const REPEATABLE_JOBS: Array<{ name: JobName; cron: string }> = [
  { name: JobName.GenerateSessions, cron: '0 3 * * *' },
  { name: JobName.DailyComplianceSweep, cron: '15 5 * * *' },
];

const ENSURE_REPEATABLES_EVERY_MS = 60_000;
/** Jobs waiting this long with none taken means the worker's wait for jobs has stalled. */
const STALL_AFTER_MS = 15_000;

/**
 * Runs in worker processes only: checks that every job has a handler (a missing one fails
 * start-up, not the first run), keeps the nightly jobs registered (they vanish with a FLUSHALL),
 * and drives the outbox relay on a plain timer, which keeps working while Redis is away.
 */
@Injectable()
export class WorkerScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WorkerScheduler.name);
  private relayTimer: NodeJS.Timeout | null = null;
  private repeatTimer: NodeJS.Timeout | null = null;
  private relaying = false;
  private watching = false;
  private readonly watchdog: QueueWatchdog;

  constructor(
    @InjectQueue(QueueName.Maintenance) private readonly maintenance: Queue,
    @InjectQueue(QueueName.Notices) private readonly notices: Queue,
    private readonly relay: NoticeRelay,
    private readonly config: AppConfig,
  ) {
    this.watchdog = new QueueWatchdog(Math.max(STALL_AFTER_MS, 3 * config.noticeRelayIntervalMs));
  }

  onApplicationBootstrap(): void {
    assertEveryJobHandled();
    for (const event of ['active', 'completed', 'failed'] as const) this.notices.on(event, () => this.watchdog.progressed());
    this.relayTimer = setInterval(() => {
      void this.relayOnce();
      void this.kickIfStalled();
    }, this.config.noticeRelayIntervalMs);
    void this.ensureRepeatables();
    this.repeatTimer = setInterval(() => void this.ensureRepeatables(), ENSURE_REPEATABLES_EVERY_MS);
  }

  onModuleDestroy(): void {
    if (this.relayTimer) clearInterval(this.relayTimer);
    if (this.repeatTimer) clearInterval(this.repeatTimer);
  }

  async relayOnce(): Promise<void> {
    if (this.relaying) return;
    this.relaying = true;
    try {
      await this.relay.runOnce();
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'relay pass failed; next pass will retry');
    } finally {
      this.relaying = false;
    }
  }

  /**
   * A stalled notice queue gets its blocking connection dropped and re-made: Bull's wait for the
   * next job is sent again on the new connection (ioredis resends unfulfilled commands) or fails
   * and is retried, and consumption resumes. Nothing is lost either way: the jobs are in Redis and
   * the notices in PostgreSQL.
   */
  private async kickIfStalled(): Promise<void> {
    if (this.watching) return;
    this.watching = true;
    try {
      // Bounded: with Redis away the counts would wait for it; the next pass looks again.
      const [waiting, active] = await withTimeout(Promise.all([this.notices.getWaitingCount(), this.notices.getActiveCount()]), 2_000, 'queue counts timed out');
      if (!this.watchdog.isStalled({ waiting, active })) return;
      this.logger.warn({ waiting, active }, 'notice queue stalled (jobs waiting, none taken); reconnecting its blocking client');
      (this.notices as unknown as { bclient: { disconnect(reconnect?: boolean): void } }).bclient.disconnect(true);
    } catch {
      // Redis is away: nothing to judge; the relay keeps the notices safe meanwhile.
    } finally {
      this.watching = false;
    }
  }

  private async ensureRepeatables(): Promise<void> {
    try {
      for (const job of REPEATABLE_JOBS) {
        await this.maintenance.add(job.name, {}, { repeat: { cron: job.cron, tz: this.config.programTimeZone }, removeOnComplete: 50, removeOnFail: 50 });
      }
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'could not register nightly jobs yet');
    }
  }
}

export function assertEveryJobHandled(): void {
  const handled = new Set<JobName>([...NoticeProcessor.handles, ...MaintenanceProcessor.handles]);
  const missing = Object.values(JobName).filter((name) => !handled.has(name));
  if (missing.length) throw new Error(`No handler registered for job(s): ${missing.join(', ')}`);
}
