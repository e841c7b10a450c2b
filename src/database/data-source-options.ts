import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export function dataSourceOptions(databaseUrl: string, overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    // Compiled: dist/migrations/*.js; under ts-node or jest: migrations/*.ts.
    migrations: [join(__dirname, '..', '..', 'migrations', '*.{ts,js}')],
    migrationsTableName: 'schema_migrations',
    // gen_random_uuid() is built into PostgreSQL 13+; no uuid-ossp needed.
    uuidExtension: 'pgcrypto',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: 20,
      connectionTimeoutMillis: 3_000,
      // A statement stuck behind a lock should fail the request, not hang it.
      statement_timeout: 15_000,
      application_name: 'throughline',
      // Statements are not prepared, so a costly plan would be JIT-compiled on every call (bench/RESULTS.md).
      options: '-c jit=off',
    },
    ...overrides,
  } as DataSourceOptions;
}
