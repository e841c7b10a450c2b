import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The time within which each victim notification is due, per policy (Florida 65H-2.016: within
 * 3 business days of his enrollment, within 24 hours of his discharge), and the due time stored on
 * each notification when it is raised. One function says when: business days through the program
 * calendar (add_business_days, in the program's zone) for his enrollment; hours of elapsed time for
 * completion and termination (24 hours is 24 hours, whatever the clocks do that night). No clock
 * in the policy, no due time.
 */
export class VictimNotificationClocks1796430000000 implements MigrationInterface {
  name = 'VictimNotificationClocks1796430000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "policies" ADD "victim_notice_enrollment_business_days" integer`);
    await queryRunner.query(`ALTER TABLE "policies" ADD "victim_notice_discharge_hours" integer`);
    await queryRunner.query(`ALTER TABLE "victim_notifications" ADD "due_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`CREATE FUNCTION victim_notification_due_at(raised timestamptz, event text, enrollment_business_days integer, discharge_hours integer, zone text) RETURNS timestamptz
            LANGUAGE sql STABLE AS $$
              SELECT CASE
                WHEN event = 'enrolled' AND enrollment_business_days IS NOT NULL THEN add_business_days(raised, enrollment_business_days, zone)
                WHEN event IN ('completed', 'terminated') AND discharge_hours IS NOT NULL THEN raised + discharge_hours * interval '1 hour'
              END
            $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION victim_notification_due_at(timestamptz, text, integer, integer, text)`);
    await queryRunner.query(`ALTER TABLE "victim_notifications" DROP COLUMN "due_at"`);
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "victim_notice_discharge_hours"`);
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "victim_notice_enrollment_business_days"`);
  }
}
