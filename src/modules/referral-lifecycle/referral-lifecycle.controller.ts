import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { Role } from '../../common/auth/role.enum';
import { FeesDto, ReasonDto } from '../referrals/create-referral.dto';
import { ReferralView } from '../referrals/referral.view';
import { ReferralsService } from '../referrals/referrals.service';
import { ReferralLifecycleService } from './referral-lifecycle.service';

/** The program's decisions about an order, each answered with the referral as it now reads. */
@ApiTags('referrals')
@Controller('api/v1/referrals')
export class ReferralLifecycleController {
  constructor(
    private readonly lifecycle: ReferralLifecycleService,
    private readonly referrals: ReferralsService,
  ) {}

  @Post(':id/complete')
  @Roles(Role.Admin)
  @HttpCode(200)
  async complete(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SignedInUser): Promise<ReferralView> {
    await this.lifecycle.complete(user, id);
    return this.referrals.get(user, id, { audit: false });
  }

  @Post(':id/terminate')
  @Roles(Role.Admin)
  @HttpCode(200)
  async terminate(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<ReferralView> {
    await this.lifecycle.terminate(user, id, body.reason);
    return this.referrals.get(user, id, { audit: false });
  }

  /** Back to active after non-compliance, with the program's reason (e.g. a make-up plan). */
  @Post(':id/reinstate')
  @Roles(Role.Admin)
  @HttpCode(200)
  async reinstate(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<ReferralView> {
    await this.lifecycle.reinstate(user, id, body.reason);
    return this.referrals.get(user, id, { audit: false });
  }

  @Post(':id/close')
  @Roles(Role.Admin)
  @HttpCode(200)
  async close(@Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto, @CurrentUser() user: SignedInUser): Promise<ReferralView> {
    await this.lifecycle.close(user, id, body.reason);
    return this.referrals.get(user, id, { audit: false });
  }

  @Post(':id/fees')
  @Roles(Role.Admin)
  @HttpCode(200)
  async fees(@Param('id', ParseUUIDPipe) id: string, @Body() body: FeesDto, @CurrentUser() user: SignedInUser): Promise<ReferralView> {
    await this.lifecycle.setFeesPaid(user, id, body.paid);
    return this.referrals.get(user, id, { audit: false });
  }
}
