/** Whatever can run a statement: the data source, a transaction's manager, or a query runner. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Every row of a hand-written statement, typed by the caller's row interface. The driver answers
 * `any`; naming the row type here, once per statement, keeps `any` out of every call site.
 */
export async function rows<T>(runner: SqlRunner, sql: string, params?: readonly unknown[]): Promise<T[]> {
  return (await runner.query(sql, params as unknown[] | undefined)) as T[];
}

/** The first row, or null when the statement answered none. */
export async function maybeOne<T>(runner: SqlRunner, sql: string, params?: readonly unknown[]): Promise<T | null> {
  const [row] = await rows<T>(runner, sql, params);
  return row ?? null;
}

/**
 * The row of a statement that always answers one (an aggregate, an INSERT … RETURNING). No row is
 * a bug, not a missing record, so it is not turned into a 404.
 */
export async function one<T>(runner: SqlRunner, sql: string, params?: readonly unknown[]): Promise<T> {
  const [row] = await rows<T>(runner, sql, params);
  if (row === undefined) throw new Error('The statement answered no row where one was expected');
  return row;
}

/**
 * An UPDATE or DELETE (with or without RETURNING): the driver answers its returned rows and how
 * many rows it changed, not a row list.
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the RETURNING rows' type
export async function changes<T = never>(
  runner: SqlRunner,
  sql: string,
  params?: readonly unknown[],
): Promise<{ rows: T[]; count: number }> {
  const [returned, count] = (await runner.query(sql, params as unknown[] | undefined)) as [T[], number];
  return { rows: returned, count };
}
