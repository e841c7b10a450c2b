import { Module } from '@nestjs/common';
import { NoticesCoreModule } from '../notices/notices-core.module';
import { ReferralStatusModule } from '../referrals/referral-status.module';
import { ComplianceService } from './compliance.service';

/** The rules engine used inside other features' transactions. */
@Module({
  imports: [NoticesCoreModule, ReferralStatusModule],
  providers: [ComplianceService],
  exports: [ComplianceService, NoticesCoreModule, ReferralStatusModule],
})
export class ComplianceCoreModule {}
