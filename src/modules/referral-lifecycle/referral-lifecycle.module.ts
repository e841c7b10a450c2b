import { Module } from '@nestjs/common';
import { ReferralsModule } from '../referrals/referrals.module';
import { ReferralLifecycleController } from './referral-lifecycle.controller';
import { ReferralLifecycleService } from './referral-lifecycle.service';

/**
 * The referral life cycle's decisions (complete, terminate, reinstate, close, fees): a module of
 * its own above the referrals, the rules, the fees ledger, the protected parties and the
 * enrollments, since each decision calls out what it sets off in them.
 */
@Module({
  imports: [ReferralsModule],
  controllers: [ReferralLifecycleController],
  providers: [ReferralLifecycleService],
  exports: [ReferralLifecycleService],
})
export class ReferralLifecycleModule {}
