import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, NotFoundError, UnprocessableError } from '../../common/errors/domain-error';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Page, pageTotal } from '../../common/http/pagination.dto';
import { SqlParams } from '../../common/http/sql-params';
import { AuditService } from '../audit/audit.service';
import { ComplianceEventKind } from '../../common/program/compliance-event-kind.enum';
import { eventFacts, headlineFor } from './notice-content';
import { letterFileName } from './pdf-file-names';
import { acknowledgeNotices } from './notice-inbox.service';
import { NOTICES_DUE_CHANNEL } from './notice-wakeups';
import { NoticeStatus } from './notice-status.enum';
import { NOTICE_ROW_FROM, NOTICE_ROW_SELECT, NoticeRow, NoticeView, toNoticeView } from './notice.view';
import { scopeSql } from '../access/permissions';

/** Who sees which notices (access/permissions.ts, notice.read), on the aliases of NOTICE_ROW_FROM. */
const NOTICE_SCOPE = { notice: 'n', referral: 'r' };

/** Resends by hand of one notice within 24 hours before the program must fix the cause first. */
export const MANUAL_RETRIES_PER_DAY = 3;

export interface NoticeFilters {
  status?: NoticeStatus;
  referralId?: string;
  limit: number;
  offset: number;
}

export interface NoticeDetail {
  notice: NoticeView;
  headline: string;
  facts: Array<{ label: string; value: string }>;
  /** A correction withdrew the event: nothing more is expected of the recipient. */
  withdrawn: boolean;
}

export interface NoticeSummary {
  /** Only the statuses some notice has. */
  byStatus: Partial<Record<string, number>>;
  undelivered: number;
  oldestUndeliveredSeconds: number | null;
  overdue: number;
  dead: number;
  unknown: number;
}

