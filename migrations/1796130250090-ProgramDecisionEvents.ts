import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The program's decisions become events the court and probation are told of: reinstated, closed,
 * enrolled, transferred. ADD VALUE appends to the type without rewriting compliance_events.
 */
export class ProgramDecisionEvents1796130250090 implements MigrationInterface {
  name = 'ProgramDecisionEvents1796130250090';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const kind of ['reinstated', 'closed', 'enrolled', 'transferred']) {
      await queryRunner.query(`ALTER TYPE "public"."compliance_event_kind" ADD VALUE IF NOT EXISTS '${kind}'`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // PostgreSQL cannot drop an enum value: the type is rebuilt without them (their events go first).
    await queryRunner.query(
      `DELETE FROM "notices" WHERE "event_id" IN (SELECT "id" FROM "compliance_events" WHERE "kind"::text IN ('reinstated', 'closed', 'enrolled', 'transferred'))`,
    );
    await queryRunner.query(`DELETE FROM "compliance_events" WHERE "kind"::text IN ('reinstated', 'closed', 'enrolled', 'transferred')`);
    await queryRunner.query(`DROP INDEX "public"."compliance_events_crossing_unique"`);
    await queryRunner.query(
      `CREATE TYPE "public"."compliance_event_kind_old" AS ENUM('failed_to_enroll', 'absence_limit_exceeded', 'consecutive_absences', 'no_attendance', 'removed_for_behaviour', 'completion_deadline_missed', 'terminated', 'completed', 'progress_report_due', 'at_risk', 'corrected')`,
    );
    await queryRunner.query(
      `ALTER TABLE "compliance_events" ALTER COLUMN "kind" TYPE "public"."compliance_event_kind_old" USING "kind"::"text"::"public"."compliance_event_kind_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."compliance_event_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."compliance_event_kind_old" RENAME TO "compliance_event_kind"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "compliance_events_crossing_unique" ON "compliance_events" ("referral_id", "kind", "threshold_key") `,
    );
  }
}
