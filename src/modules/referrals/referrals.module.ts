import { Module } from '@nestjs/common';
import { ComplianceModule } from '../compliance/compliance.module';
import { ReferralHistoryService } from './referral-history.service';
import { ReferralLifecycleService } from './referral-lifecycle.service';
import { ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';

@Module({
  imports: [ComplianceModule],
  controllers: [ReferralsController],
  providers: [ReferralsService, ReferralLifecycleService, ReferralHistoryService],
  exports: [ReferralsService, ReferralHistoryService, ReferralLifecycleService, ComplianceModule],
})
export class ReferralsModule {}
