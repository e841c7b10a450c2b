import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Victim notification per policy covers his enrollment too (Florida 65H-2.016), and a termination
 * under an on-request policy raises an "ask her first" task where she was never asked.
 */
export class VictimNotificationAtEnrollment1796290300000 implements MigrationInterface {
  name = 'VictimNotificationAtEnrollment1796290300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "policies" ADD "victim_notification_events" text array NOT NULL DEFAULT '{completed,terminated}'`);
    await queryRunner.query(`ALTER TABLE "victim_notifications" ADD "ask_first" boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "victim_notifications" DROP COLUMN "ask_first"`);
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "victim_notification_events"`);
  }
}
