import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { MailModule } from '../mail/mail.module';
import { AccountLinksRepository } from './account-links.repository';
import { AccountLinksService } from './account-links.service';
import { PasswordResetLimits } from './password-reset-limits';
import { SecondFactorRepository } from './second-factor.repository';
import { SecondFactorService } from './second-factor.service';
import { SessionRevocations } from './session-revocations';

/** Invitations, password resets and the second factor: what sign-in (AuthModule) and the admin's users (UsersModule) share. */
@Module({
  imports: [MailModule],
  providers: [
    AccountLinksService,
    AccountLinksRepository,
    SecondFactorService,
    SecondFactorRepository,
    SessionRevocations,
    {
      provide: PasswordResetLimits,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new PasswordResetLimits(config.redisUrl, config.queuePrefix, config.jwtSecret),
    },
  ],
  exports: [AccountLinksService, SecondFactorService, SessionRevocations],
})
export class AccountsModule {}
