import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { ReferralRecord } from '../../common/database/referral-record.entity';
import { ComplianceEventKind } from '../../common/program/compliance-event-kind.enum';

/**
 * A fact the court or probation must hear of. The unique (referral, kind, threshold) key is what
 * makes "exactly one event per crossing" hold under retries and concurrency.
 */
@Entity('compliance_events')
@Index('compliance_events_crossing_unique', ['referralId', 'kind', 'thresholdKey'], { unique: true })
@Index('compliance_events_created_idx', ['createdAt'])
// "Has this event been corrected?" is asked for every event the rules look at (bench/RESULTS.md).
@Index('compliance_events_corrects_idx', ['correctsEventId'], { where: '"corrects_event_id" IS NOT NULL' })
export class ComplianceEvent extends ReferralRecord {
  @Column({ type: 'enum', enum: ComplianceEventKind, enumName: 'compliance_event_kind' })
  kind: ComplianceEventKind;

  /** Which crossing this is, e.g. "absences:4", "streak:2026-10-06", "period:3". */
  @Column({ type: 'varchar', length: 80 })
  thresholdKey: string;

  @Column({ type: 'date' })
  occurredOn: string;

  /** The facts as they stood when the event was raised (counts, dates, the policy clause). */
  @Column({ type: 'jsonb' })
  facts: Record<string, unknown>;

  /** For a `corrected` event: the event it withdraws. */
  @Column({ type: 'uuid', nullable: true })
  correctsEventId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
