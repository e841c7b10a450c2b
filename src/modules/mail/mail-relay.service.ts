import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { JobName, QueueName } from '../queues/queue-names';
import { MAIL_JOB_OPTIONS, mailJobId } from './mail-dispatcher';
import { MailKind, MailStatus } from './mail-kind';
import { MailOutcomes } from './mail-outcomes';
import { RelayResult, requeueDue } from './outbox-requeue';

const ABANDONED = 'The worker stopped while sending; the mail server may have accepted it. Check with the recipient before sending again.';

/**
 * The mail outbox's relay, like the notices' (see notice-relay): what the database says is still
 * to be sent goes back on the queue under the normal job ids, and a send whose worker died is
 * marked unknown, never resent blindly.
 */
@Injectable()
export class MailRelay {
  private readonly logger = new Logger(MailRelay.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Notices) private readonly queue: Queue,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly outcomes: MailOutcomes,
  ) {}

  async runOnce(batchSize = 500): Promise<RelayResult> {
    const markedUnknown = await this.markAbandonedSends();
    const [due] = await this.dataSource.query<[Array<{ id: string; attempts: number }>, number]>(
      `UPDATE outgoing_mails SET queued_at = now()
        WHERE id IN (
          SELECT id FROM outgoing_mails
           WHERE status IN ('pending', 'failed') AND next_attempt_at <= now()
             AND COALESCE(queued_at, created_at) < now() - make_interval(secs => $1::double precision / 1000)
           ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING id, attempts`,
      [this.config.noticeRelayGraceMs, batchSize],
    );
    return requeueDue(
      this.queue,
      this.logger,
      due,
      (mail) => ({
        name: JobName.SendMail,
        data: { mailId: mail.id },
        opts: { ...MAIL_JOB_OPTIONS, jobId: mailJobId(mail.id, mail.attempts) },
      }),
      markedUnknown,
    );
  }

  private async markAbandonedSends(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = await manager.query<[Array<{ id: string; kind: MailKind; ref_id: string }>, number]>(
        `UPDATE outgoing_mails SET status = 'unknown', last_response = $2, key_id = NULL, wrapped_key = NULL, ciphertext = NULL, updated_at = now()
          WHERE status = 'sending' AND sending_started_at < now() - make_interval(secs => $1::double precision / 1000)
          RETURNING id, kind, ref_id`,
        [this.config.sendingTimeoutMs, ABANDONED],
      );
      await this.audit.recordMany(
        rows.map((row) => ({
          action: 'mail.unknown',
          recordType: 'outgoing_mail',
          recordId: row.id,
          actorUserId: null,
          actorRole: null,
          details: { kind: row.kind, reason: 'worker stopped while sending' },
        })),
        manager,
      );
      for (const row of rows)
        await this.outcomes.tell(manager, row.kind, {
          mailId: row.id,
          refId: row.ref_id,
          status: MailStatus.Unknown,
          lastResponse: ABANDONED,
        });
      return rows.length;
    });
  }
}
