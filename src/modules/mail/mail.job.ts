import { Processor } from '@nestjs/bull';
import { Job } from 'bull';
import { JobHandler } from '../queues/job-handler.decorator';
import { JobName, QueueName } from '../queues/queue-names';
import { MailDelivery } from './mail-delivery.service';

/** A mail's only job: its words were written with it, so there is nothing to render. */
@Processor(QueueName.Notices)
export class MailJob {
  constructor(private readonly delivery: MailDelivery) {}

  @JobHandler(JobName.SendMail, { concurrency: 4 })
  send(job: Job<{ mailId: string }>) {
    return this.delivery.send(job.data.mailId);
  }
}
