import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { withTimeout } from '../../common/with-timeout';
import { OutboxTransaction } from '../mail/outbox-transaction';
import { JobName, QueueName } from '../queues/queue-names';

const ENQUEUE_TIMEOUT_MS = 2_000;

/** Job options shared by every notice job: the database, not Bull, keeps retries and history. */
export const NOTICE_JOB_OPTIONS = { attempts: 1, removeOnComplete: true, removeOnFail: true } as const;

/**
 * A rendered notice goes out before the next one is drawn (1 is Bull's highest priority). In one
 * first-in-first-out queue the send jobs waited behind every render job of a batch: after a
 * sweep raised 1,000 notices on a loaded machine, the first was sent only once all 1,000 had been
 * drawn, about a minute later.
 */
export const RENDER_JOB_OPTIONS = { ...NOTICE_JOB_OPTIONS, priority: 2 } as const;
export const SEND_JOB_OPTIONS = { ...NOTICE_JOB_OPTIONS, priority: 1 } as const;

export function renderJobId(noticeId: string): string {
  return `render:${noticeId}`;
}

export function sendJobId(noticeId: string, attempts: number): string {
  return `send:${noticeId}:${attempts}`;
}

/**
 * Puts notices on the queue after their transaction committed. Best effort by design: if Redis
 * is down this gives up quickly and the relay queues them later from the database.
 */
@Injectable()
export class NoticeDispatcher {
  private readonly logger = new Logger(NoticeDispatcher.name);

  constructor(
    @InjectQueue(QueueName.Notices) private readonly queue: Queue,
    @InjectDataSource() private readonly dataSource: DataSource,
    outbox: OutboxTransaction,
  ) {
    outbox.register('notices', (ids) => this.dispatch(ids));
  }

  async dispatch(noticeIds: string[]): Promise<boolean> {
    if (noticeIds.length === 0) return true;
    try {
      await withTimeout(
        this.queue.addBulk(
          noticeIds.map((noticeId) => ({
            name: JobName.RenderNotice,
            data: { noticeId },
            opts: { ...RENDER_JOB_OPTIONS, jobId: renderJobId(noticeId) },
          })),
        ),
        ENQUEUE_TIMEOUT_MS,
        `queue did not answer within ${ENQUEUE_TIMEOUT_MS} ms`,
      );
      await this.dataSource.query(`UPDATE notices SET queued_at = now() WHERE id = ANY($1::uuid[])`, [noticeIds]);
      return true;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, count: noticeIds.length }, 'could not queue notices; the relay will');
      return false;
    }
  }
}
