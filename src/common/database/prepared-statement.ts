import { createHash } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';

interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** Statement texts seen so far and their names; the texts are the program's own, so few. */
const NAMES = new Map<string, string>();
const MAX_REMEMBERED_NAMES = 500;

/** The same name for the same text in every process: a digest of the text. */
export function statementName(text: string): string {
  const known = NAMES.get(text);
  if (known) return known;
  const name = `tl_${createHash('sha1').update(text).digest('hex').slice(0, 32)}`;
  if (NAMES.size < MAX_REMEMBERED_NAMES) NAMES.set(text, name);
  return name;
}

/**
 * A read sent as a named prepared statement on the data source's own pool, outside any transaction.
 * Each pooled connection parses and plans it once; after five runs PostgreSQL keeps a generic plan
 * when it costs no more than the custom ones. For a hot read whose plan does not depend on the
 * values bound (the court's lookup by court and case number: the unique index either way), that
 * removes its planning, which took longer than its execution (bench/findings.md, 2026-12-02
 * afternoon), and TypeORM's query runner around it. Errors come back as TypeORM's QueryFailedError,
 * so the error filter maps them as it maps every other statement's.
 */
export async function queryPrepared<T>(dataSource: DataSource, text: string, values: unknown[]): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master: PgPool }).master;
  try {
    const result = await pool.query({ name: statementName(text), text, values });
    return result.rows as T[];
  } catch (error) {
    throw new QueryFailedError(text, values, error as Error);
  }
}
