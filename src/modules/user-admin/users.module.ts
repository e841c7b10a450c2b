import { Module } from '@nestjs/common';
import { AccountsModule } from '../auth/accounts.module';
import { SignInLockoutModule } from '../auth/sign-in-lockout';
import { UserAdminService } from './user-admin.service';
import { MailModule } from '../mail/mail.module';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/**
 * The admin's work on accounts: create, invite, edit, deactivate, unlock, reset a second factor.
 * It sits above auth (it ends sessions, lifts locks, sends invitations), while the account itself
 * (users: the entity, the password rules) sits below auth, which signs those accounts in.
 */
@Module({
  imports: [SignInLockoutModule, AccountsModule, MailModule],
  controllers: [UsersController],
  providers: [UsersService, UserAdminService, UsersRepository],
  exports: [UsersService, UserAdminService],
})
export class UsersModule {}
