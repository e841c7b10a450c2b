import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795569776240 implements MigrationInterface {
  name = 'Foundation1795569776240';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."agency_kind" AS ENUM('court', 'probation', 'program', 'advocacy')`);
    await queryRunner.query(
      `CREATE TABLE "agencies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "kind" "public"."agency_kind" NOT NULL, "notice_email" character varying(254), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8ab1f1f53f56c8255b0d7e68b28" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_entries" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_user_id" uuid, "actor_role" character varying(32), "action" character varying(64) NOT NULL, "record_type" character varying(64) NOT NULL, "record_id" character varying(64), "ip_address" character varying(64), "request_id" character varying(80), "details" jsonb, CONSTRAINT "PK_6b1623bcad4d04530b76548d619" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "audit_entries_actor_idx" ON "audit_entries" ("actor_user_id", "occurred_at") `);
    await queryRunner.query(`CREATE INDEX "audit_entries_record_idx" ON "audit_entries" ("record_type", "record_id", "occurred_at") `);
    await queryRunner.query(
      `CREATE TYPE "public"."user_role" AS ENUM('admin', 'facilitator', 'probation_officer', 'court_clerk', 'advocate')`,
    );
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(254) NOT NULL, "name" character varying(200) NOT NULL, "role" "public"."user_role" NOT NULL, "agency_id" uuid NOT NULL, "password_hash" character varying(255) NOT NULL, "token_version" integer NOT NULL DEFAULT '0', "failed_login_count" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "users_email_unique" ON "users" ("email") `);
    // The audit log is append-only for everyone, the application's role included:
    // a trigger refuses UPDATE, DELETE and TRUNCATE (a REVOKE alone would not bind a superuser).
    await queryRunner.query(`CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'audit_entries is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
            END $$`);
    await queryRunner.query(
      `CREATE TRIGGER audit_entries_no_update_delete BEFORE UPDATE OR DELETE ON "audit_entries" FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON "audit_entries" FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()`,
    );
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "audit_entries" FROM PUBLIC`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "FK_6fdb3282cea9ba5877ab476aa76" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_6fdb3282cea9ba5877ab476aa76"`);
    await queryRunner.query(`DROP INDEX "public"."users_email_unique"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TYPE "public"."user_role"`);
    await queryRunner.query(`DROP INDEX "public"."audit_entries_record_idx"`);
    await queryRunner.query(`DROP INDEX "public"."audit_entries_actor_idx"`);
    await queryRunner.query(`DROP TABLE "audit_entries"`);
    await queryRunner.query(`DROP FUNCTION audit_entries_append_only()`);
    await queryRunner.query(`DROP TABLE "agencies"`);
    await queryRunner.query(`DROP TYPE "public"."agency_kind"`);
  }
}
