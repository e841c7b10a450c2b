import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { rows } from '../../common/database/sql';

/** The policies' hand-written statements (the versions themselves go through the Policy entity). */
@Injectable()
export class PoliciesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Until the transaction ends, nobody else writes a version of the policy with this key. */
  async lockKey(manager: EntityManager, key: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`policy:${key}`]);
  }

  /** How many referrals were ordered under each of these versions (versions without any are absent). */
  referralCounts(policyIds: string[]): Promise<Array<{ policy_id: string; count: number }>> {
    return rows<{ policy_id: string; count: number }>(
      this.dataSource,
      `SELECT policy_id, count(*)::int AS count FROM referrals WHERE policy_id = ANY($1) GROUP BY policy_id`,
      [policyIds],
    );
  }
}
