import { Module } from '@nestjs/common';
import { ReferralsModule } from '../referrals/referrals.module';
import { ProgressReportService } from './progress-report.service';
import { ReportsController } from './reports.controller';

@Module({
  imports: [ReferralsModule],
  controllers: [ReportsController],
  providers: [ProgressReportService],
  exports: [ProgressReportService],
})
export class ReportsModule {}
