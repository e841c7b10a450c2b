import { MigrationInterface, QueryRunner } from 'typeorm';

export class ProtectedParties1795577325326 implements MigrationInterface {
  name = 'ProtectedParties1795577325326';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."notification_wish" AS ENUM('wants', 'declined', 'not_asked')`);
    await queryRunner.query(
      `CREATE TABLE "protected_parties" ("id" uuid NOT NULL, "referral_id" uuid NOT NULL, "notification_wish" "public"."notification_wish" NOT NULL DEFAULT 'not_asked', "key_id" character varying(16) NOT NULL, "wrapped_key" bytea NOT NULL, "ciphertext" bytea NOT NULL, "created_by_id" uuid, "updated_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5dc547e09c53f6e75b38a4f1fb4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "protected_parties_referral_idx" ON "protected_parties" ("referral_id") `);
    await queryRunner.query(
      `CREATE TYPE "public"."victim_notification_status" AS ENUM('pending', 'sending', 'sent', 'failed', 'recorded', 'skipped')`,
    );
    await queryRunner.query(
      `CREATE TABLE "victim_notifications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "referral_id" uuid NOT NULL, "protected_party_id" uuid NOT NULL, "event" character varying(20) NOT NULL, "status" "public"."victim_notification_status" NOT NULL DEFAULT 'pending', "channel" character varying(20), "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "message_id" character varying(200), "decided_by_id" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "note_key_id" character varying(16), "note_wrapped_key" bytea, "note_ciphertext" bytea, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5cd0998393f4a5395be8a731e36" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "victim_notifications_status_idx" ON "victim_notifications" ("status") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "victim_notifications_once" ON "victim_notifications" ("protected_party_id", "event") `);
    await queryRunner.query(`ALTER TABLE "policies" ADD "victim_notification" character varying(20) NOT NULL DEFAULT 'none'`);
    await queryRunner.query(`ALTER TABLE "policies" ADD "protected_party_admin_access" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `ALTER TABLE "protected_parties" ADD CONSTRAINT "FK_61857a29c1e103f93b13e56de86" FOREIGN KEY ("referral_id") REFERENCES "referrals"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "victim_notifications" ADD CONSTRAINT "FK_5090f4474c2d198d2bc6851c70e" FOREIGN KEY ("referral_id") REFERENCES "referrals"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "victim_notifications" ADD CONSTRAINT "FK_c19b75f8921da228e87d422ba53" FOREIGN KEY ("protected_party_id") REFERENCES "protected_parties"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "victim_notifications" DROP CONSTRAINT "FK_c19b75f8921da228e87d422ba53"`);
    await queryRunner.query(`ALTER TABLE "victim_notifications" DROP CONSTRAINT "FK_5090f4474c2d198d2bc6851c70e"`);
    await queryRunner.query(`ALTER TABLE "protected_parties" DROP CONSTRAINT "FK_61857a29c1e103f93b13e56de86"`);
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "protected_party_admin_access"`);
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "victim_notification"`);
    await queryRunner.query(`DROP INDEX "public"."victim_notifications_once"`);
    await queryRunner.query(`DROP INDEX "public"."victim_notifications_status_idx"`);
    await queryRunner.query(`DROP TABLE "victim_notifications"`);
    await queryRunner.query(`DROP TYPE "public"."victim_notification_status"`);
    await queryRunner.query(`DROP INDEX "public"."protected_parties_referral_idx"`);
    await queryRunner.query(`DROP TABLE "protected_parties"`);
    await queryRunner.query(`DROP TYPE "public"."notification_wish"`);
  }
}
