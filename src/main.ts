import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { ConfigError } from './config/environment';
import { configureHttpApp } from './http-app';

function loadConfigOrExit(): AppConfig {
  try {
    return AppConfig.fromEnvironment();
  } catch (error) {
    if (error instanceof ConfigError) {
      // One clear line, no stack: the operator needs to know which variable to fix.
      process.stderr.write(`throughline: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  if (config.servesHttp) {
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
      bodyParser: false,
      bufferLogs: true,
    });
    configureHttpApp(app);
    app.enableShutdownHooks();
    // 127.0.0.1 unless HOST says otherwise (production and the container default to 0.0.0.0).
    await app.listen(config.port, config.host);
    if (process.env.DEMO_BANNER === '1') printBanner(config);
  } else {
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { bufferLogs: true });
    app.enableShutdownHooks();
  }
}

function printBanner(config: AppConfig): void {
  process.stdout.write(
    [
      '',
      `Throughline is running (APP_ROLE=${config.appRole}).`,
      `  Open:   ${config.publicUrl}/`,
      `  API docs: ${config.publicUrl}/docs`,
      `  Health: ${config.publicUrl}/health/ready`,
      '',
    ].join('\n') + '\n',
  );
}

void bootstrap();
