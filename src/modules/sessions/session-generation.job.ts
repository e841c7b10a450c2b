import { Processor } from '@nestjs/bull';
import { JobHandler } from '../queues/job-handler.decorator';
import { JobName, QueueName } from '../queues/queue-names';
import { SessionScheduleService } from './session-schedule.service';

/** Lays out the coming weeks of every group's sessions, each night before the sweep. */
@Processor(QueueName.Maintenance)
export class SessionGenerationJob {
  constructor(private readonly schedule: SessionScheduleService) {}

  @JobHandler(JobName.GenerateSessions)
  async run() {
    return { created: await this.schedule.generate() };
  }
}
