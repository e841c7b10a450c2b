import { MigrationInterface, QueryRunner } from 'typeorm';

export class CoreDomain1795570358347 implements MigrationInterface {
  name = 'CoreDomain1795570358347';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "curriculum_units" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "curriculum_id" uuid NOT NULL, "position" integer NOT NULL, "theme" character varying(120) NOT NULL, "title" character varying(200) NOT NULL, CONSTRAINT "PK_70a9c6c35eccc217975dc9ce81b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "curriculum_units_position_unique" ON "curriculum_units" ("curriculum_id", "position") `);
    await queryRunner.query(
      `CREATE TABLE "curricula" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "description" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7c5dd2066e2bbf3b6ad0a71c567" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "groups" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(120) NOT NULL, "curriculum_id" uuid NOT NULL, "weekday" smallint NOT NULL, "start_time" TIME NOT NULL, "duration_minutes" integer NOT NULL, "capacity" integer NOT NULL, "location" character varying(200) NOT NULL, "language" character varying(40) NOT NULL DEFAULT 'en', "starts_on" date NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_659d1483316afb28afd3a90646e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "participants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "first_name" character varying(100) NOT NULL, "last_name" character varying(100) NOT NULL, "first_name_key" character varying(100) NOT NULL, "last_name_key" character varying(100) NOT NULL, "date_of_birth" date NOT NULL, "email" character varying(254), "phone" character varying(40), "language" character varying(40) NOT NULL DEFAULT 'en', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1cda06c31eec1c95b3365a0283f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "participants_identity_idx" ON "participants" ("last_name_key", "first_name_key", "date_of_birth") `,
    );
    await queryRunner.query(
      `CREATE TABLE "policies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "key" character varying(80) NOT NULL, "version" integer NOT NULL, "name" character varying(200) NOT NULL, "source" text, "required_sessions" integer NOT NULL, "session_minutes" integer NOT NULL, "enroll_within_days" integer NOT NULL, "complete_within_months" integer NOT NULL, "max_absences" integer NOT NULL, "max_unexcused_absences" integer NOT NULL, "max_consecutive_absences" integer NOT NULL, "no_attendance_days" integer NOT NULL, "progress_report_every_days" integer NOT NULL, "progress_report_day_of_month" integer, "violation_report_business_days" integer NOT NULL, "fees_required" boolean NOT NULL, "left_early_counts" boolean NOT NULL DEFAULT false, "escalate_after_business_days" integer NOT NULL DEFAULT '3', "is_current" boolean NOT NULL DEFAULT true, "created_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_603e09f183df0108d8695c57e28" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "policies_key_version_unique" ON "policies" ("key", "version") `);
    await queryRunner.query(
      `CREATE TYPE "public"."referral_status" AS ENUM('referred', 'failed_to_enroll', 'active', 'non_compliant', 'completed', 'terminated', 'closed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "referrals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "participant_id" uuid NOT NULL, "case_number" character varying(60) NOT NULL, "court_agency_id" uuid NOT NULL, "probation_officer_id" uuid NOT NULL, "policy_id" uuid NOT NULL, "ordered_on" date NOT NULL, "enroll_by" date NOT NULL, "complete_by" date NOT NULL, "status" "public"."referral_status" NOT NULL DEFAULT 'referred', "status_reason" text, "status_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "fees_paid" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ea9980e34f738b6252817326c08" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "referrals_participant_idx" ON "referrals" ("participant_id") `);
    await queryRunner.query(`CREATE INDEX "referrals_status_idx" ON "referrals" ("status") `);
    await queryRunner.query(`CREATE INDEX "referrals_officer_status_idx" ON "referrals" ("probation_officer_id", "status") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "referrals_court_case_unique" ON "referrals" ("court_agency_id", "case_number") `);
    await queryRunner.query(
      `CREATE TABLE "enrollments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "referral_id" uuid NOT NULL, "group_id" uuid NOT NULL, "start_date" date NOT NULL, "end_date" date, "end_reason" character varying(200), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7c0f752f9fb68bf6ed7367ab00f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "enrollments_one_open_per_referral" ON "enrollments" ("referral_id") WHERE "end_date" IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "enrollments_referral_idx" ON "enrollments" ("referral_id", "start_date") `);
    await queryRunner.query(`CREATE INDEX "enrollments_group_dates_idx" ON "enrollments" ("group_id", "start_date", "end_date") `);
    await queryRunner.query(`CREATE TYPE "public"."session_kind" AS ENUM('regular', 'one_off')`);
    await queryRunner.query(`CREATE TYPE "public"."session_status" AS ENUM('scheduled', 'held', 'cancelled')`);
    await queryRunner.query(
      `CREATE TABLE "sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "group_id" uuid NOT NULL, "date" date NOT NULL, "start_time" TIME NOT NULL, "kind" "public"."session_kind" NOT NULL DEFAULT 'regular', "status" "public"."session_status" NOT NULL DEFAULT 'scheduled', "curriculum_unit_id" uuid, "cancelled_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "sessions_date_idx" ON "sessions" ("date") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "sessions_regular_unique" ON "sessions" ("group_id", "date") WHERE "kind" = 'regular'`);
    await queryRunner.query(`CREATE INDEX "sessions_group_date_idx" ON "sessions" ("group_id", "date") `);
    await queryRunner.query(
      `CREATE TYPE "public"."attendance_status" AS ENUM('present', 'late', 'left_early', 'absent_excused', 'absent_unexcused', 'removed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "attendance_marks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "session_id" uuid NOT NULL, "enrollment_id" uuid NOT NULL, "referral_id" uuid NOT NULL, "status" "public"."attendance_status" NOT NULL, "note" character varying(500), "marked_by_id" uuid, "marked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_98f30f5d1c2a8356e4957a6cf8d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "attendance_marks_referral_idx" ON "attendance_marks" ("referral_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "attendance_marks_session_enrollment_unique" ON "attendance_marks" ("session_id", "enrollment_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "group_facilitators" ("group_id" uuid NOT NULL, "user_id" uuid NOT NULL, CONSTRAINT "PK_9d6e385fe64f8bcb8665dac6bee" PRIMARY KEY ("group_id", "user_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_89211f3287e22176e39cc4cd02" ON "group_facilitators" ("group_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_f72c498e513541a405bf4fa7e0" ON "group_facilitators" ("user_id") `);
    await queryRunner.query(
      `ALTER TABLE "curriculum_units" ADD CONSTRAINT "FK_bdb03e2b3f4ffd9326e9171bb27" FOREIGN KEY ("curriculum_id") REFERENCES "curricula"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "groups" ADD CONSTRAINT "FK_d1628ad19ae91241ba1a432c187" FOREIGN KEY ("curriculum_id") REFERENCES "curricula"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "referrals" ADD CONSTRAINT "FK_fcaeecced24cb26684c1105e7d7" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "referrals" ADD CONSTRAINT "FK_9d786cec9b6d47885e57488c067" FOREIGN KEY ("court_agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "referrals" ADD CONSTRAINT "FK_3fc64e17fb355fedce0f8a04b6e" FOREIGN KEY ("probation_officer_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "referrals" ADD CONSTRAINT "FK_07c8bca2674b1ba7a73c92dd75d" FOREIGN KEY ("policy_id") REFERENCES "policies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enrollments" ADD CONSTRAINT "FK_4fd7c6e514fd6709650b7d0835f" FOREIGN KEY ("referral_id") REFERENCES "referrals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enrollments" ADD CONSTRAINT "FK_52e3e34305ad0800648eab215ed" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "FK_29cb65ff2ae5b234efbe9b6c09b" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "FK_2df921dadf1ce09dda84375c6cf" FOREIGN KEY ("curriculum_unit_id") REFERENCES "curriculum_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "attendance_marks" ADD CONSTRAINT "FK_db2fe865b50cb5b1c2854e73a5c" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "attendance_marks" ADD CONSTRAINT "FK_a5d3ebe4c5ebb6896adaac3d80e" FOREIGN KEY ("enrollment_id") REFERENCES "enrollments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "group_facilitators" ADD CONSTRAINT "FK_89211f3287e22176e39cc4cd027" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "group_facilitators" ADD CONSTRAINT "FK_f72c498e513541a405bf4fa7e0d" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "group_facilitators" DROP CONSTRAINT "FK_f72c498e513541a405bf4fa7e0d"`);
    await queryRunner.query(`ALTER TABLE "group_facilitators" DROP CONSTRAINT "FK_89211f3287e22176e39cc4cd027"`);
    await queryRunner.query(`ALTER TABLE "attendance_marks" DROP CONSTRAINT "FK_a5d3ebe4c5ebb6896adaac3d80e"`);
    await queryRunner.query(`ALTER TABLE "attendance_marks" DROP CONSTRAINT "FK_db2fe865b50cb5b1c2854e73a5c"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_2df921dadf1ce09dda84375c6cf"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_29cb65ff2ae5b234efbe9b6c09b"`);
    await queryRunner.query(`ALTER TABLE "enrollments" DROP CONSTRAINT "FK_52e3e34305ad0800648eab215ed"`);
    await queryRunner.query(`ALTER TABLE "enrollments" DROP CONSTRAINT "FK_4fd7c6e514fd6709650b7d0835f"`);
    await queryRunner.query(`ALTER TABLE "referrals" DROP CONSTRAINT "FK_07c8bca2674b1ba7a73c92dd75d"`);
    await queryRunner.query(`ALTER TABLE "referrals" DROP CONSTRAINT "FK_3fc64e17fb355fedce0f8a04b6e"`);
    await queryRunner.query(`ALTER TABLE "referrals" DROP CONSTRAINT "FK_9d786cec9b6d47885e57488c067"`);
    await queryRunner.query(`ALTER TABLE "referrals" DROP CONSTRAINT "FK_fcaeecced24cb26684c1105e7d7"`);
    await queryRunner.query(`ALTER TABLE "groups" DROP CONSTRAINT "FK_d1628ad19ae91241ba1a432c187"`);
    await queryRunner.query(`ALTER TABLE "curriculum_units" DROP CONSTRAINT "FK_bdb03e2b3f4ffd9326e9171bb27"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f72c498e513541a405bf4fa7e0"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_89211f3287e22176e39cc4cd02"`);
    await queryRunner.query(`DROP TABLE "group_facilitators"`);
    await queryRunner.query(`DROP INDEX "public"."attendance_marks_session_enrollment_unique"`);
    await queryRunner.query(`DROP INDEX "public"."attendance_marks_referral_idx"`);
    await queryRunner.query(`DROP TABLE "attendance_marks"`);
    await queryRunner.query(`DROP TYPE "public"."attendance_status"`);
    await queryRunner.query(`DROP INDEX "public"."sessions_group_date_idx"`);
    await queryRunner.query(`DROP INDEX "public"."sessions_regular_unique"`);
    await queryRunner.query(`DROP INDEX "public"."sessions_date_idx"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`DROP TYPE "public"."session_status"`);
    await queryRunner.query(`DROP TYPE "public"."session_kind"`);
    await queryRunner.query(`DROP INDEX "public"."enrollments_group_dates_idx"`);
    await queryRunner.query(`DROP INDEX "public"."enrollments_referral_idx"`);
    await queryRunner.query(`DROP INDEX "public"."enrollments_one_open_per_referral"`);
    await queryRunner.query(`DROP TABLE "enrollments"`);
    await queryRunner.query(`DROP INDEX "public"."referrals_court_case_unique"`);
    await queryRunner.query(`DROP INDEX "public"."referrals_officer_status_idx"`);
    await queryRunner.query(`DROP INDEX "public"."referrals_status_idx"`);
    await queryRunner.query(`DROP INDEX "public"."referrals_participant_idx"`);
    await queryRunner.query(`DROP TABLE "referrals"`);
    await queryRunner.query(`DROP TYPE "public"."referral_status"`);
    await queryRunner.query(`DROP INDEX "public"."policies_key_version_unique"`);
    await queryRunner.query(`DROP TABLE "policies"`);
    await queryRunner.query(`DROP INDEX "public"."participants_identity_idx"`);
    await queryRunner.query(`DROP TABLE "participants"`);
    await queryRunner.query(`DROP TABLE "groups"`);
    await queryRunner.query(`DROP TABLE "curricula"`);
    await queryRunner.query(`DROP INDEX "public"."curriculum_units_position_unique"`);
    await queryRunner.query(`DROP TABLE "curriculum_units"`);
  }
}
