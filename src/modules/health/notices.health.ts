import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { NoticesService } from '../notices/notices.service';

/**
 * Delivery figures for operators: the age of the oldest undelivered notice, how many are
 * overdue, dead or unknown. Informational: a backlog is not a reason to take the API out.
 */
@Injectable()
export class NoticesHealthIndicator {
  constructor(
    private readonly notices: NoticesService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key = 'notices') {
    const indicator = this.indicators.check(key);
    try {
      const summary = await this.notices.summary();
      return indicator.up({
        oldestUndeliveredSeconds: summary.oldestUndeliveredSeconds,
        undelivered: summary.undelivered,
        overdue: summary.overdue,
        dead: summary.dead,
        unknown: summary.unknown,
      });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
