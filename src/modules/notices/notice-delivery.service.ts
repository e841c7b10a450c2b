import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { queryPrepared } from '../../common/database/prepared-statement';
import { AppConfig } from '../../config/app-config';
import { SYSTEM_READER } from '../../common/context/request-context';
import { AuditService } from '../audit/audit.service';
import { AuditedWrite } from '../audit/audited-write';
import { ComplianceEventKind } from '../../common/program/compliance-event-kind.enum';
import { JobName, QueueName } from '../queues/queue-names';
import { FaultPoints } from './fault-points';
import { SEND_JOB_OPTIONS, sendJobId } from './notice-jobs';
import { NoticeRenderer } from './notice-renderer.service';
import { MailTransport } from '../mail/mail-transport.service';
import { describeSmtpFailure, retryDelayMs, statusAfterFailure } from '../mail/smtp-outcome';
import { letterFileName, progressReportFileName } from './pdf-file-names';
import { PROGRESS_REPORT_ATTACHMENT, ProgressReportAttachment } from './progress-report-attachment';

interface ClaimedNotice {
  id: string;
  attempts: number;
  recipient_email: string;
  subject: string;
  body_text: string;
  body_html: string;
  letter_pdf: Buffer;
  report_pdf: Buffer | null;
  event_kind: string;
  event_key: string;
  event_occurred_on: string;
  case_number: string;
}

/** Still to be delivered and due now: what every claim of a notice asks of its row. */
const DUE = `(n.status IN ('pending', 'failed') AND n.next_attempt_at <= now() + interval '1 second')`;

/**
 * The drawing stored (where none was) and, when the notice is due and still to be delivered, the
 * notice claimed for this attempt in the same statement: as the claim on its own would take it
 * (status, due, drawn), so only one worker can hold it. The conditions are on the row itself, not on
 * a read of it beside the update, so a change that committed while this waited for the row is
 * judged as it now stands. "sending" afterwards is this claim: no other
 * statement sets it, and every other claim needs a stored drawing, which this one was the first to write.
 */
const STORE_AND_CLAIM_SQL = `
  UPDATE notices n SET subject = $2, body_text = $3, body_html = $4, letter_pdf = $5, report_pdf = $6, rendered_at = now(),
         status = CASE WHEN ${DUE} THEN 'sending'::notice_status ELSE n.status END,
         sending_started_at = CASE WHEN ${DUE} THEN now() ELSE n.sending_started_at END,
         attempts = n.attempts + CASE WHEN ${DUE} THEN 1 ELSE 0 END
   WHERE n.id = $1 AND n.rendered_at IS NULL
  RETURNING n.status = 'sending' AS claimed, n.attempts, n.next_attempt_at`;

const CLAIM_SQL = `
  UPDATE notices n SET status = 'sending', sending_started_at = now(), attempts = n.attempts + 1
    FROM compliance_events e, referrals r
   WHERE n.id = $1 AND e.id = n.event_id AND r.id = n.referral_id AND ${DUE} AND n.rendered_at IS NOT NULL
  RETURNING n.id, n.attempts, n.recipient_email, n.subject, n.body_text, n.body_html, n.letter_pdf, n.report_pdf, e.kind AS event_kind,
            e.threshold_key AS event_key, e.occurred_on::text AS event_occurred_on, r.case_number`;

/**
 * The two jobs of a notice. Jobs carry only the notice id; each handler reloads the row and
 * does nothing when there is nothing left to do, so a repeated or duplicated job is harmless.
 */
