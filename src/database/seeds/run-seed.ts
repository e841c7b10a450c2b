import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../../app.module';
import { AppConfig } from '../../config/app-config';
import { ConfigError } from '../../config/environment';
import { DEMO_PASSWORDS, DEMO_STAFF } from './demo-people';
import { seedDemoProgram } from './demo-data';
import { seedReferenceData } from './reference-data';

/**
 * Reference data (policy presets, the Duluth curriculum) always; the demo program with its
 * known passwords only outside production and unless --reference-only is given.
 */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    // No workers in the seeding process: the app's own workers deliver what the seed raises.
    config = AppConfig.fromEnvironment({ ...process.env, APP_ROLE: 'api', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`throughline seed: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const withDemo = config.nodeEnv !== 'production' && !process.argv.includes('--reference-only');
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const reference = await app.get(DataSource).transaction((manager) => seedReferenceData(manager));
    // The holiday calendar seeds itself when the application context starts (HolidayCalendar).
    process.stdout.write(
      `Reference data: ${reference.policies.length} policy presets, the Duluth curriculum, the program's holiday calendar.\n`,
    );
    if (!withDemo) return;
    const outcome = await seedDemoProgram(app, reference);
    process.stdout.write(outcome === 'created' ? 'Demo program created.\n' : 'Demo program already present; left as it is.\n');
    printSignIns(config);
  } finally {
    // Give the after-commit dispatches a moment; anything left is picked up by the relay.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await app.close();
  }
}

function printSignIns(config: AppConfig): void {
  const rows = DEMO_STAFF.filter((person) => !person.key.endsWith('2')).map(
    (person) => `    ${person.role.padEnd(18)} ${person.email.padEnd(36)} ${DEMO_PASSWORDS[person.role]}`,
  );
  process.stdout.write(
    [
      '',
      `  Demo sign-ins (open ${config.publicUrl}/login):`,
      `    ${'role'.padEnd(18)} ${'e-mail'.padEnd(36)} password`,
      ...rows,
      '    (also ray.facilitator@ and po2@demo.throughline.test, same passwords as their roles)',
      '',
    ].join('\n') + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`throughline seed failed: ${(error as Error).stack ?? (error as Error).message}\n`);
  process.exit(1);
});
