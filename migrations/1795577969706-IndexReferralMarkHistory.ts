import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A man's marks read from the index alone (index-only scan): the rules, the sweep and the roster
 * read every held-session mark of a batch of referrals (bench/RESULTS.md, P2).
 */
export class IndexReferralMarkHistory1795577969706 implements MigrationInterface {
  name = 'IndexReferralMarkHistory1795577969706';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."attendance_marks_referral_idx"`);
    await queryRunner.query(
      `CREATE INDEX "attendance_marks_referral_history_idx" ON "attendance_marks" ("referral_id", "session_id", "status") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."attendance_marks_referral_history_idx"`);
    await queryRunner.query(`CREATE INDEX "attendance_marks_referral_idx" ON "attendance_marks" ("referral_id") `);
  }
}
