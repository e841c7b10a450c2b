import { Processor } from '@nestjs/bull';
import { Job } from 'bull';
import { JobHandler } from '../queues/job-handler.decorator';
import { JobName, QueueName } from '../queues/queue-names';
import { NoticeDelivery } from './notice-delivery.service';

interface NoticeJobData {
  noticeId: string;
}

/** The two jobs of every outgoing mail: render it once, then send it. */
@Processor(QueueName.Notices)
export class NoticeJob {
  constructor(private readonly delivery: NoticeDelivery) {}

  @JobHandler(JobName.RenderNotice, { concurrency: 4 })
  render(job: Job<NoticeJobData>) {
    return this.delivery.render(job.data.noticeId);
  }

  @JobHandler(JobName.SendNotice, { concurrency: 4 })
  send(job: Job<NoticeJobData>) {
    return this.delivery.send(job.data.noticeId);
  }
}
