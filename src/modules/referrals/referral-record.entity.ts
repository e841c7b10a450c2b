import { Column, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Referral } from './referral.entity';

/**
 * A row of a referral's record (an enrollment, an assessment, a fee line, an income bracket):
 * it names its referral, and the referral cannot be deleted while it stands, because the record
 * is what the court was told. Each table declares its own indexes; this is only the columns.
 */
export abstract class ReferralRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  referralId: string;

  @ManyToOne(() => Referral, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'referral_id' })
  referral?: Referral;
}
