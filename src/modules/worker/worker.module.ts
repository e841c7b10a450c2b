import { Module } from '@nestjs/common';
import { ComplianceCoreModule } from '../compliance/compliance-core.module';
import { ComplianceSweepService } from '../compliance/compliance-sweep.service';
import { MaintenanceProcessor } from '../compliance/maintenance.processor';
import { GroupsModule } from '../groups/groups.module';
import { ReportsModule } from '../reports/reports.module';
import { FaultPoints } from '../notices/fault-points';
import { NoticeDelivery } from '../notices/notice-delivery.service';
import { NoticeRelay } from '../notices/notice-relay.service';
import { NoticeRenderer } from '../notices/notice-renderer.service';
import { NoticeProcessor } from '../notices/notice.processor';
import { WorkerScheduler } from './worker-scheduler.service';

/** Queue processors, the relay and the nightly jobs: imported only when APP_ROLE runs workers. */
@Module({
  imports: [ComplianceCoreModule, GroupsModule, ReportsModule],
  providers: [NoticeRenderer, NoticeDelivery, NoticeRelay, FaultPoints, NoticeProcessor, ComplianceSweepService, MaintenanceProcessor, WorkerScheduler],
  exports: [NoticeRelay, ComplianceSweepService, NoticeDelivery],
})
export class WorkerModule {}
