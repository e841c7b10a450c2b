import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';

export const TEST_PG_SERVER = process.env.TEST_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const DB_PREFIX = 'throughline_test_';

/** Destructive helpers refuse any database whose name does not say test. */
export function assertTestDatabaseName(name: string): void {
  if (!/^throughline_test_[a-z0-9_]+$/.test(name)) {
    throw new Error(`Refusing to touch database "${name}": its name must start with ${DB_PREFIX}`);
  }
}

export function runId(): string {
  const id = process.env.THROUGHLINE_TEST_RUN;
  if (!id) throw new Error('THROUGHLINE_TEST_RUN is not set: run the tests through jest (global setup)');
  return id;
}

export function templateDatabaseName(run = runId()): string {
  return `${DB_PREFIX}${run}_template`;
}

export function databaseUrl(name: string): string {
  return `${TEST_PG_SERVER}/${name}`;
}

export async function withServerClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${TEST_PG_SERVER}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  assertTestDatabaseName(name);
  await withServerClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A fresh, migrated database for one test file, copied from this run's template in ~100 ms. */
export async function createDatabaseFromTemplate(): Promise<string> {
  const name = `${DB_PREFIX}${runId()}_${Math.random().toString(36).slice(2, 10)}`;
  assertTestDatabaseName(name);
  await withServerClient(async (client) => {
    // Two workers copying the template at the same instant can collide; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabaseName()}"`);
        return;
      } catch (error) {
        if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  });
  return name;
}

export async function migrate(name: string): Promise<void> {
  const dataSource = new DataSource(dataSourceOptions(databaseUrl(name)));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
