import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import Redis from 'ioredis';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { AppConfig } from '../../src/config/app-config';
import { configureHttpApp } from '../../src/http-app';
import { SmtpSink } from './smtp-sink';
import { createDatabaseFromTemplate, databaseUrl, dropDatabase, runId, TEST_REDIS_URL } from './test-database';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  config: AppConfig;
  dataSource: DataSource;
  smtp: SmtpSink;
  databaseName: string;
  logs: string[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Reuse a database (e.g. a second process against the same data). */
  databaseName?: string;
  /** Changes to the module before it is compiled (e.g. a provider taken away). */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

/** Boots the real app on a fresh database, its own Redis prefix and an in-process SMTP server. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const databaseName = options.databaseName ?? (await createDatabaseFromTemplate());
  const smtp = new SmtpSink();
  await smtp.start();
  const queuePrefix = `tl-test-${runId()}-${Math.random().toString(36).slice(2, 8)}`;
  const config = AppConfig.fromEnvironment({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl(databaseName),
    REDIS_URL: TEST_REDIS_URL,
    SMTP_URL: smtp.url,
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: 'silent',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    // Delivery on a test's time scale: fast relay and retries, a short queue lock.
    QUEUE_LOCK_MS: '5000',
    NOTICE_RELAY_INTERVAL_MS: '200',
    NOTICE_RELAY_GRACE_MS: '1000',
    NOTICE_RETRY_BASE_MS: '100',
    // Suites replay a fixed autumn 2026; the holiday calendar's own suite turns the seeding on.
    PROGRAM_HOLIDAYS: 'none',
    // Suites end and age sessions straight in SQL and expect the next request to see it, so every
    // request checks the database; the session cache's own suite turns the cache on.
    SESSION_CACHE_MS: '0',
    ...options.env,
  });
  const logs: string[] = [];
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));

  resetPinoRootLogger();
  const builder = Test.createTestingModule({ imports: [AppModule.forRoot(config, { logStream })] });
  const moduleRef = await (options.override ? options.override(builder) : builder).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false });
  configureHttpApp(app);
  try {
    await app.init();
  } catch (error) {
    // A start-up that fails (as tests of start-up checks expect) still leaves nothing behind.
    await app.close().catch(() => undefined);
    await smtp.stop();
    await deleteRedisKeys(`${queuePrefix}:*`);
    if (!options.databaseName) await dropDatabase(databaseName);
    throw error;
  }

  return {
    app,
    http: request(app.getHttpServer()),
    config,
    dataSource: app.get(DataSource),
    smtp,
    databaseName,
    logs,
    async close() {
      await app.close();
      await smtp.stop();
      await deleteRedisKeys(`${queuePrefix}:*`);
      if (!options.databaseName) await dropDatabase(databaseName);
    },
  };
}

/**
 * nestjs-pino builds one pino-http instance per process and reuses it for every later app, so a
 * second app in the same test file would log with the first one's level into the first one's
 * `logs`. Each test app gets its own (a deployed process only ever builds one app).
 */
function resetPinoRootLogger(): void {
  // nestjs-pino 4.6 keeps it as PinoLogger.root and an out-of-context logger, with a reset for tests.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file the package does not export, found by its path
  const pinoLogger = require(join(dirname(require.resolve('nestjs-pino')), 'PinoLogger.js')) as { __resetOutOfContextForTests(): void };
  pinoLogger.__resetOutOfContextForTests();
}

async function deleteRedisKeys(pattern: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
