import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';

export const PG_SERVER = process.env.BENCH_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** The bench only ever creates or drops databases named throughline_bench… (or throughline_test_…, its smoke test's). */
export function assertBenchDatabaseName(name: string): void {
  if (!/^throughline_(bench|test_)[a-z0-9_]*$/.test(name)) {
    throw new Error(`Refusing to touch database "${name}": its name must start with throughline_bench`);
  }
}

export function benchDatabaseUrl(name: string): string {
  assertBenchDatabaseName(name);
  return `${PG_SERVER}/${name}`;
}

async function withServerClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${PG_SERVER}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropBenchDatabase(name: string): Promise<void> {
  assertBenchDatabaseName(name);
  await withServerClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A fresh database (an older one of the same name is dropped), migrated like production. */
export async function createBenchDatabase(name: string): Promise<void> {
  await dropBenchDatabase(name);
  await withServerClient((client) => client.query(`CREATE DATABASE "${name}"`));
  const dataSource = new DataSource(dataSourceOptions(benchDatabaseUrl(name)));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

export async function connect(name: string): Promise<Client> {
  const client = new Client({ connectionString: benchDatabaseUrl(name), application_name: 'throughline-bench-baseline' });
  await client.connect();
  return client;
}

/** Deletes the bench's own Bull keys (`<prefix>:*`), never anything else. */
export async function deleteRedisKeys(prefix: string): Promise<number> {
  if (!/^throughline-bench[A-Za-z0-9_.-]*$/.test(prefix)) throw new Error(`Refusing to delete Redis keys of prefix "${prefix}"`);
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export async function serverFacts(name: string): Promise<{ postgres: string }> {
  const client = await connect(name);
  try {
    const { rows } = await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    return { postgres: rows[0].v };
  } finally {
    await client.end();
  }
}
