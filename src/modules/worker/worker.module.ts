import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ComplianceModule } from '../compliance/compliance.module';
import { ComplianceSweepJob } from '../compliance/compliance-sweep.job';
import { ComplianceSweepService } from '../compliance/compliance-sweep.service';
import { GroupsModule } from '../groups/groups.module';
import { FaultPoints } from '../notices/fault-points';
import { NoticeDelivery } from '../notices/notice-delivery.service';
import { NoticeJob } from '../notices/notice.job';
import { NoticeRelay } from '../notices/notice-relay.service';
import { NoticeWakeups } from '../notices/notice-wakeups';
import { NoticeRenderer } from '../notices/notice-renderer.service';
import { NoticeLetters } from '../notices/notice-letters.service';
import { MailDelivery } from '../mail/mail-delivery.service';
import { MailJob } from '../mail/mail.job';
import { MailModule } from '../mail/mail.module';
import { CalendarModule } from '../calendar/calendar.module';
import { MailRelay } from '../mail/mail-relay.service';
import { ParticipantMessagesJob } from '../participant-messages/participant-messages.job';
import { ParticipantMessagesModule } from '../participant-messages/participant-messages.module';
import { JobRegistry } from '../queues/job-registry';
import { ReportsModule } from '../reports/reports.module';
import { SessionGenerationJob } from '../sessions/session-generation.job';
import { WorkerScheduler } from './worker-scheduler.service';

/** Job handlers, the relay and the nightly jobs: imported only when APP_ROLE runs workers. */
@Module({
  imports: [DiscoveryModule, ComplianceModule, GroupsModule, ReportsModule, MailModule, CalendarModule, ParticipantMessagesModule],
  providers: [
    NoticeLetters,
    NoticeRenderer,
    NoticeDelivery,
    NoticeRelay,
    NoticeWakeups,
    FaultPoints,
    NoticeJob,
    MailDelivery,
    MailRelay,
    MailJob,
    ComplianceSweepService,
    ComplianceSweepJob,
    SessionGenerationJob,
    ParticipantMessagesJob,
    JobRegistry,
    WorkerScheduler,
  ],
  exports: [NoticeRelay, MailRelay, ComplianceSweepService, NoticeDelivery, MailDelivery],
})
export class WorkerModule {}
