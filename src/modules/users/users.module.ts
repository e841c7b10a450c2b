import { Module } from '@nestjs/common';
import { AccountsModule } from '../auth/accounts.module';
import { SignInLockoutModule } from '../auth/sign-in-lockout';
import { UserAdminService } from './user-admin.service';
import { MailModule } from '../mail/mail.module';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [SignInLockoutModule, AccountsModule, MailModule],
  controllers: [UsersController],
  providers: [UsersService, UserAdminService, UsersRepository],
  exports: [UsersService, UserAdminService],
})
export class UsersModule {}
