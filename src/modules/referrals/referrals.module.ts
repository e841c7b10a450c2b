import { Module } from '@nestjs/common';
import { ComplianceModule } from '../compliance/compliance.module';
import { ReferralHistoryService } from './referral-history.service';
import { ReferralStatusStep } from './referral-status-step';
import { ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';

@Module({
  imports: [ComplianceModule],
  controllers: [ReferralsController],
  providers: [ReferralsService, ReferralHistoryService, ReferralStatusStep],
  exports: [ReferralsService, ReferralHistoryService, ReferralStatusStep, ComplianceModule],
})
export class ReferralsModule {}
