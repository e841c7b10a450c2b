import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../../common/context/request-context';
import { queryPrepared } from '../../common/database/prepared-statement';
import { AuditEntry } from './audit-entry.entity';

export interface AuditRecord {
  action: string;
  recordType: string;
  recordId?: string | null;
  details?: Record<string, unknown> | null;
  /** When the actor is not the signed-in user (failed login, the worker). */
  actorUserId?: string | null;
  actorRole?: string | null;
}

/**
 * Writes audit entries. Changes pass their transaction's manager so the entry commits
 * (or rolls back) with the change it describes.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(entry: AuditRecord, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await this.recordMany([entry], manager);
  }

  async recordMany(entries: AuditRecord[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((entry) => ({ ...auditColumns(entry), details: (entry.details ?? null) as never }));
    await manager.createQueryBuilder().insert().into(AuditEntry).values(rows).execute();
  }

  /**
   * A read of participant data and its audit entry in one statement (a data-modifying CTE), so
   * the entry is as synchronous and atomic as before and costs no round trip of its own: the rows
   * are not answered unless the entry is written, and the entry names exactly the rows answered.
   * `returned` names the column whose values the entry lists (details.returned, or the key given
   * as `as`, in the read's order). The read's SQL uses $1…$n of `params`; its column names must be unique.
   * `prepared`: sent as a named prepared statement (common/database/prepared-statement.ts), for a hot
   * read whose plan does not depend on its values; only outside a transaction (no manager given).
   */
  async auditedRead<T>(
    read: { sql: string; params: unknown[]; prepared?: boolean },
    entry: AuditRecord & { returned?: string | { column: string; as: string } },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<T[]> {
    const params = [...read.params];
    const bind = (value: unknown) => `$${params.push(value)}`;
    const columns = auditColumns(entry);
    const details = entry.details ? JSON.stringify(entry.details) : null;
    const returned = typeof entry.returned === 'string' ? { column: entry.returned, as: 'returned' } : entry.returned;
    const detailsSql = returned
      ? `COALESCE(${bind(details)}::jsonb, '{}'::jsonb) || jsonb_build_object(${bind(returned.as)}::text, COALESCE((SELECT jsonb_agg(a.${quoteIdentifier(returned.column)} ORDER BY a.audited_read_order) FROM audited_read a), '[]'::jsonb))`
      : `${bind(details)}::jsonb`;
    const sql = `WITH audited_read AS (SELECT q.*, row_number() OVER () AS audited_read_order FROM (${read.sql}) q),
            audited_entry AS (
              INSERT INTO audit_entries (actor_user_id, actor_role, action, record_type, record_id, ip_address, request_id, details)
              SELECT ${bind(columns.actorUserId)}::uuid, ${bind(columns.actorRole)}, ${bind(columns.action)}, ${bind(columns.recordType)}, ${bind(columns.recordId)},
                     ${bind(columns.ipAddress)}, ${bind(columns.requestId)}, ${detailsSql}
            )
       SELECT * FROM audited_read ORDER BY audited_read_order`;
    const rows =
      read.prepared && manager === this.dataSource.manager
        ? await queryPrepared<T & { audited_read_order?: unknown }>(this.dataSource, sql, params)
        : await manager.query<Array<T & { audited_read_order?: unknown }>>(sql, params);
    for (const row of rows) delete row.audited_read_order;
    return rows;
  }
}

/** Who, from where, what: the columns of an entry the request context fills in. */
export function auditColumns(entry: AuditRecord) {
  const context = RequestContext.current();
  return {
    actorUserId: entry.actorUserId !== undefined ? entry.actorUserId : (context?.user?.id ?? null),
    actorRole: entry.actorRole !== undefined ? entry.actorRole : (context?.user?.role ?? null),
    action: entry.action,
    recordType: entry.recordType,
    recordId: entry.recordId ?? null,
    ipAddress: context?.ipAddress ?? null,
    requestId: context?.requestId ?? null,
  };
}

function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a column name: ${name}`);
  return `"${name}"`;
}
