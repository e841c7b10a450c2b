import { Processor } from '@nestjs/bull';
import { JobHandler } from '../queues/job-handler.decorator';
import { JobName, QueueName } from '../queues/queue-names';
import { ParticipantMessagesService } from './participant-messages.service';

/** Each morning: tomorrow's reminders and no-group notices, and letters for last week's absences. */
@Processor(QueueName.Maintenance)
export class ParticipantMessagesJob {
  constructor(private readonly messages: ParticipantMessagesService) {}

  @JobHandler(JobName.SendParticipantMessages)
  run() {
    return this.messages.sendDue();
  }
}
