import { Module } from '@nestjs/common';
import { ComplianceCoreModule } from '../compliance/compliance-core.module';
import { ReferralHistoryService } from './referral-history.service';
import { ReferralLifecycleService } from './referral-lifecycle.service';
import { ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';

@Module({
  imports: [ComplianceCoreModule],
  controllers: [ReferralsController],
  providers: [ReferralsService, ReferralLifecycleService, ReferralHistoryService],
  exports: [ReferralsService, ReferralHistoryService, ReferralLifecycleService, ComplianceCoreModule],
})
export class ReferralsModule {}