@Injectable()
export class NoticesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(user: SignedInUser, filters: NoticeFilters): Promise<Page<NoticeView>> {
    const params = new SqlParams();
    const where = [scopeSql(user, 'notice.read', NOTICE_SCOPE, params.bind)];
    if (filters.status) where.push(`n.status = ${params.bind(filters.status)}`);
    if (filters.referralId) where.push(`n.referral_id = ${params.bind(filters.referralId)}`);
    const whereSql = where.join(' AND ');
    const filterValues = [...params.values];
    // The page and the read's audit entry are one statement.
    const rows = await this.audit.auditedRead<NoticeRow>(
      {
        sql: `SELECT ${NOTICE_ROW_SELECT} FROM ${NOTICE_ROW_FROM} WHERE ${whereSql}
               ORDER BY n.created_at DESC, n.id LIMIT ${params.bind(filters.limit)} OFFSET ${params.bind(filters.offset)}`,
        params: params.values,
        // One man's notices (the referral page's) come by his id whatever it is: planned once per
        // connection. A list by status is not: how many notices have a status is the plan's question.
        prepared: Boolean(filters.referralId) && !filters.status,
      },
      { action: 'notice.list', recordType: 'notice', details: { filters: { ...filters } }, returned: 'id' },
    );
    const total = await pageTotal(rows.length, filters, async () => {
      const [counted] = await this.dataSource.query<Array<{ total: number }>>(
        `SELECT count(*)::int AS total FROM ${NOTICE_ROW_FROM} WHERE ${whereSql}`,
        filterValues,
      );
      return counted.total;
    });
    return { items: rows.map((row) => toNoticeView(row)), total };
  }

  /**
   * An agency's notices that need staff (dead or unknown): those to the court itself and those to
   * its probation officers, newest first; for the agency's page, where its address is fixed.
   */
  async needingStaffFor(user: SignedInUser, agencyId: string, limit: number): Promise<NoticeView[]> {
    const params = new SqlParams();
    const agency = params.bind(agencyId);
    const rows: NoticeRow[] = await this.dataSource.query(
      `SELECT ${NOTICE_ROW_SELECT} FROM ${NOTICE_ROW_FROM}
        WHERE ${scopeSql(user, 'notice.read', NOTICE_SCOPE, params.bind)} AND n.status IN ('dead', 'unknown')
          AND (n.recipient_agency_id = ${agency} OR n.recipient_user_id IN (SELECT u.id FROM users u WHERE u.agency_id = ${agency}))
        ORDER BY n.created_at DESC, n.id LIMIT ${params.bind(limit)}`,
      params.values,
    );
    await this.audit.record({
      action: 'notice.list',
      recordType: 'notice',
      details: { filters: { agencyId, needsStaff: true }, returned: rows.map((row) => row.id) },
    });
    return rows.map((row) => toNoticeView(row));
  }

  async get(user: SignedInUser, noticeId: string, options: { audit?: boolean } = {}): Promise<NoticeView> {
    const params = new SqlParams();
    const [row] = await this.dataSource.query<[NoticeRow?]>(
      `SELECT ${NOTICE_ROW_SELECT} FROM ${NOTICE_ROW_FROM} WHERE n.id = ${params.bind(noticeId)} AND ${scopeSql(user, 'notice.read', NOTICE_SCOPE, params.bind)}`,
      params.values,
    );
    if (!row) throw new NotFoundError('notice');
    if (options.audit !== false) await this.audit.record({ action: 'notice.read', recordType: 'notice', recordId: noticeId });
    return toNoticeView(row);
  }

  /**
   * The notice with what its letter says: the event's facts and headline, and whether a later
   * correction withdrew the event. Reading it is reading the notice (audited once).
   */
  async detail(user: SignedInUser, noticeId: string): Promise<NoticeDetail> {
    const notice = await this.get(user, noticeId);
    const [event] = await this.dataSource.query<
      Array<{
        facts: Record<string, unknown>;
        corrected_kind: ComplianceEventKind | null;
        first_name: string;
        last_name: string;
        withdrawn_by: string | null;
      }>
    >(
      `SELECT e.facts, e.corrects_event_id, ce.kind AS corrected_kind, p.first_name, p.last_name,
              (SELECT w.id FROM compliance_events w WHERE w.corrects_event_id = e.id LIMIT 1) AS withdrawn_by
         FROM compliance_events e
         JOIN referrals r ON r.id = e.referral_id
         JOIN participants p ON p.id = r.participant_id
         LEFT JOIN compliance_events ce ON ce.id = e.corrects_event_id
        WHERE e.id = $1`,
      [notice.eventId],
    );
    return {
      notice,
      headline: headlineFor(
        // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the view carries the event kind as its text
        notice.eventKind as ComplianceEventKind,
        `${event.first_name} ${event.last_name}`,
        event.facts,
        event.corrected_kind,
      ),
      facts: eventFacts(event.facts),
      withdrawn: event.withdrawn_by !== null,
    };
  }

  /** The PDF letter as sent (or as it will be sent): it names the man, so reading it is audited. */
  async letter(user: SignedInUser, noticeId: string): Promise<{ pdf: Buffer; fileName: string }> {
    const notice = await this.get(user, noticeId, { audit: false });
    await this.audit.record({ action: 'notice.letter_read', recordType: 'notice', recordId: noticeId });
    const [row] = await this.dataSource.query<[{ letter_pdf: Buffer | null }?]>(`SELECT letter_pdf FROM notices WHERE id = $1`, [noticeId]);
    if (!row?.letter_pdf)
      throw new UnprocessableError('NOTICE_NOT_RENDERED', 'This notice has not been rendered yet; try again in a moment');
    return { pdf: row.letter_pdf, fileName: letterFileName(notice) };
  }

  /** The e-mail as rendered (HTML), for staff to see what the recipient gets. */
  async preview(user: SignedInUser, noticeId: string): Promise<string> {
    await this.get(user, noticeId, { audit: false });
    const [row] = await this.dataSource.query<[{ body_html: string | null }?]>(`SELECT body_html FROM notices WHERE id = $1`, [noticeId]);
    if (!row?.body_html)
      throw new UnprocessableError('NOTICE_NOT_RENDERED', 'This notice has not been rendered yet; try again in a moment');
    await this.audit.record({ action: 'notice.preview', recordType: 'notice', recordId: noticeId });
    return row.body_html;
  }

  /**
   * The recipient confirms receipt; reminders of the notice are settled with it. Undelivered
   * notices may be acknowledged too (he read it in Throughline), which stops their delivery.
   */
  async acknowledge(user: SignedInUser, noticeId: string): Promise<NoticeView> {
    await this.dataSource.transaction((manager) => acknowledgeNotices(manager, this.audit, user, [noticeId]));
    return this.get(user, noticeId, { audit: false });
  }

  /** Staff resolve a dead or unknown notice by sending it again, deliberately. */
  async retry(user: SignedInUser, noticeId: string): Promise<NoticeView> {
    await this.dataSource.transaction(async (manager) => {
      const [notice] = await manager.query<
        [
          {
            id: string;
            status: NoticeStatus;
            last_response: string | null;
          }?,
        ]
      >(`SELECT id, status, last_response FROM notices WHERE id = $1 FOR UPDATE`, [noticeId]);
      if (!notice) throw new NotFoundError('notice');
      if (notice.status !== NoticeStatus.Dead && notice.status !== NoticeStatus.Unknown) {
        throw new UnprocessableError(
          'NOTICE_NOT_RETRYABLE',
          `Only dead or unknown notices are retried by hand; this one is ${notice.status}`,
        );
      }
      await this.refuseRetryOverLimit(manager, noticeId);
      // Staff usually fixed the address first (agency or user); the resend uses the address and
      // the wording as they are now, so it is rendered again.
      await manager.query(
        `UPDATE notices n SET status = 'pending', attempts = 0, next_attempt_at = now(), queued_at = NULL, sending_started_at = NULL,
                rendered_at = NULL,
                recipient_email = COALESCE(CASE n.recipient_kind
                  WHEN 'probation_officer' THEN (SELECT u.email FROM users u WHERE u.id = n.recipient_user_id)
                  WHEN 'court' THEN (SELECT a.notice_email FROM agencies a WHERE a.id = n.recipient_agency_id)
                END, n.recipient_email)
          WHERE n.id = $1`,
        [noticeId],
      );
      // Queued by the worker when this commits, as a new notice is (queued_at is NULL again).
      await manager.query(`SELECT pg_notify($1, '')`, [NOTICES_DUE_CHANNEL]);
      await this.audit.record(
        {
          action: 'notice.retry',
          recordType: 'notice',
          recordId: noticeId,
          // The server's last answer and the address stay on the notice itself.
          details: { from: notice.status },
        },
        manager,
      );
    });
    return this.get(user, noticeId, { audit: false });
  }

  /**
   * A notice that keeps dying will not go through by pressing "send again" harder: after
   * MANUAL_RETRIES_PER_DAY resends in 24 hours the address or the mail server needs fixing first.
   * Counted from the audit trail (append-only, indexed by record) under the notice's row lock.
   */
  private async refuseRetryOverLimit(manager: EntityManager, noticeId: string): Promise<void> {
    const [window] = await manager.query<Array<{ retries: number; oldest: Date | null }>>(
      `SELECT count(*)::int AS retries, min(occurred_at) AS oldest
         FROM audit_entries
        WHERE record_type = 'notice' AND record_id = $1 AND action = 'notice.retry' AND occurred_at > now() - interval '24 hours'`,
      [noticeId],
    );
    // Retries in the window mean an oldest one.
    if (window.retries < MANUAL_RETRIES_PER_DAY || !window.oldest) return;
    const retryAfter = new Date(window.oldest.getTime() + 24 * 3600_000).toISOString();
    throw new DomainError(
      'too_many_requests',
      'NOTICE_RETRY_LIMIT',
      `This notice was sent again ${window.retries} times in the last 24 hours; fix the address or the mail server first (it can be sent again after ${retryAfter})`,
      { limit: MANUAL_RETRIES_PER_DAY, retriesInLast24Hours: window.retries, retryAfter },
    );
  }

  /** The report of undelivered and overdue notices: one query. */
  async summary(): Promise<NoticeSummary> {
    // An aggregate: always one row; a status no notice has is missing from by_status.
    const [row] = await this.dataSource.query<
      [{ by_status: Partial<Record<string, number>>; undelivered: number; oldest: number | null; overdue: number }]
    >(
      `SELECT COALESCE(jsonb_object_agg(status, count) FILTER (WHERE status IS NOT NULL), '{}'::jsonb) AS by_status,
              COALESCE(sum(count) FILTER (WHERE status IN ('pending', 'sending', 'failed')), 0)::int AS undelivered,
              (SELECT extract(epoch FROM now() - min(created_at))::int FROM notices WHERE status IN ('pending', 'sending', 'failed')) AS oldest,
              (SELECT count(*)::int FROM notices WHERE status IN ('pending', 'sending', 'failed', 'dead', 'unknown') AND due_by < now()) AS overdue
         FROM (SELECT status, count(*)::int AS count FROM notices GROUP BY status) s`,
    );
    return {
      byStatus: row.by_status,
      undelivered: row.undelivered,
      oldestUndeliveredSeconds: row.oldest,
      overdue: row.overdue,
      dead: row.by_status.dead ?? 0,
      unknown: row.by_status.unknown ?? 0,
    };
  }
}
