import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { References } from '../../common/database/references';
import { ReferralRecord } from '../../common/database/referral-record.entity';

/** A referral placed in a group from a start date; a transfer ends one and starts another. */
@Entity('enrollments')
@Index('enrollments_group_dates_idx', ['groupId', 'startDate', 'endDate'])
@Index('enrollments_referral_idx', ['referralId', 'startDate'])
@Index('enrollments_one_open_per_referral', ['referralId'], { unique: true, where: '"end_date" IS NULL' })
export class Enrollment extends ReferralRecord {
  @References('groups')
  groupId: string;

  @Column({ type: 'date' })
  startDate: string;

  /** Last day in this group (inclusive); null while he is still in it. */
  @Column({ type: 'date', nullable: true })
  endDate: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  endReason: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
