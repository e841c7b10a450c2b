import { MigrationInterface, QueryRunner } from 'typeorm';

export class ComplianceAndNotices1795570840735 implements MigrationInterface {
  name = 'ComplianceAndNotices1795570840735';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Deadlines such as "report within 2 business days" are computed in SQL by the outbox and the sweep.
    await queryRunner.query(`CREATE FUNCTION add_business_days(start timestamptz, days integer) RETURNS timestamptz
            LANGUAGE plpgsql STABLE AS $$
            DECLARE result timestamptz := start; remaining integer := days;
            BEGIN
              WHILE remaining > 0 LOOP
                result := result + interval '1 day';
                IF extract(isodow FROM result) < 6 THEN remaining := remaining - 1; END IF;
              END LOOP;
              RETURN result;
            END $$`);
    await queryRunner.query(
      `CREATE TYPE "public"."compliance_event_kind" AS ENUM('failed_to_enroll', 'absence_limit_exceeded', 'consecutive_absences', 'no_attendance', 'removed_for_behaviour', 'completion_deadline_missed', 'terminated', 'completed', 'progress_report_due', 'at_risk', 'corrected')`,
    );
    await queryRunner.query(
      `CREATE TABLE "compliance_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "referral_id" uuid NOT NULL, "kind" "public"."compliance_event_kind" NOT NULL, "threshold_key" character varying(80) NOT NULL, "occurred_on" date NOT NULL, "facts" jsonb NOT NULL, "corrects_event_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7b8ce10267f7885587d185b33b3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "compliance_events_created_idx" ON "compliance_events" ("created_at") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "compliance_events_crossing_unique" ON "compliance_events" ("referral_id", "kind", "threshold_key") `,
    );
    await queryRunner.query(`CREATE TYPE "public"."notice_purpose" AS ENUM('event', 'reminder')`);
    await queryRunner.query(`CREATE TYPE "public"."notice_recipient_kind" AS ENUM('probation_officer', 'court', 'program_admin')`);
    await queryRunner.query(
      `CREATE TYPE "public"."notice_status" AS ENUM('pending', 'sending', 'sent', 'failed', 'dead', 'unknown', 'acknowledged')`,
    );
    await queryRunner.query(
      `CREATE TABLE "notices" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "referral_id" uuid NOT NULL, "purpose" "public"."notice_purpose" NOT NULL DEFAULT 'event', "reminds_notice_id" uuid, "recipient_kind" "public"."notice_recipient_kind" NOT NULL, "recipient_email" character varying(254) NOT NULL, "recipient_user_id" uuid, "recipient_agency_id" uuid, "status" "public"."notice_status" NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "queued_at" TIMESTAMP WITH TIME ZONE, "due_by" TIMESTAMP WITH TIME ZONE NOT NULL, "subject" character varying(300), "body_text" text, "body_html" text, "letter_pdf" bytea, "rendered_at" TIMESTAMP WITH TIME ZONE, "sending_started_at" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "message_id" character varying(300), "last_response" text, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "acknowledged_by_id" uuid, "escalated_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3eb18c29da25d6935fcbe584237" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "notices_referral_idx" ON "notices" ("referral_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "notices_delivery_idx" ON "notices" ("status", "next_attempt_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "notices_one_per_recipient" ON "notices" ("event_id", "recipient_kind", "purpose") `);
    await queryRunner.query(`ALTER TABLE "policies" ADD "notice_recipients" jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await queryRunner.query(
      `ALTER TABLE "compliance_events" ADD CONSTRAINT "FK_00d5c95770686980d8d3034126d" FOREIGN KEY ("referral_id") REFERENCES "referrals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "compliance_events" DROP CONSTRAINT "FK_00d5c95770686980d8d3034126d"`);
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "notice_recipients"`);
    await queryRunner.query(`DROP INDEX "public"."notices_one_per_recipient"`);
    await queryRunner.query(`DROP INDEX "public"."notices_delivery_idx"`);
    await queryRunner.query(`DROP INDEX "public"."notices_referral_idx"`);
    await queryRunner.query(`DROP TABLE "notices"`);
    await queryRunner.query(`DROP TYPE "public"."notice_status"`);
    await queryRunner.query(`DROP TYPE "public"."notice_recipient_kind"`);
    await queryRunner.query(`DROP TYPE "public"."notice_purpose"`);
    await queryRunner.query(`DROP INDEX "public"."compliance_events_crossing_unique"`);
    await queryRunner.query(`DROP INDEX "public"."compliance_events_created_idx"`);
    await queryRunner.query(`DROP TABLE "compliance_events"`);
    await queryRunner.query(`DROP TYPE "public"."compliance_event_kind"`);
    await queryRunner.query(`DROP FUNCTION add_business_days(timestamptz, integer)`);
  }
}
