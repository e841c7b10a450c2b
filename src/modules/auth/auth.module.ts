import { Module } from '@nestjs/common';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../../config/app-config';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthSessionsRepository } from './auth-sessions.repository';
import { AuthService } from './auth.service';
import { AccountsModule } from './accounts.module';
import { SignInLockoutModule } from './sign-in-lockout';

/** The shared sign-in counts, as a provider so its Redis connection closes with the app. */
@Module({
  providers: [
    {
      provide: RedisThrottlerStorage,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new RedisThrottlerStorage(config.redisUrl, config.queuePrefix),
    },
  ],
  exports: [RedisThrottlerStorage],
})
class ThrottleStorageModule {}

@Module({
  imports: [
    SignInLockoutModule,
    AccountsModule,
    // A KeyObject made once: given the secret as a string, jsonwebtoken first tries to parse it as
    // a PEM public key on every verify, which cost 15 % of a lookup's CPU (bench/RESULTS.md, P4).
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ secret: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) }),
    }),
    ThrottlerModule.forRootAsync({
      imports: [ThrottleStorageModule],
      inject: [AppConfig, RedisThrottlerStorage],
      useFactory: (config: AppConfig, storage: RedisThrottlerStorage) => ({
        throttlers: [{ name: 'login', ttl: 60_000, limit: config.loginRateLimitPerMinute }],
        storage,
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, AuthSessionsRepository, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, AccountsModule],
})
export class AuthModule {}
