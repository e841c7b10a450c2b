import { Column } from 'typeorm';

/**
 * Where a row of an outbox (a notice, or any other mail) stands in delivery: the relay and the
 * send job read and move these the same way for both. Only the columns; each table keeps its own
 * id, status and indexes.
 */
export abstract class OutboxDelivery {
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /** When the relay or the committing request last put it on the queue. */
  @Column({ type: 'timestamptz', nullable: true })
  queuedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  sendingStartedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
