import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { CurrentUser, Public } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/context/request-context';
import { AuthService, LoginResult } from './auth.service';
import { ChangePasswordDto, LoginDto } from './login.dto';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginDto): Promise<LoginResult> {
    return this.auth.login(body.email, body.password);
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentUser() user: SignedInUser): Omit<SignedInUser, 'sessionId'> {
    return { id: user.id, email: user.email, name: user.name, role: user.role, agencyId: user.agencyId };
  }

  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: SignedInUser): Promise<void> {
    await this.auth.logout(user);
  }

  @ApiBearerAuth()
  @UseGuards(ThrottlerGuard)
  @Post('password')
  @HttpCode(200)
  changePassword(@CurrentUser() user: SignedInUser, @Body() body: ChangePasswordDto): Promise<LoginResult> {
    return this.auth.changePassword(user.id, body.currentPassword, body.newPassword);
  }
}
