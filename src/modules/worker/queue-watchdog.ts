/** What the watchdog reads of a queue each time it looks. */
export interface QueueCounts {
  waiting: number;
  active: number;
}

/**
 * Notices a queue whose worker has stopped taking jobs: jobs waiting, none active, and nothing
 * started or finished for a while. Bull has been seen to stall like this after Redis restarts
 * under load (OptimalBits/bull#1873): the blocking connection that waits for jobs never wakes.
 * The notices stay safe in PostgreSQL meanwhile; the watchdog only shortens the stall.
 */
export class QueueWatchdog {
  private lastProgressAt: number;

  constructor(
    private readonly stuckAfterMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastProgressAt = now();
  }

  /** A job started, completed or failed: the worker is alive. */
  progressed(): void {
    this.lastProgressAt = this.now();
  }

  /**
   * True when jobs have been waiting with none active and no job has started or finished for
   * `stuckAfterMs`; the caller then kicks the queue, and the clock starts again. An idle queue
   * (nothing waiting) or a busy one (jobs active) is not stalled.
   */
  isStalled(counts: QueueCounts): boolean {
    if (counts.waiting === 0 || counts.active > 0) {
      this.lastProgressAt = this.now();
      return false;
    }
    if (this.now() - this.lastProgressAt < this.stuckAfterMs) return false;
    this.lastProgressAt = this.now();
    return true;
  }
}
