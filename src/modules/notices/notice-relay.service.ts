import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { RelayResult, requeueDue } from '../mail/outbox-requeue';
import { JobName, QueueName } from '../queues/queue-names';
import { RENDER_JOB_OPTIONS, renderJobId, SEND_JOB_OPTIONS, sendJobId } from './notice-jobs';

/**
 * The outbox relay: whatever the database says is still to be delivered goes back on the
 * queue (Redis was down, flushed, or a process died between commit and enqueue). Rows are
 * claimed with FOR UPDATE SKIP LOCKED, so any number of workers can relay side by side.
 */
@Injectable()
export class NoticeRelay {
  private readonly logger = new Logger(NoticeRelay.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Notices) private readonly queue: Queue,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  async runOnce(batchSize = 500): Promise<RelayResult> {
    const markedUnknown = await this.markAbandonedSends();
    return this.queueDue(batchSize, markedUnknown);
  }

  /**
   * The notices just written: what the worker runs when a transaction says on `notices_due` that
   * it wrote some (a batch at a time until none is left). Nobody else queues a new notice, so one
   * never queued is due at once; one queued before waits out the grace, its job may still be in Redis.
   */
  async relayWritten(batchSize = 500): Promise<number> {
    let queued = 0;
    for (;;) {
      const { requeued } = await this.queueDue(batchSize, 0);
      queued += requeued;
      if (requeued < batchSize) return queued;
    }
  }

  private async queueDue(batchSize: number, markedUnknown: number): Promise<RelayResult> {
    const [due] = await this.dataSource.query<[Array<{ id: string; rendered: boolean; attempts: number }>, number]>(
      `UPDATE notices SET queued_at = now()
        WHERE id IN (
          SELECT id FROM notices
           WHERE status IN ('pending', 'failed') AND next_attempt_at <= now()
             AND (queued_at IS NULL OR queued_at < now() - make_interval(secs => $1::double precision / 1000))
           ORDER BY next_attempt_at
           LIMIT $2
           FOR UPDATE SKIP LOCKED)
        RETURNING id, rendered_at IS NOT NULL AS rendered, attempts`,
      [this.config.noticeRelayGraceMs, batchSize],
    );
    // The same job ids the normal path uses, so a notice whose job is still in Redis (waiting,
    // delayed, or held by a worker) is not queued twice: Bull adds nothing for an id it holds.
    // Fresh ids here once multiplied the queue after a Redis restart: each pass copied every
    // notice still waiting, new notices queued behind thousands of copies, and delivery looked
    // stalled. A job left in a dead worker's lock is Bull's stalled-job check to return; once it
    // is gone, the next pass queues it again.
    return requeueDue(
      this.queue,
      this.logger,
      due,
      (notice) => ({
        name: notice.rendered ? JobName.SendNotice : JobName.RenderNotice,
        data: { noticeId: notice.id },
        opts: notice.rendered
          ? { ...SEND_JOB_OPTIONS, jobId: sendJobId(notice.id, notice.attempts) }
          : { ...RENDER_JOB_OPTIONS, jobId: renderJobId(notice.id) },
      }),
      markedUnknown,
    );
  }

  /** A send that outlived every timeout had its worker die mid-send: the SMTP server may have it. */
  private async markAbandonedSends(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = await manager.query<[Array<{ id: string }>, number]>(
        `UPDATE notices SET status = 'unknown',
                last_response = 'The worker stopped while sending; the mail server may have accepted it. Check with the recipient before resending.'
          WHERE status = 'sending' AND sending_started_at < now() - make_interval(secs => $1::double precision / 1000)
          RETURNING id`,
        [this.config.sendingTimeoutMs],
      );
      await this.audit.recordMany(
        rows.map((row) => ({
          action: 'notice.unknown',
          recordType: 'notice',
          recordId: row.id,
          actorUserId: null,
          actorRole: null,
          details: { reason: 'worker stopped while sending' },
        })),
        manager,
      );
      return rows.length;
    });
  }
}
