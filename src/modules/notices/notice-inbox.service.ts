import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotFoundError, UnprocessableError } from '../../common/errors/domain-error';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Page } from '../../common/http/pagination.dto';
import { SqlParams } from '../../common/http/sql-params';
import { queryPrepared } from '../../common/database/prepared-statement';
import { AuditService } from '../audit/audit.service';
import { ComplianceEventKind } from '../../common/program/compliance-event-kind.enum';
import { ruleFor, scopeSql } from '../access/permissions';
import { NoticeStatus } from './notice-status.enum';
import { NOTICE_ROW_FROM, NOTICE_ROW_SELECT, NoticeRow, NoticeView, toNoticeView } from './notice.view';

/** Most notices one bulk acknowledgement takes: a page of the inbox. */
export const MAX_BULK_ACKNOWLEDGE = 200;

export interface InboxFilters {
  kind?: ComplianceEventKind;
  /** Only notices written at least this many days ago: what has waited longest. */
  olderThanDays?: number;
  caseNumber?: string;
  limit: number;
  offset: number;
}

export type InboxItem = NoticeView & { participantName: string };

export interface InboxPage extends Page<InboxItem> {
  /** Unacknowledged notices of the inbox whatever the filters: the count the navigation shows. */
  unacknowledged: number;
}

/** Still to be acknowledged by its recipient (a dead one is the program's to resend first). */
const OPEN_STATUSES: NoticeStatus[] = [
  NoticeStatus.Pending,
  NoticeStatus.Sending,
  NoticeStatus.Sent,
  NoticeStatus.Failed,
  NoticeStatus.Unknown,
];
const ACKNOWLEDGEABLE: NoticeStatus[] = [NoticeStatus.Pending, NoticeStatus.Failed, NoticeStatus.Sent, NoticeStatus.Unknown];

/**
 * The recipient's unacknowledged notices: the inbox, whatever its filters, and the navigation's
 * count. Literal conditions, so they match the partial inbox indexes (notice.entity.ts).
 */
function openInboxSql(user: SignedInUser, bind: (value: unknown) => string): string[] {
  return [
    scopeSql(user, 'notice.inbox', 'n', bind),
    `n.purpose = 'event'`,
    `n.status <> 'acknowledged'`,
    `n.status = ANY(${bind(OPEN_STATUSES)}::notice_status[])`,
  ];
}

/**
 * Acknowledges notices of this recipient, all or none, in the caller's transaction: rows are
 * locked in id order (two bulk acknowledgements cannot deadlock), any id outside the recipient's
 * notices is a 404 for the whole request, and each notice acknowledged gets its own audit entry.
 * Reminders of a notice are settled with it. Already acknowledged ones are left as they are.
 */
export async function acknowledgeNotices(
  manager: EntityManager,
  audit: AuditService,
  user: SignedInUser,
  noticeIds: string[],
): Promise<string[]> {
  const ids = [...new Set(noticeIds)];
  const params = new SqlParams();
  const rows = await manager.query<Array<{ id: string; status: NoticeStatus }>>(
    `SELECT n.id, n.status FROM notices n WHERE n.id = ANY(${params.bind(ids)}::uuid[]) AND ${scopeSql(user, 'notice.inbox', 'n', params.bind)} ORDER BY n.id FOR UPDATE`,
    params.values,
  );
  if (rows.length !== ids.length) throw new NotFoundError('notice');
  const blocked = rows.filter((row) => row.status === NoticeStatus.Dead || row.status === NoticeStatus.Sending);
  if (blocked.length > 0) {
    const dead = blocked.some((row) => row.status === NoticeStatus.Dead);
    throw new UnprocessableError(
      'NOTICE_NOT_ACKNOWLEDGEABLE',
      dead
        ? 'This notice could not be delivered; the program will resend it'
        : 'This notice is being sent right now; try again in a moment',
      { noticeIds: blocked.map((row) => row.id) },
    );
  }
  const todo = rows.filter((row) => ACKNOWLEDGEABLE.includes(row.status));
  if (todo.length === 0) return [];
  const todoIds = todo.map((row) => row.id);
  await manager.query(
    `UPDATE notices SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by_id = $2
      WHERE (id = ANY($1::uuid[]) OR reminds_notice_id = ANY($1::uuid[])) AND status IN ('sent', 'unknown', 'pending', 'failed')`,
    [todoIds, user.id],
  );
  await audit.recordMany(
    todo.map((row) => ({
      action: 'notice.acknowledge',
      recordType: 'notice',
      recordId: row.id,
      details: { from: row.status, bulk: ids.length > 1 },
    })),
    manager,
  );
  return todoIds;
}

