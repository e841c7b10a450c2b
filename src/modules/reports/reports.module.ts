import { Module } from '@nestjs/common';
import { PROGRESS_REPORT_ATTACHMENT } from '../notices/progress-report-attachment';
import { ReferralsModule } from '../referrals/referrals.module';
import { ProgressReportService } from './progress-report.service';
import { ReportsController } from './reports.controller';

@Module({
  imports: [ReferralsModule],
  controllers: [ReportsController],
  // The notice delivery (notices, below reports) attaches the report through this token.
  providers: [ProgressReportService, { provide: PROGRESS_REPORT_ATTACHMENT, useExisting: ProgressReportService }],
  exports: [ProgressReportService, PROGRESS_REPORT_ATTACHMENT],
})
export class ReportsModule {}
