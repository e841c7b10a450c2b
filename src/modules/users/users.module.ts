import { Module } from '@nestjs/common';
import { SignInLockoutModule } from '../auth/sign-in-lockout';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [SignInLockoutModule],
  controllers: [UsersController],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
