import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bull';
import { AppConfig } from '../../config/app-config';
import { MailRelay } from '../mail/mail-relay.service';
import { NoticeRelay } from '../notices/notice-relay.service';
import { JobName, QueueName } from '../queues/queue-names';

/** Nightly jobs, in the program's time zone. */
export const NIGHTLY_JOBS: ReadonlyArray<{ name: JobName; cron: string }> = [
  { name: JobName.GenerateSessions, cron: '0 3 * * *' },
  { name: JobName.DailyComplianceSweep, cron: '15 5 * * *' },
  // After the sweep, at an hour a reminder for tonight's or tomorrow's group is welcome.
  { name: JobName.SendParticipantMessages, cron: '0 9 * * *' },
];

/**
 * Runs in worker processes only: schedules the nightly jobs and drives the outbox relay on a
 * plain timer, which keeps working while Redis is away.
 */
@Injectable()
export class WorkerScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WorkerScheduler.name);
  private relayTimer: NodeJS.Timeout | null = null;
  private relaying = false;
  private readonly onRedisReady = () => void this.scheduleNightlyJobs();

  constructor(
    @InjectQueue(QueueName.Maintenance) private readonly maintenance: Queue,
    private readonly relay: NoticeRelay,
    private readonly mailRelay: MailRelay,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.relayTimer = setInterval(() => void this.relayOnce(), this.config.noticeRelayIntervalMs);
    void this.scheduleNightlyJobs();
    // A Redis that restarts without persistence comes back without them: schedule again then.
    this.maintenance.client.on('ready', this.onRedisReady);
  }

  onModuleDestroy(): void {
    if (this.relayTimer) clearInterval(this.relayTimer);
    this.maintenance.client.off('ready', this.onRedisReady);
  }

  async relayOnce(): Promise<void> {
    if (this.relaying) return;
    this.relaying = true;
    try {
      await this.relay.runOnce();
      await this.mailRelay.runOnce();
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'relay pass failed; next pass will retry');
    } finally {
      this.relaying = false;
    }
  }

  /**
   * Each nightly job under a stable id, so adding it again changes nothing; a schedule that
   * changed (another cron or time zone) replaces the old one instead of running beside it.
   */
  async scheduleNightlyJobs(): Promise<void> {
    try {
      const tz = this.config.programTimeZone;
      const existing = await this.maintenance.getRepeatableJobs();
      for (const job of NIGHTLY_JOBS) {
        for (const stale of existing.filter((e) => e.name === (job.name as string) && (e.cron !== job.cron || e.tz !== tz))) {
          await this.maintenance.removeRepeatableByKey(stale.key);
        }
        await this.maintenance.add(
          job.name,
          {},
          { jobId: job.name, repeat: { cron: job.cron, tz }, removeOnComplete: 50, removeOnFail: 50 },
        );
      }
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'could not schedule nightly jobs yet; will when Redis is back');
    }
  }
}
