import { Module } from '@nestjs/common';
import { ComplianceModule } from '../compliance/compliance.module';
import { ProgramDecisionWriter } from './program-decision-writer';
import { ReferralHistoryService } from './referral-history.service';
import { ReferralStatusStep } from './referral-status-step';
import { ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';

@Module({
  imports: [ComplianceModule],
  controllers: [ReferralsController],
  providers: [ReferralsService, ReferralHistoryService, ReferralStatusStep, ProgramDecisionWriter],
  exports: [ReferralsService, ReferralHistoryService, ReferralStatusStep, ProgramDecisionWriter, ComplianceModule],
})
export class ReferralsModule {}
