import 'reflect-metadata';
import Redis from 'ioredis';
import {
  assertTestDatabaseName,
  dropDatabase,
  migrate,
  TEST_REDIS_URL,
  templateDatabaseName,
  withServerClient,
} from '../helpers/test-database';

const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

/** Checks PostgreSQL and Redis, clears stale test databases, and builds this run's migrated template. */
export default async function globalSetup(): Promise<void> {
  const run = `r${Date.now().toString(36)}`;
  process.env.THROUGHLINE_TEST_RUN = run;

  await withServerClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'throughline\\_test\\_r%'`,
    );
    for (const { datname } of rows) {
      const stamp = /^throughline_test_r([a-z0-9]+)_/.exec(datname)?.[1];
      if (stamp && Date.now() - parseInt(stamp, 36) > STALE_AFTER_MS) {
        assertTestDatabaseName(datname);
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
  }).catch((error: unknown) => {
    throw new Error(`PostgreSQL is not reachable at 127.0.0.1:5432 (${(error as Error).message}); start it first`, { cause: error });
  });

  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis is not reachable at ${TEST_REDIS_URL} (${(error as Error).message}); start it first`, { cause: error });
  } finally {
    redis.disconnect();
  }

  const template = templateDatabaseName(run);
  await dropDatabase(template);
  await withServerClient((client) => client.query(`CREATE DATABASE "${template}"`));
  await migrate(template);
}
