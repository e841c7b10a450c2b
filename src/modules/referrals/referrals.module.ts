import { Module } from '@nestjs/common';
import { ReferralAccess } from './referral-access';
import { ReferralHistoryService } from './referral-history.service';
import { ReferralLifecycleService } from './referral-lifecycle.service';
import { ReferralStatusService } from './referral-status.service';
import { ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';

@Module({
  controllers: [ReferralsController],
  providers: [ReferralsService, ReferralAccess, ReferralStatusService, ReferralLifecycleService, ReferralHistoryService],
  exports: [ReferralsService, ReferralAccess, ReferralStatusService, ReferralHistoryService],
})
export class ReferralsModule {}
