import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intake assessment and levels (Washington WAC 388-60B-0420: levels 1-4 of 6 / 9 / 12 / 18 months).
 * A policy version may list levels and the factors its assessment weighs; a referral keeps what
 * its order asks of him (required sessions, months to complete) on its own row, copied from the
 * policy at intake and from the level once assessed, so the rules and the caseload read it there.
 * Rows written by anything that does not say them (bulk loads, the bench generator) take the
 * policy's figures from a trigger, which is what every existing referral is given here too.
 * Assessments are append-only like responses; a change of level is a program decision
 * (`level_changed`) told to probation and the court.
 */
export class IntakeLevels1796400000000 implements MigrationInterface {
  name = 'IntakeLevels1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."compliance_event_kind" ADD VALUE IF NOT EXISTS 'level_changed'`);
    await queryRunner.query(`ALTER TABLE "policies" ADD "levels" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE "policies" ADD "assessment_factors" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "referrals" ADD "required_sessions" integer`);
    await queryRunner.query(`ALTER TABLE "referrals" ADD "complete_within_months" integer`);
    await queryRunner.query(`ALTER TABLE "referrals" ADD "level_key" character varying(20)`);
    await queryRunner.query(
      `UPDATE "referrals" r SET "required_sessions" = p."required_sessions", "complete_within_months" = p."complete_within_months" FROM "policies" p WHERE p."id" = r."policy_id"`,
    );
    await queryRunner.query(`ALTER TABLE "referrals" ALTER COLUMN "required_sessions" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "referrals" ALTER COLUMN "complete_within_months" SET NOT NULL`);
    await queryRunner.query(`CREATE FUNCTION referrals_terms_from_policy() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.required_sessions IS NULL OR NEW.complete_within_months IS NULL THEN
                SELECT COALESCE(NEW.required_sessions, p.required_sessions), COALESCE(NEW.complete_within_months, p.complete_within_months)
                  INTO NEW.required_sessions, NEW.complete_within_months
                  FROM policies p WHERE p.id = NEW.policy_id;
              END IF;
              RETURN NEW;
            END $$`);
    await queryRunner.query(
      `CREATE TRIGGER referrals_terms_from_policy BEFORE INSERT ON "referrals" FOR EACH ROW EXECUTE FUNCTION referrals_terms_from_policy()`,
    );
    await queryRunner.query(
      `CREATE TABLE "referral_assessments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "referral_id" uuid NOT NULL, "policy_id" uuid NOT NULL, "level_key" character varying(20) NOT NULL, "level_name" character varying(100) NOT NULL, "required_sessions" integer NOT NULL, "complete_within_months" integer NOT NULL, "factors" jsonb NOT NULL, "reason" text NOT NULL, "assessed_by" character varying(200) NOT NULL, "assessed_on" date NOT NULL, "supersedes_id" uuid, "recorded_by_id" uuid NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7e36efbdf65e3866c745e4d2af4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "referral_assessments_supersedes_unique" ON "referral_assessments" ("supersedes_id") WHERE "supersedes_id" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "referral_assessments_referral_idx" ON "referral_assessments" ("referral_id", "recorded_at") `);
    await queryRunner.query(
      `ALTER TABLE "referral_assessments" ADD CONSTRAINT "FK_6b118bf6faf04350170b906badb" FOREIGN KEY ("referral_id") REFERENCES "referrals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`CREATE FUNCTION referral_assessments_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'referral_assessments is append-only: % refused (record a new assessment instead)', TG_OP USING ERRCODE = 'insufficient_privilege';
            END $$`);
    await queryRunner.query(
      `CREATE TRIGGER referral_assessments_no_update_delete BEFORE UPDATE OR DELETE ON "referral_assessments" FOR EACH ROW EXECUTE FUNCTION referral_assessments_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER referral_assessments_no_truncate BEFORE TRUNCATE ON "referral_assessments" FOR EACH STATEMENT EXECUTE FUNCTION referral_assessments_append_only()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "referral_assessments"`);
    await queryRunner.query(`DROP FUNCTION referral_assessments_append_only()`);
    await queryRunner.query(`DROP TRIGGER referrals_terms_from_policy ON "referrals"`);
    await queryRunner.query(`DROP FUNCTION referrals_terms_from_policy()`);
    await queryRunner.query(`ALTER TABLE "referrals" DROP COLUMN "level_key"`);
    await queryRunner.query(`ALTER TABLE "referrals" DROP COLUMN "complete_within_months"`);
    await queryRunner.query(`ALTER TABLE "referrals" DROP COLUMN "required_sessions"`);
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "assessment_factors"`);
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "levels"`);
    // The enum keeps 'level_changed' (PostgreSQL cannot drop a value); its events go.
    await queryRunner.query(
      `DELETE FROM "notices" WHERE "event_id" IN (SELECT "id" FROM "compliance_events" WHERE "kind"::text = 'level_changed')`,
    );
    await queryRunner.query(`DELETE FROM "compliance_events" WHERE "kind"::text = 'level_changed'`);
  }
}
