import { Logger } from '@nestjs/common';
import { Queue } from 'bull';

export interface RelayResult {
  requeued: number;
  markedUnknown: number;
}

/** One job of a relay's pass, under the id the normal path uses for it. */
export type RelayJob = Parameters<Queue['addBulk']>[0][number];

/**
 * The relays' last step, the same for notices and other mail: the rows the database says are due
 * go back on the queue in one call. If the queue cannot be reached nothing is lost: the rows are
 * still due, and the next pass queues them.
 */
export async function requeueDue<Row>(
  queue: Queue,
  logger: Logger,
  due: Row[],
  jobFor: (row: Row) => RelayJob,
  markedUnknown: number,
): Promise<RelayResult> {
  if (due.length === 0) return { requeued: 0, markedUnknown };
  try {
    await queue.addBulk(due.map(jobFor));
  } catch (error) {
    logger.warn({ err: (error as Error).message, count: due.length }, 'relay could not reach the queue; will try again');
    return { requeued: 0, markedUnknown };
  }
  return { requeued: due.length, markedUnknown };
}
