import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../../config/field-cipher';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { JobName, QueueName } from '../queues/queue-names';
import { MAIL_JOB_OPTIONS, mailJobId } from './mail-dispatcher';
import { MailKind, MailStatus } from './mail-kind';
import { MailOutcomes } from './mail-outcomes';
import { SealedMail, sealedMailContext } from './mail-outbox.service';
import { MailTransport } from './mail-transport.service';
import { describeSmtpFailure, retryDelayMs, statusAfterFailure } from './smtp-outcome';

interface ClaimedMail {
  id: string;
  kind: MailKind;
  ref_id: string;
  attempts: number;
  key_id: string;
  wrapped_key: Buffer;
  ciphertext: Buffer;
}

/**
 * The send job of a mail: claim it for this attempt (only one worker can), open its sealed
 * words, hand them to the SMTP pool, record the outcome and tell the feature it belongs to.
 * The job carries only the mail's id, so a repeated job finds nothing to claim and does nothing.
 */
@Injectable()
export class MailDelivery {
  private readonly logger = new Logger(MailDelivery.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Notices) private readonly queue: Queue,
    private readonly config: AppConfig,
    private readonly cipher: FieldCipher,
    private readonly transport: MailTransport,
    private readonly outcomes: MailOutcomes,
    private readonly audit: AuditService,
  ) {}

  async send(mailId: string): Promise<MailStatus | 'skipped'> {
    const [rows] = await this.dataSource.query<[ClaimedMail[], number]>(
      `UPDATE outgoing_mails SET status = 'sending', sending_started_at = now(), attempts = attempts + 1, updated_at = now()
        WHERE id = $1 AND status IN ('pending', 'failed') AND next_attempt_at <= now() + interval '1 second' AND ciphertext IS NOT NULL
        RETURNING id, kind, ref_id, attempts, key_id, wrapped_key, ciphertext`,
      [mailId],
    );
    const claimed = rows.at(0);
    if (!claimed) return 'skipped';
    const mail = this.cipher.open<SealedMail>(
      { keyId: claimed.key_id, wrappedKey: claimed.wrapped_key, ciphertext: claimed.ciphertext },
      sealedMailContext(claimed.id),
    );
    let info: { response?: string; messageId?: string };
    try {
      info = await this.transport.send({
        from: this.config.mailFrom,
        to: mail.to,
        replyTo: mail.replyTo,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: `<mail-${claimed.id}@${this.config.mailDomain}>`,
      });
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- statusAfterFailure answers with MailStatus's values
      const status = statusAfterFailure(error, claimed.attempts, this.config.noticeMaxAttempts) as MailStatus;
      const answer = hideAddress(describeSmtpFailure(error), mail.to);
      this.logger.warn({ mailId: claimed.id, kind: claimed.kind, attempt: claimed.attempts, status, answer }, 'mail not delivered');
      await this.finish(claimed, status, answer, null);
      return status;
    }
    // Outside the catch: once the server has it, a failure to record that must never send it
    // again. The mail stays "sending", and the relay calls it unknown after the timeout.
    await this.finish(claimed, MailStatus.Sent, hideAddress(info.response ?? '', mail.to), info.messageId ?? null);
    return MailStatus.Sent;
  }

  /** A mail tried again keeps its sealed words; a finished one loses them. */
  private async finish(claimed: ClaimedMail, status: MailStatus, answer: string, messageId: string | null): Promise<void> {
    const delay = retryDelayMs(claimed.attempts, this.config.noticeRetryBaseMs);
    await this.dataSource.transaction(async (manager) => {
      const [, changed] = await manager.query<[unknown, number]>(
        `UPDATE outgoing_mails SET status = $2::outgoing_mail_status, last_response = $3, message_id = COALESCE($4, message_id), updated_at = now(),
                sent_at = CASE WHEN $2::text = 'sent' THEN now() ELSE sent_at END,
                next_attempt_at = CASE WHEN $2::text = 'failed' THEN now() + make_interval(secs => $5::double precision / 1000) ELSE next_attempt_at END,
                key_id = CASE WHEN $2::text = 'failed' THEN key_id END,
                wrapped_key = CASE WHEN $2::text = 'failed' THEN wrapped_key END,
                ciphertext = CASE WHEN $2::text = 'failed' THEN ciphertext END
          WHERE id = $1 AND status = 'sending'`,
        [claimed.id, status, answer.slice(0, 1000), messageId, delay],
      );
      // The relay may have called a long send abandoned meanwhile; its word stands.
      if (changed === 0) return;
      await this.audit.record(
        {
          action: `mail.${status}`,
          recordType: 'outgoing_mail',
          recordId: claimed.id,
          actorUserId: null,
          actorRole: null,
          details: { kind: claimed.kind, attempt: claimed.attempts },
        },
        manager,
      );
      await this.outcomes.tell(manager, claimed.kind, { mailId: claimed.id, refId: claimed.ref_id, status, lastResponse: answer });
    });
    if (status !== MailStatus.Failed) return;
    try {
      await this.queue.add(
        JobName.SendMail,
        { mailId: claimed.id },
        { ...MAIL_JOB_OPTIONS, jobId: mailJobId(claimed.id, claimed.attempts), delay },
      );
    } catch (error) {
      this.logger.warn({ mailId: claimed.id, err: (error as Error).message }, 'could not queue the next attempt; the relay will');
    }
  }
}

/** A server's answer may quote the address it refused; it is kept without it. */
export function hideAddress(answer: string, address: string): string {
  return address ? answer.split(address).join('<recipient>') : answer;
}
