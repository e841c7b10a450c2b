import { Module } from '@nestjs/common';
import { FeeReceiptService } from './fee-receipt.service';
import { FeesController } from './fees.controller';
import { FeesService } from './fees.service';

/** The fees ledger of each referral (charges come from the attendance save: attendance-charges.ts). */
@Module({
  controllers: [FeesController],
  providers: [FeesService, FeeReceiptService],
  exports: [FeesService, FeeReceiptService],
})
export class FeesModule {}
