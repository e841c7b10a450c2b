import { Module } from '@nestjs/common';
import { SignInLockoutModule } from '../auth/sign-in-lockout';
import { UserAdminService } from './user-admin.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [SignInLockoutModule],
  controllers: [UsersController],
  providers: [UsersService, UserAdminService],
  exports: [UsersService, UserAdminService],
})
export class UsersModule {}
