import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { References } from '../../common/database/references';
import { User } from '../users/user.entity';
import { HearingOutcome, ResponseAgency, ResponseKind } from './response-kind.enum';

/**
 * What probation or the court did about one compliance event. Append-only (a trigger refuses
 * UPDATE, DELETE and TRUNCATE): a correction is a new row that supersedes the earlier one, and
 * the unique index lets each response be superseded once, so the chain never forks.
 */
@Entity('event_responses')
@Index('event_responses_event_idx', ['eventId', 'recordedAt'])
@Index('event_responses_referral_idx', ['referralId', 'recordedAt'])
@Index('event_responses_supersedes_unique', ['supersedesId'], { unique: true, where: '"supersedes_id" IS NOT NULL' })
export class EventResponse {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @References('compliance_events')
  eventId: string;

  @References('referrals')
  referralId: string;

  @Column({ type: 'enum', enum: ResponseAgency, enumName: 'response_agency' })
  agency: ResponseAgency;

  @Column({ type: 'enum', enum: ResponseKind, enumName: 'response_kind' })
  kind: ResponseKind;

  /** The date that matters for the kind: filed with the court, the hearing's date, the warrant's. */
  @Column({ type: 'date', nullable: true })
  occursOn: string | null;

  @Column({ type: 'enum', enum: HearingOutcome, enumName: 'hearing_outcome', nullable: true })
  outcome: HearingOutcome | null;

  /** The sanction in words, the reason for no action, or a note. */
  @Column({ type: 'text', nullable: true })
  details: string | null;

  /** The earlier response this one corrects. */
  @Column({ type: 'uuid', nullable: true })
  supersedesId: string | null;

  @ManyToOne(() => EventResponse, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'supersedes_id' })
  supersedes?: EventResponse;

  @Column({ type: 'uuid' })
  recordedById: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by_id' })
  recordedBy?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}
