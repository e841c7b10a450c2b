import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';

export type FaultPoint = 'before-send' | 'after-accept';

/**
 * Named pauses on the delivery path so fault tests can kill a real worker at an exact moment
 * (FAULT_POINTS=before-send=5000). Only NODE_ENV=test reads them; elsewhere they cost nothing.
 */
@Injectable()
export class FaultPoints {
  private readonly logger = new Logger(FaultPoints.name);

  constructor(private readonly config: AppConfig) {}

  async reach(point: FaultPoint, noticeId: string): Promise<void> {
    const pause = this.config.faultPoints[point];
    if (!pause) return;
    // Printed on stdout so the test driving this process knows it has arrived.
    process.stdout.write(`FAULT_POINT ${point} ${noticeId}\n`);
    this.logger.warn(`pausing ${pause} ms at ${point}`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
