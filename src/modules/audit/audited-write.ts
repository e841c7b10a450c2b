import { DataSource, EntityManager } from 'typeorm';
import { queryPrepared } from '../../common/database/prepared-statement';
import { SqlParams } from '../../common/http/sql-params';
import { auditColumns } from './audit.service';

/**
 * Several writes and their audit entries as one statement: each write is a data-modifying CTE
 * (PostgreSQL runs every one of them, once, whether or not anything reads it), and every entry
 * they call for goes into audit_entries in one INSERT at the end. A save that changes a status,
 * raises events and writes their notices costs one round trip instead of one per table. CTEs see
 * the tables as they were before the statement, and each other's rows only through RETURNING.
 */
export class AuditedWrite {
  readonly params = new SqlParams();
  readonly bind = this.params.bind;
  private readonly ctes: Array<{ name: string; sql: string; returned: boolean }> = [];
  private readonly entries: string[] = [];

  get empty(): boolean {
    return this.ctes.length === 0 && this.entries.length === 0;
  }

  /** `WITH name AS (sql)`; with `returned`, its rows come back from `run` under its name. */
  with(name: string, sql: string, options: { returned?: boolean } = {}): this {
    this.ctes.push({ name, sql, returned: options.returned ?? false });
    return this;
  }

  /** Audit entries: a SELECT of (action, record_type, record_id, details jsonb, ord), one row per entry, in `ord` order. */
  audit(select: string): this {
    this.entries.push(select);
    return this;
  }

  /** Runs it; answers the rows of every CTE marked `returned`, by name. */
  async run(manager: EntityManager): Promise<Partial<Record<string, Array<Record<string, unknown>>>>> {
    const statement = this.statement();
    if (!statement) return {};
    return AuditedWrite.answer(await manager.query<Array<Record<string, unknown>>>(statement.text, statement.values));
  }

  /**
   * Runs it as a named prepared statement on the pool, outside any transaction: for a write sent
   * again and again with the same text (a notice recorded sent), planned once per connection.
   */
  async runPrepared(dataSource: DataSource): Promise<Partial<Record<string, Array<Record<string, unknown>>>>> {
    const statement = this.statement();
    if (!statement) return {};
    return AuditedWrite.answer(await queryPrepared<Record<string, unknown>>(dataSource, statement.text, statement.values));
  }

  /**
   * The same as a statement for the caller to send (with others, in one round trip: a pipelined
   * transaction); `answer` reads its rows. Null when there is nothing to write.
   */
  statement(): { text: string; values: unknown[]; prepared: true } | null {
    if (this.empty) return null;
    const ctes = [...this.ctes.map((cte) => `${cte.name} AS (${cte.sql})`)];
    if (this.entries.length) {
      const who = auditColumns({ action: '', recordType: '' });
      ctes.push(
        `audited_entries AS (
           INSERT INTO audit_entries (actor_user_id, actor_role, action, record_type, record_id, ip_address, request_id, details)
           SELECT ${this.bind(who.actorUserId)}::uuid, ${this.bind(who.actorRole)}, e.action, e.record_type, e.record_id,
                  ${this.bind(who.ipAddress)}, ${this.bind(who.requestId)}, e.details
             FROM (${this.entries.map((select, part) => `SELECT ${part} AS part, x.action::text AS action, x.record_type::text AS record_type, x.record_id::text AS record_id, x.details::jsonb AS details, x.ord::bigint AS ord FROM (${select}) x(action, record_type, record_id, details, ord)`).join(' UNION ALL ')}) e
            ORDER BY e.part, e.ord
         )`,
      );
    }
    const returned = this.ctes.filter((cte) => cte.returned);
    const select = returned.length
      ? returned.map((cte) => `(SELECT COALESCE(json_agg(t), '[]'::json) FROM ${cte.name} t) AS ${cte.name}`).join(', ')
      : '1 AS done';
    // Its text depends on which parts were added, not on the values (lists are bound as arrays):
    // few texts, each prepared once per connection.
    return { text: `WITH ${ctes.join(',\n')} SELECT ${select}`, values: this.params.values, prepared: true };
  }

  /** The rows of every CTE marked `returned`, by name, from the statement's rows. */
  static answer(rows: Array<Record<string, unknown>>): Partial<Record<string, Array<Record<string, unknown>>>> {
    return (rows[0] ?? {}) as Partial<Record<string, Array<Record<string, unknown>>>>;
  }
}