@Injectable()
export class NoticeDelivery {
  private readonly logger = new Logger(NoticeDelivery.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Notices) private readonly queue: Queue,
    private readonly config: AppConfig,
    private readonly renderer: NoticeRenderer,
    private readonly faults: FaultPoints,
    private readonly audit: AuditService,
    @Inject(PROGRESS_REPORT_ATTACHMENT) private readonly progressReports: ProgressReportAttachment,
    private readonly transport: MailTransport,
  ) {}

  /**
   * Render once. A notice drawn here and due now is sent from this job, with the letter still in
   * hand: a second job and reading the letter back from the database (twice its size as text)
   * were a third of a notice's work besides its drawing. Otherwise, or when another worker drew it
   * first, the send job takes it, as it takes every retry. Three statements a notice sent: its
   * content with its delivery state, the drawing stored and claimed in one, and the record of it sent.
   */
  async render(noticeId: string): Promise<'rendered' | 'already' | 'nothing'> {
    const row = await this.renderer.read(noticeId);
    if (!row || !['pending', 'failed'].includes(row.notice_status)) return 'nothing';
    if (row.rendered_at) {
      await this.queueSend(noticeId, row.attempts, row.next_attempt_at);
      return 'already';
    }
    const rendered = await this.renderer.draw(row);
    // Only a progress-report notice carries a report: the others need no look for one.
    const report = rendered.content.eventKind === ComplianceEventKind.ProgressReportDue ? await this.progressReportFor(noticeId) : null;
    await this.faults.reach('before-send', noticeId);
    const stored = (
      await queryPrepared<{ claimed: boolean; attempts: number; next_attempt_at: Date }>(this.dataSource, STORE_AND_CLAIM_SQL, [
        noticeId,
        rendered.content.subject,
        rendered.text,
        rendered.html,
        rendered.pdf,
        report,
      ])
    ).at(0);
    // Nothing stored: another worker drew it first, and its job sends it.
    if (!stored) return 'rendered';
    if (!stored.claimed) {
      await this.queueSend(noticeId, stored.attempts, stored.next_attempt_at);
      return 'rendered';
    }
    await this.deliver({
      id: noticeId,
      attempts: stored.attempts,
      recipient_email: row.recipient_email,
      subject: rendered.content.subject,
      body_text: rendered.text,
      body_html: rendered.html,
      letter_pdf: rendered.pdf,
      report_pdf: report,
      event_kind: row.kind,
      event_key: row.threshold_key,
      event_occurred_on: row.occurred_on,
      case_number: row.case_number,
    });
    return 'rendered';
  }

  /** A notice drawn before (a retry, or drawn by a job whose notice was not yet due): claimed with its stored letter. */
  async send(noticeId: string): Promise<'sent' | 'failed' | 'dead' | 'unknown' | 'skipped'> {
    await this.faults.reach('before-send', noticeId);
    const claimed = await this.claim(noticeId);
    if (!claimed) return 'skipped';
    return this.deliver(claimed);
  }

  /** One attempt of a claimed notice: send, record. */
  private async deliver(claimed: ClaimedNotice): Promise<'sent' | 'failed' | 'dead' | 'unknown'> {
    const noticeId = claimed.id;
    let info: { response?: string; messageId?: string };
    try {
      info = await this.transport.send({
        from: this.config.mailFrom,
        to: claimed.recipient_email,
        subject: claimed.subject,
        text: claimed.body_text,
        html: claimed.body_html,
        // The notice id is the idempotency key a receiving system can deduplicate on.
        messageId: `<${claimed.id}@${this.config.mailDomain}>`,
        headers: { 'X-Throughline-Notice': claimed.id },
        attachments: [
          { filename: letterFileName(letterOf(claimed)), content: claimed.letter_pdf, contentType: 'application/pdf' },
          ...(claimed.report_pdf
            ? [
                {
                  filename: progressReportFileName(claimed.case_number, claimed.event_occurred_on),
                  content: claimed.report_pdf,
                  contentType: 'application/pdf',
                },
              ]
            : []),
        ],
      });
    } catch (error) {
      return this.recordFailure(claimed, error);
    }
    // Outside the catch: the server has it now, so a failure to record that (the database away
    // for a moment) must not count as a refusal and send it again. The notice stays "sending",
    // and the relay calls it unknown after the timeout, for staff to check.
    await this.faults.reach('after-accept', noticeId);
    // The status and its audit entry in one statement: as atomic as a transaction of the two, one
    // round trip instead of four (BEGIN, UPDATE, INSERT, COMMIT) for every notice sent. Its text is
    // the same for every notice, so it is prepared once per connection.
    const write = new AuditedWrite();
    const { bind } = write;
    await write
      .with(
        'sent',
        `UPDATE notices SET status = 'sent', sent_at = now(), message_id = ${bind(info.messageId ?? null)}, last_response = ${bind((info.response ?? '').slice(0, 1000))}
          WHERE id = ${bind(claimed.id)} AND status = 'sending'`,
      )
      .audit(`SELECT 'notice.sent', 'notice', ${bind(claimed.id)}::text, NULL::jsonb, 0`)
      .runPrepared(this.dataSource);
    return 'sent';
  }

  /**
   * A progress-report notice carries the report itself: attendance, standing and events as of
   * its rendering. The officer's and the court's notices of one event carry the same report, so
   * the second takes the first one's copy instead of drawing it again.
   */
  private async progressReportFor(noticeId: string): Promise<Buffer | null> {
    const [row] = await this.dataSource.query<[{ referral_id: string; sibling_report: Buffer | null }?]>(
      `SELECT n.referral_id,
              (SELECT s.report_pdf FROM notices s WHERE s.event_id = n.event_id AND s.id <> n.id AND s.report_pdf IS NOT NULL LIMIT 1) AS sibling_report
         FROM notices n JOIN compliance_events e ON e.id = n.event_id
        WHERE n.id = $1 AND e.kind = 'progress_report_due'`,
      [noticeId],
    );
    if (!row) return null;
    return row.sibling_report ?? this.progressReports.render(SYSTEM_READER, row.referral_id);
  }

  /** Atomically takes the notice for this attempt, with its stored letter; only one worker can hold it. */
  private async claim(noticeId: string): Promise<ClaimedNotice | null> {
    return (await queryPrepared<ClaimedNotice>(this.dataSource, CLAIM_SQL, [noticeId])).at(0) ?? null;
  }

  private async recordFailure(claimed: ClaimedNotice, error: unknown): Promise<'failed' | 'dead' | 'unknown'> {
    const answer = describeSmtpFailure(error);
    const status = statusAfterFailure(error, claimed.attempts, this.config.noticeMaxAttempts);
    const delay = retryDelayMs(claimed.attempts, this.config.noticeRetryBaseMs);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE notices SET status = $2::notice_status, last_response = $3,
                next_attempt_at = CASE WHEN $2 = 'failed' THEN now() + make_interval(secs => $4::double precision / 1000) ELSE next_attempt_at END
          WHERE id = $1 AND status = 'sending'`,
        [claimed.id, status, answer, delay],
      );
      // The server's answer may name the address it refused: it stays on the notice, not in the audit.
      await this.audit.record(
        {
          action: `notice.${status}`,
          recordType: 'notice',
          recordId: claimed.id,
          actorUserId: null,
          actorRole: null,
          details: { attempt: claimed.attempts, fields: ['last_response'] },
        },
        manager,
      );
    });
    this.logger.warn({ noticeId: claimed.id, attempt: claimed.attempts, status, answer }, 'notice not delivered');
    if (status === 'failed') await this.queueSend(claimed.id, claimed.attempts, new Date(Date.now() + delay));
    return status;
  }

  private async queueSend(noticeId: string, attempts: number, notBefore: Date): Promise<void> {
    await this.queue.add(
      JobName.SendNotice,
      { noticeId },
      { ...SEND_JOB_OPTIONS, jobId: sendJobId(noticeId, attempts), delay: Math.max(0, notBefore.getTime() - Date.now()) },
    );
  }
}

function letterOf(claimed: ClaimedNotice) {
  return {
    caseNumber: claimed.case_number,
    eventKind: claimed.event_kind,
    eventKey: claimed.event_key,
    eventOccurredOn: claimed.event_occurred_on,
  };
}
