import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the program last reinstated him: crossings raised before it no longer make him
 * non-compliant. Filled from the audit trail for reinstatements made before this column.
 */
export class ReferralReinstatedAt1796200000000 implements MigrationInterface {
  name = 'ReferralReinstatedAt1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "referrals" ADD "reinstated_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`UPDATE referrals r SET reinstated_at = a.at
            FROM (SELECT record_id, max(occurred_at) AS at FROM audit_entries
                   WHERE action = 'referral.status_change' AND record_type = 'referral' AND details ->> 'reason' LIKE 'reinstated:%'
                   GROUP BY record_id) a
           WHERE a.record_id = r.id::text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "referrals" DROP COLUMN "reinstated_at"`);
  }
}
