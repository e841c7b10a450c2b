import { References } from '../../common/database/references';

/**
 * A row about the person the order protects (her sealed record, a notification owed to her): it
 * names the referral and goes with it, so nothing about her outlives the case. Each table keeps
 * its own id (the protected party's is chosen before sealing) and its own indexes.
 */
export abstract class ProtectedPartyRecord {
  @References('referrals', { onDelete: 'CASCADE' })
  referralId: string;
}
