import { Process, Processor } from '@nestjs/bull';
import { JobName, QueueName } from '../queues/queue-names';
import { SessionScheduleService } from '../sessions/session-schedule.service';
import { ComplianceSweepService } from './compliance-sweep.service';

/** The nightly jobs: lay out the coming weeks of sessions, then sweep the calendar rules. */
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor {
  static readonly handles = [JobName.DailyComplianceSweep, JobName.GenerateSessions];

  constructor(
    private readonly sweep: ComplianceSweepService,
    private readonly schedule: SessionScheduleService,
  ) {}

  @Process(JobName.DailyComplianceSweep)
  runSweep() {
    return this.sweep.run();
  }

  @Process(JobName.GenerateSessions)
  async generateSessions() {
    return { created: await this.schedule.generate() };
  }
}
