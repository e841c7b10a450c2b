import { Processor } from '@nestjs/bull';
import { HolidayCalendar } from '../calendar/holiday-calendar.service';
import { JobHandler } from '../queues/job-handler.decorator';
import { JobName, QueueName } from '../queues/queue-names';
import { SessionScheduleService } from '../groups/session-schedule.service';

/** Lays out the coming weeks of every group's sessions, each night before the sweep. */
@Processor(QueueName.Maintenance)
export class SessionGenerationJob {
  constructor(
    private readonly schedule: SessionScheduleService,
    private readonly calendar: HolidayCalendar,
  ) {}

  @JobHandler(JobName.GenerateSessions)
  async run() {
    // The coming years' holidays first, so the weeks laid out tonight already know them.
    const holidaysAdded = await this.calendar.seedComingYears();
    return { holidaysAdded, created: await this.schedule.generate() };
  }
}
