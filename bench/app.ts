import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { AppConfig } from '../src/config/app-config';
import { ProgramClock } from '../src/config/program-clock';
import { ReferenceData, seedReferenceData } from '../src/database/seeds/reference-data';
import { configureHttpApp } from '../src/http-app';
import { benchDatabaseUrl, REDIS_URL } from './database';

export interface BenchApp {
  app: INestApplication;
  config: AppConfig;
  dataSource: DataSource;
  reference: ReferenceData;
  today: string;
  /** http://127.0.0.1:<port>, served by the same app (APP_ROLE=api: no processors, no timers). */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real app on the bench database: APP_ROLE=api so no queue processor, relay or nightly
 * job runs (notices written by the sweep are queued under the bench's own prefix and stay
 * there until the bench deletes its keys), LOG_LEVEL=warn.
 */
export async function startBenchApp(databaseName: string, queuePrefix: string, jwtSecret: string): Promise<BenchApp> {
  const config = AppConfig.fromEnvironment({
    NODE_ENV: 'development',
    DATABASE_URL: benchDatabaseUrl(databaseName),
    REDIS_URL,
    APP_ROLE: 'api',
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: queuePrefix,
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    // Shared with the api process, which checks the tokens this app issues.
    JWT_SECRET: jwtSecret,
  });
  const app = await NestFactory.create(AppModule.forRoot(config), { bodyParser: false, logger: ['error', 'warn'] });
  configureHttpApp(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const dataSource = app.get(DataSource);
  const reference = await dataSource.transaction((manager) => seedReferenceData(manager));
  return {
    app,
    config,
    dataSource,
    reference,
    today: app.get(ProgramClock).today(),
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => app.close(),
  };
}
