import { assertTestDatabaseName, withServerClient } from '../helpers/test-database';

/** Drops every database this run made (test files drop their own; this catches leftovers). */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.THROUGHLINE_TEST_RUN;
  if (!run) return;
  await withServerClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `throughline_test_${run}_%`,
    ]);
    for (const { datname } of rows) {
      assertTestDatabaseName(datname);
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  });
}
