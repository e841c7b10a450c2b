import { Process, Processor } from '@nestjs/bull';
import { Job } from 'bull';
import { JobName, QueueName } from '../queues/queue-names';
import { NoticeDelivery } from './notice-delivery.service';

interface NoticeJob {
  noticeId: string;
}

@Processor(QueueName.Notices)
export class NoticeProcessor {
  static readonly handles = [JobName.RenderNotice, JobName.SendNotice];

  constructor(private readonly delivery: NoticeDelivery) {}

  @Process({ name: JobName.RenderNotice, concurrency: 4 })
  render(job: Job<NoticeJob>) {
    return this.delivery.render(job.data.noticeId);
  }

  @Process({ name: JobName.SendNotice, concurrency: 4 })
  send(job: Job<NoticeJob>) {
    return this.delivery.send(job.data.noticeId);
  }
}
