import { Module } from '@nestjs/common';
import { ReferralStatusService } from './referral-status.service';

/** The referral life cycle on its own, so compliance and referrals can both use it without a cycle. */
@Module({ providers: [ReferralStatusService], exports: [ReferralStatusService] })
export class ReferralStatusModule {}
