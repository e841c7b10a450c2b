import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The response clock: each policy's business days for probation and for the court to record a
 * response to a violation; its reminder and escalation notices; the read-only CCR coordinator
 * role, who receives the escalations. Enum values are appended (no table rewrite).
 */
export class ResponseClock1796130529132 implements MigrationInterface {
  name = 'ResponseClock1796130529132';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "policies" ADD "probation_response_business_days" integer NOT NULL DEFAULT '10'`);
    await queryRunner.query(`ALTER TABLE "policies" ADD "court_response_business_days" integer NOT NULL DEFAULT '22'`);
    await queryRunner.query(`ALTER TYPE "public"."user_role" ADD VALUE IF NOT EXISTS 'coordinator'`);
    await queryRunner.query(`ALTER TYPE "public"."notice_recipient_kind" ADD VALUE IF NOT EXISTS 'coordinator'`);
    for (const purpose of ['response_reminder', 'probation_response_escalation', 'court_response_escalation']) {
      await queryRunner.query(`ALTER TYPE "public"."notice_purpose" ADD VALUE IF NOT EXISTS '${purpose}'`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // PostgreSQL cannot drop an enum value; the values stay, unused, and the columns go.
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "court_response_business_days"`);
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "probation_response_business_days"`);
  }
}
