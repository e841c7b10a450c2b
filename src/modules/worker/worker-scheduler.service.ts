import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bull';
import { AppConfig } from '../../config/app-config';
import { MaintenanceProcessor } from '../compliance/maintenance.processor';
import { NoticeRelay } from '../notices/notice-relay.service';
import { NoticeProcessor } from '../notices/notice.processor';
import { JobName, QueueName } from '../queues/queue-names';

/** Nightly jobs, in the program's time zone. */
export const REPEATABLE_JOBS: Array<{ name: JobName; cron: string }> = [
  { name: JobName.GenerateSessions, cron: '0 3 * * *' },
  { name: JobName.DailyComplianceSweep, cron: '15 5 * * *' },
];

const ENSURE_REPEATABLES_EVERY_MS = 60_000;

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

  constructor(
    @InjectQueue(QueueName.Maintenance) private readonly maintenance: Queue,
    private readonly relay: NoticeRelay,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    assertEveryJobHandled();
    this.relayTimer = setInterval(() => void this.relayOnce(), this.config.noticeRelayIntervalMs);
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
