import { Module } from '@nestjs/common';
import { ComplianceModule } from '../compliance/compliance.module';
import { ReferralAccess } from './referral-access';
import { ReferralHistoryService } from './referral-history.service';
import { ReferralLifecycleService } from './referral-lifecycle.service';
import { ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';

@Module({
  imports: [ComplianceModule],
  controllers: [ReferralsController],
  providers: [ReferralsService, ReferralAccess, ReferralLifecycleService, ReferralHistoryService],
  exports: [ReferralsService, ReferralAccess, ReferralHistoryService, ReferralLifecycleService, ComplianceModule],
})
export class ReferralsModule {}
