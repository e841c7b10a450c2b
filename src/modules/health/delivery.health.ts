import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Queue } from 'bull';
import { withTimeout } from '../../common/with-timeout';
import { AppConfig } from '../../config/app-config';
import { QueueName } from '../queues/queue-names';

export interface DeliveryFigures {
  waiting: number;
  active: number;
  delayed: number;
  oldestWaitingSeconds: number | null;
  /** Jobs wait and no worker takes any: delivery has stopped although Redis answers. */
  stalled: boolean;
}

/** A stalled queue: something waits past the limit and nothing is being worked on. */
export function isStalled(figures: Omit<DeliveryFigures, 'stalled'>, stallAfterSeconds: number): boolean {
  return figures.waiting > 0 && figures.active === 0 && (figures.oldestWaitingSeconds ?? 0) > stallAfterSeconds;
}

/**
 * The notice queue as a worker sees it. Read from Redis, so any API process can tell that the
 * workers (wherever they run) hold waiting jobs and take none.
 */
@Injectable()
export class DeliveryHealthIndicator {
  constructor(
    @InjectQueue(QueueName.Notices) private readonly notices: Queue,
    private readonly config: AppConfig,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async figures(): Promise<DeliveryFigures> {
    const [counts, waiting] = await withTimeout(
      Promise.all([this.notices.getJobCounts(), this.notices.getJobs(['waiting'], 0, 0, true)]),
      1_000,
      'Redis did not answer within 1 s',
    );
    // A delayed job that came due counts from when it came due, not from when it was added.
    const oldest = waiting.at(0);
    const since = oldest ? oldest.timestamp + (oldest.opts.delay ?? 0) : null;
    const figures = {
      waiting: counts.waiting,
      active: counts.active,
      delayed: counts.delayed,
      oldestWaitingSeconds: since === null ? null : Math.max(0, Math.round((Date.now() - since) / 1000)),
    };
    return { ...figures, stalled: isStalled(figures, this.config.deliveryStallMs / 1000) };
  }

  /** For /health/ready: reported, never failing (the API serves while delivery catches up). */
  async report(key = 'delivery') {
    const indicator = this.indicators.check(key);
    try {
      return indicator.up({ ...(await this.figures()) });
    } catch (error) {
      return indicator.up({ message: (error as Error).message });
    }
  }

  /** For /health/delivery: down when the queue is stalled or cannot be read. */
  async check(key = 'delivery') {
    const indicator = this.indicators.check(key);
    try {
      const figures = await this.figures();
      return figures.stalled ? indicator.down({ ...figures }) : indicator.up({ ...figures });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
