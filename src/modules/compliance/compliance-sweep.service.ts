import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ProgramClock } from '../../config/program-clock';
import { AppConfig } from '../../config/app-config';
import { OutboxTransaction } from '../mail/outbox-transaction';
import { OPEN_REFERRAL_STATUSES } from '../../common/program/referral-status.enum';
import { ComplianceService } from './compliance.service';
import { runResponseClock } from '../responses/response-clock';
import { inBatches } from './sweep-batches';

export const SWEEP_BATCH_SIZE = 1000;
/**
 * Batches evaluated at once. A batch's time is mostly PostgreSQL reading its men's marks on one
 * backend, one core; two at once keep both cores of a small server busy (as the planner's parallel
 * workers do for one big query) and let the rules of one batch run while the next one's marks are
 * read. Batches are disjoint and each locks its referrals in id order, so they never wait on each
 * other. More than two gains nothing on two cores and holds more of the pool during the sweep.
 */
export const SWEEP_CONCURRENCY = 2;

export interface SweepResult {
  referralsEvaluated: number;
  eventsCreated: number;
  noticesCreated: number;
  statusChanges: number;
  remindersCreated: number;
  batches: number;
  /** The response clock (src/modules/responses/response-clock.ts). */
  responseReminders?: number;
  responseEscalations?: number;
}

/**
 * The daily sweep for time-based rules (enroll-by passed, no attendance, deadline passed,
 * progress report due, at risk) and for escalating unacknowledged notices. Works in batches of
 * open referrals, a fixed number of queries per batch (no per-referral queries), each batch its
 * own transaction with its outbox. Running twice, or in two workers at once, creates nothing
 * twice: every event has its unique crossing key and every reminder its unique notice key.
 */
@Injectable()
export class ComplianceSweepService {
  private readonly logger = new Logger(ComplianceSweepService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly compliance: ComplianceService,
    private readonly outbox: OutboxTransaction,
    private readonly clock: ProgramClock,
    private readonly config: AppConfig,
  ) {}

  async run(today = this.clock.today()): Promise<SweepResult> {
    const result: SweepResult = {
      referralsEvaluated: 0,
      eventsCreated: 0,
      noticesCreated: 0,
      statusChanges: 0,
      remindersCreated: 0,
      batches: 0,
    };
    const evaluateBatch = async (ids: string[]) => {
      const summary = await this.outbox.run((manager) => this.compliance.evaluate(manager, ids, { calendar: true, today }));
      result.referralsEvaluated += ids.length;
      result.eventsCreated += summary.eventsCreated;
      result.noticesCreated += summary.noticesCreated;
      result.statusChanges += summary.statusChanges;
      result.batches += 1;
    };
    await inBatches(
      async (after) => {
        const batch: Array<{ id: string }> = await this.dataSource.query(
          `SELECT id FROM referrals WHERE status = ANY($1::referral_status[]) AND id > $2 ORDER BY id LIMIT $3`,
          [OPEN_REFERRAL_STATUSES, after, SWEEP_BATCH_SIZE],
        );
        return batch.map((row) => row.id);
      },
      evaluateBatch,
      SWEEP_CONCURRENCY,
    );
    result.remindersCreated = await this.escalate();
    const clock = await this.outbox.run((manager) =>
      runResponseClock(manager, this.config.adminNoticeEmail ?? null, this.config.programTimeZone),
    );
    result.responseReminders = clock.reminders;
    result.responseEscalations = clock.escalations;
    this.logger.log({ ...result, today }, 'compliance sweep finished');
    return result;
  }

  /**
   * A notice delivered but not acknowledged within the policy's business days gets a reminder
   * to the same recipient and, once per event, a copy to the program administrator.
   */
  async escalate(): Promise<number> {
    const adminEmail = this.config.adminNoticeEmail ?? null;
    return this.outbox.run(async (manager) => {
      const overdue = (zone: string) => `
        SELECT n.* , pol.escalate_after_business_days
          FROM notices n JOIN referrals r ON r.id = n.referral_id JOIN policies pol ON pol.id = r.policy_id
         WHERE n.purpose = 'event' AND n.status = 'sent' AND n.escalated_at IS NULL
           AND add_business_days(n.sent_at, pol.escalate_after_business_days, ${zone}::text) < now()
           -- The program's own decisions (enrolled, transferred, reinstated, closed) are for information: no reminder.
           AND NOT EXISTS (SELECT 1 FROM compliance_events d WHERE d.id = n.event_id AND d.kind IN ('reinstated', 'closed', 'enrolled', 'transferred', 'level_changed'))`;
      const reminders = await manager.query<Array<{ id: string }>>(
        `WITH overdue AS (${overdue('$2')}),
              program AS (SELECT COALESCE($1::text, (SELECT a.notice_email FROM agencies a WHERE a.kind = 'program' AND a.notice_email IS NOT NULL ORDER BY a.created_at LIMIT 1)) AS email),
              recipients AS (
                SELECT o.event_id, o.referral_id, o.id AS reminds, o.recipient_kind, o.recipient_email, o.recipient_user_id, o.recipient_agency_id FROM overdue o
                UNION ALL
                SELECT DISTINCT ON (o.event_id) o.event_id, o.referral_id, o.id, 'program_admin'::notice_recipient_kind, program.email, NULL::uuid, NULL::uuid
                  FROM overdue o, program WHERE program.email IS NOT NULL
              )
         INSERT INTO notices (event_id, referral_id, purpose, reminds_notice_id, recipient_kind, recipient_email, recipient_user_id, recipient_agency_id, due_by)
         SELECT event_id, referral_id, 'reminder', reminds, recipient_kind, recipient_email, recipient_user_id, recipient_agency_id, now()
           FROM recipients
         ON CONFLICT DO NOTHING
         RETURNING id`,
        [adminEmail, this.config.programTimeZone],
      );
      await manager.query(`UPDATE notices n SET escalated_at = now() FROM (${overdue('$1')}) o WHERE n.id = o.id`, [
        this.config.programTimeZone,
      ]);
      return reminders.length;
    });
  }
}
