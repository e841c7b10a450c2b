import { Processor } from '@nestjs/bull';
import { JobHandler } from '../queues/job-handler.decorator';
import { JobName, QueueName } from '../queues/queue-names';
import { ComplianceSweepService } from './compliance-sweep.service';

/** The nightly sweep of the calendar rules (deadlines, days without attendance, reports due). */
@Processor(QueueName.Maintenance)
export class ComplianceSweepJob {
  constructor(private readonly sweep: ComplianceSweepService) {}

  @JobHandler(JobName.DailyComplianceSweep)
  run() {
    return this.sweep.run();
  }
}
