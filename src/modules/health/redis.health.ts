import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Queue } from 'bull';
import { QueueName } from '../queues/queue-names';
import { withTimeout } from '../../common/with-timeout';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    @InjectQueue(QueueName.Notices) private readonly notices: Queue,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key = 'redis') {
    const indicator = this.indicators.check(key);
    try {
      await withTimeout(this.notices.client.ping(), 1_000, 'Redis did not answer PING within 1 s');
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
