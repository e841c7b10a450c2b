import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a program needs to go live without a developer: invitations and password resets as
 * single-use links (only their hashes stored), a TOTP second factor sealed at rest with its ten
 * recovery codes (hashed), and users who have no password until they accept their invitation.
 */
export class GoLiveAccounts1796300000000 implements MigrationInterface {
  name = 'GoLiveAccounts1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "account_links" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "purpose" character varying(20) NOT NULL, "token_hash" character varying(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e03b1e79173941b176b58836ecd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "account_links_user_open_idx" ON "account_links" ("user_id", "purpose") WHERE used_at IS NULL AND revoked_at IS NULL`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "account_links_token_hash_unique" ON "account_links" ("token_hash") `);
    await queryRunner.query(
      `CREATE TABLE "second_factors" ("user_id" uuid NOT NULL, "key_id" character varying(16) NOT NULL, "wrapped_key" bytea NOT NULL, "ciphertext" bytea NOT NULL, "confirmed_at" TIMESTAMP WITH TIME ZONE, "last_step" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_16f2eb964b73e67d1f570c34825" PRIMARY KEY ("user_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "recovery_codes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "code_hash" character varying(64) NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0723b9e53961e799027d7f7ba32" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "recovery_codes_user_idx" ON "recovery_codes" ("user_id") `);
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "account_links" ADD CONSTRAINT "FK_d6c82edbecf4f6409b579e78b0d" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "second_factors" ADD CONSTRAINT "FK_16f2eb964b73e67d1f570c34825" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "recovery_codes" ADD CONSTRAINT "FK_fb82b2ac740ca095b617afad031" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "recovery_codes" DROP CONSTRAINT "FK_fb82b2ac740ca095b617afad031"`);
    await queryRunner.query(`ALTER TABLE "second_factors" DROP CONSTRAINT "FK_16f2eb964b73e67d1f570c34825"`);
    await queryRunner.query(`ALTER TABLE "account_links" DROP CONSTRAINT "FK_d6c82edbecf4f6409b579e78b0d"`);
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "password_hash" SET NOT NULL`);
    await queryRunner.query(`DROP INDEX "public"."recovery_codes_user_idx"`);
    await queryRunner.query(`DROP TABLE "recovery_codes"`);
    await queryRunner.query(`DROP TABLE "second_factors"`);
    await queryRunner.query(`DROP INDEX "public"."account_links_token_hash_unique"`);
    await queryRunner.query(`DROP INDEX "public"."account_links_user_open_idx"`);
    await queryRunner.query(`DROP TABLE "account_links"`);
  }
}
