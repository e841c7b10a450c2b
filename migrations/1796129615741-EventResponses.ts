import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What probation and the court did about each compliance event. Append-only like the audit
 * trail: a correction is a new row that supersedes, and a trigger refuses UPDATE, DELETE, TRUNCATE.
 */

export class EventResponses1796129615741 implements MigrationInterface {
  name = 'EventResponses1796129615741';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."response_agency" AS ENUM('probation', 'court')`);
    await queryRunner.query(
      `CREATE TYPE "public"."response_kind" AS ENUM('violation_filed', 'warning_given', 'sanction_imposed', 'no_action', 'returned_to_program', 'hearing_set', 'hearing_held', 'warrant_issued')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."hearing_outcome" AS ENUM('warning', 'reinstated_to_program', 'sanction', 'jail', 'probation_revoked', 'order_modified', 'dismissed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "event_responses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "referral_id" uuid NOT NULL, "agency" "public"."response_agency" NOT NULL, "kind" "public"."response_kind" NOT NULL, "occurs_on" date, "outcome" "public"."hearing_outcome", "details" text, "supersedes_id" uuid, "recorded_by_id" uuid NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8951dd78455e78399ba7f8c63ff" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "event_responses_supersedes_unique" ON "event_responses" ("supersedes_id") WHERE "supersedes_id" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "event_responses_referral_idx" ON "event_responses" ("referral_id", "recorded_at") `);
    await queryRunner.query(`CREATE INDEX "event_responses_event_idx" ON "event_responses" ("event_id", "recorded_at") `);
    await queryRunner.query(
      `ALTER TABLE "event_responses" ADD CONSTRAINT "FK_12da45bfc8a06af56ea7eb64cc3" FOREIGN KEY ("event_id") REFERENCES "compliance_events"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "event_responses" ADD CONSTRAINT "FK_7e75f29f31be37b19dba5f7b33d" FOREIGN KEY ("referral_id") REFERENCES "referrals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "event_responses" ADD CONSTRAINT "FK_8b20faa9e9e012bd8e306afb007" FOREIGN KEY ("supersedes_id") REFERENCES "event_responses"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "event_responses" ADD CONSTRAINT "FK_87e85b3c8fde0984dfb51272856" FOREIGN KEY ("recorded_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`CREATE FUNCTION event_responses_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'event_responses is append-only: % refused (record a correction instead)', TG_OP USING ERRCODE = 'insufficient_privilege';
            END $$`);
    await queryRunner.query(
      `CREATE TRIGGER event_responses_no_update_delete BEFORE UPDATE OR DELETE ON "event_responses" FOR EACH ROW EXECUTE FUNCTION event_responses_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER event_responses_no_truncate BEFORE TRUNCATE ON "event_responses" FOR EACH STATEMENT EXECUTE FUNCTION event_responses_append_only()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "event_responses" DROP CONSTRAINT "FK_87e85b3c8fde0984dfb51272856"`);
    await queryRunner.query(`ALTER TABLE "event_responses" DROP CONSTRAINT "FK_8b20faa9e9e012bd8e306afb007"`);
    await queryRunner.query(`ALTER TABLE "event_responses" DROP CONSTRAINT "FK_7e75f29f31be37b19dba5f7b33d"`);
    await queryRunner.query(`ALTER TABLE "event_responses" DROP CONSTRAINT "FK_12da45bfc8a06af56ea7eb64cc3"`);
    await queryRunner.query(`DROP INDEX "public"."event_responses_event_idx"`);
    await queryRunner.query(`DROP INDEX "public"."event_responses_referral_idx"`);
    await queryRunner.query(`DROP INDEX "public"."event_responses_supersedes_unique"`);
    await queryRunner.query(`DROP TABLE "event_responses"`);
    await queryRunner.query(`DROP FUNCTION event_responses_append_only()`);
    await queryRunner.query(`DROP TYPE "public"."hearing_outcome"`);
    await queryRunner.query(`DROP TYPE "public"."response_kind"`);
    await queryRunner.query(`DROP TYPE "public"."response_agency"`);
  }
}
