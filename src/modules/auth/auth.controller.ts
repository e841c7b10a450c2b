import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { CurrentUser, Public } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { AccountLinksService } from './account-links.service';
import { AuthService, LoginResult } from './auth.service';
import { ChangePasswordDto, LinkPasswordDto, LoginDto, PasswordResetRequestDto, SecondFactorCodeDto } from './login.dto';
import { Enrolment, SecondFactorService } from './second-factor.service';

const RESET_ANSWER = {
  message:
    'If an account has this address, an e-mail with a link to choose a new password is on its way. The link works once, for 30 minutes.',
};

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly links: AccountLinksService,
    private readonly secondFactor: SecondFactorService,
  ) {}

  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginDto): Promise<LoginResult> {
    return this.auth.login(body.email, body.password, body.code);
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

  /** The same answer whether or not the address has an account; limited per address and per client. */
  @Public()
  @Post('password-reset')
  @HttpCode(202)
  async requestPasswordReset(@Body() body: PasswordResetRequestDto): Promise<typeof RESET_ANSWER> {
    await this.links.requestPasswordReset(body.email);
    return RESET_ANSWER;
  }

  /** The reset link's token and the new password; every session of the user ends. */
  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('password-reset/confirm')
  @HttpCode(200)
  async confirmPasswordReset(@Body() body: LinkPasswordDto): Promise<{ email: string }> {
    const { email } = await this.links.resetPassword(body.token, body.password);
    return { email };
  }

  /** The invitation link's token and the first password; the account becomes active. */
  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('invitation/accept')
  @HttpCode(200)
  async acceptInvitation(@Body() body: LinkPasswordDto): Promise<{ email: string }> {
    const { email } = await this.links.acceptInvitation(body.token, body.password);
    return { email };
  }

  /** Starts setting up the second factor: the secret, its otpauth:// address and QR code (SVG data URL). */
  @ApiBearerAuth()
  @Post('second-factor')
  @HttpCode(200)
  startSecondFactor(@CurrentUser() user: SignedInUser): Promise<Enrolment> {
    return this.secondFactor.startEnrolment(user);
  }

  /** The first right code confirms it; the ten recovery codes are in this answer only. */
  @ApiBearerAuth()
  @Post('second-factor/confirm')
  @HttpCode(200)
  confirmSecondFactor(@CurrentUser() user: SignedInUser, @Body() body: SecondFactorCodeDto): Promise<{ recoveryCodes: string[] }> {
    return this.secondFactor.confirmEnrolment(user.id, body.code);
  }
}
