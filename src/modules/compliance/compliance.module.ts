import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { CaseloadService } from './caseload.service';
import { ComplianceController } from './compliance.controller';
import { ComplianceService } from './compliance.service';
import { ReferralStatusService } from './referral-status.service';

/**
 * The rules engine (used inside other features' transactions), the referral status write it and
 * the referral life cycle share, and the caseload. The outbox transaction those writes run in
 * comes from mail, exported on for the features above.
 */
@Module({
  imports: [MailModule],
  controllers: [ComplianceController],
  providers: [ComplianceService, ReferralStatusService, CaseloadService],
  exports: [ComplianceService, ReferralStatusService, CaseloadService, MailModule],
})
export class ComplianceModule {}
