import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { withTimeout } from '../../common/with-timeout';
import { JobName, QueueName } from '../queues/queue-names';
import { OutboxTransaction } from './outbox-transaction';

const ENQUEUE_TIMEOUT_MS = 2_000;

/** Mails share the notices' queue, and go at the send jobs' priority (see notice-dispatcher). */
export const MAIL_JOB_OPTIONS = { attempts: 1, removeOnComplete: true, removeOnFail: true, priority: 1 } as const;

/** One id per attempt: Bull adds nothing for an id it already holds, so the relay cannot copy it. */
export function mailJobId(mailId: string, attempts: number): string {
  return `mail:${mailId}:${attempts}`;
}

/** Queues mails after their transaction committed; if Redis is away the relay does it later. */
@Injectable()
export class MailDispatcher {
  private readonly logger = new Logger(MailDispatcher.name);

  constructor(
    @InjectQueue(QueueName.Notices) private readonly queue: Queue,
    @InjectDataSource() private readonly dataSource: DataSource,
    outbox: OutboxTransaction,
  ) {
    outbox.register('mails', (ids) => this.dispatch(ids));
  }

  async dispatch(mailIds: string[]): Promise<boolean> {
    try {
      await withTimeout(
        this.queue.addBulk(
          mailIds.map((mailId) => ({
            name: JobName.SendMail,
            data: { mailId },
            opts: { ...MAIL_JOB_OPTIONS, jobId: mailJobId(mailId, 0) },
          })),
        ),
        ENQUEUE_TIMEOUT_MS,
        `queue did not answer within ${ENQUEUE_TIMEOUT_MS} ms`,
      );
      await this.dataSource.query(`UPDATE outgoing_mails SET queued_at = now() WHERE id = ANY($1::uuid[])`, [mailIds]);
      return true;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, count: mailIds.length }, 'could not queue mails; the relay will');
      return false;
    }
  }
}
