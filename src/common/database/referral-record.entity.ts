import { PrimaryGeneratedColumn } from 'typeorm';
import { References } from './references';

/**
 * A row of a referral's record (an enrollment, an assessment, a fee line, an income bracket, a
 * compliance event): it names its referral, and the referral cannot be deleted while it stands,
 * because the record is what the court was told. Each table declares its own indexes; this is only
 * the columns. Kept below the features: none of them loads the referral through its record.
 */
export abstract class ReferralRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @References('referrals')
  referralId: string;
}