/** The recipient's side: what is waiting to be acknowledged, and acknowledging many at once. */
@Injectable()
export class NoticeInboxService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Newest first: a clerk works down from what just came in; the age filter finds what waited. */
  async inbox(user: SignedInUser, filters: InboxFilters): Promise<InboxPage> {
    const params = new SqlParams();
    const base = openInboxSql(user, params.bind);
    const where = [...base];
    if (filters.kind) where.push(`e.kind = ${params.bind(filters.kind)}`);
    if (filters.olderThanDays !== undefined)
      where.push(`n.created_at <= now() - make_interval(days => ${params.bind(filters.olderThanDays)}::int)`);
    if (filters.caseNumber) where.push(`r.case_number = ${params.bind(filters.caseNumber.trim().toUpperCase())}`);
    const [{ total, unacknowledged }] = await this.dataSource.query<Array<{ total: number; unacknowledged: number }>>(
      `SELECT count(*) FILTER (WHERE ${where.join(' AND ')})::int AS total, count(*)::int AS unacknowledged
         FROM ${NOTICE_ROW_FROM} WHERE ${base.join(' AND ')}`,
      params.values,
    );
    const rows: Array<NoticeRow & { participant_name: string }> = await this.dataSource.query(
      `SELECT ${NOTICE_ROW_SELECT}, p.first_name || ' ' || p.last_name AS participant_name
         FROM ${NOTICE_ROW_FROM} JOIN participants p ON p.id = r.participant_id WHERE ${where.join(' AND ')}
        ORDER BY n.created_at DESC, n.id LIMIT ${params.bind(filters.limit)} OFFSET ${params.bind(filters.offset)}`,
      params.values,
    );
    await this.audit.record({
      action: 'notice.inbox',
      recordType: 'notice',
      // The case number is not kept in the audit details either: it is the man's, not the query's.
      details: {
        filters: { kind: filters.kind ?? null, olderThanDays: filters.olderThanDays ?? null, byCaseNumber: Boolean(filters.caseNumber) },
        returned: rows.map((row) => row.id),
      },
    });
    return { items: rows.map((row) => ({ ...toNoticeView(row), participantName: row.participant_name })), total, unacknowledged };
  }

  /** The number in the navigation: one indexed count, no audit (it shows no record). */
  async unacknowledgedCount(user: SignedInUser): Promise<number> {
    // Only recipients have an inbox: nobody else's count needs a statement.
    if (!ruleFor(user, 'notice.inbox')) return 0;
    const params = new SqlParams();
    // On every page of a recipient, by his id (the inbox's partial index whatever it is): prepared,
    // planned once per connection.
    const [{ n }] = await queryPrepared<{ n: number }>(
      this.dataSource,
      `SELECT count(*)::int AS n FROM notices n WHERE ${openInboxSql(user, params.bind).join(' AND ')}`,
      params.values,
    );
    return n;
  }

  /** All of them or none: one transaction, one audit entry per notice. */
  async acknowledgeMany(user: SignedInUser, noticeIds: string[]): Promise<{ acknowledged: string[] }> {
    const acknowledged = await this.dataSource.transaction((manager) => acknowledgeNotices(manager, this.audit, user, noticeIds));
    return { acknowledged };
  }
}
