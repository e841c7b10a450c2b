import { Column, JoinColumn, ManyToOne } from 'typeorm';
import { Referral } from '../referrals/referral.entity';

/**
 * A row about the person the order protects (her sealed record, a notification owed to her): it
 * names the referral and goes with it, so nothing about her outlives the case. Each table keeps
 * its own id (the protected party's is chosen before sealing) and its own indexes.
 */
export abstract class ProtectedPartyRecord {
  @Column({ type: 'uuid' })
  referralId: string;

  @ManyToOne(() => Referral, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'referral_id' })
  referral?: Referral;
}
