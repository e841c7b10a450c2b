import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox of every mail that is not a compliance notice (victim notifications, invitations,
 * password resets, test-sends): recipient and words sealed until sent, then wiped.
 */
export class OutgoingMails1796290000000 implements MigrationInterface {
  name = 'OutgoingMails1796290000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."outgoing_mail_status" AS ENUM('pending', 'sending', 'sent', 'failed', 'dead', 'unknown')`,
    );
    await queryRunner.query(
      `CREATE TABLE "outgoing_mails" ("id" uuid NOT NULL, "kind" character varying(40) NOT NULL, "ref_id" uuid NOT NULL, "status" "public"."outgoing_mail_status" NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "queued_at" TIMESTAMP WITH TIME ZONE, "sending_started_at" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "message_id" character varying(200), "last_response" text, "key_id" character varying(16), "wrapped_key" bytea, "ciphertext" bytea, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_131b18b6ed3f835036a6db24d81" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "outgoing_mails_due_idx" ON "outgoing_mails" ("next_attempt_at") WHERE status IN ('pending', 'failed')`,
    );
    await queryRunner.query(`CREATE INDEX "outgoing_mails_about_idx" ON "outgoing_mails" ("kind", "ref_id", "created_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."outgoing_mails_about_idx"`);
    await queryRunner.query(`DROP INDEX "public"."outgoing_mails_due_idx"`);
    await queryRunner.query(`DROP TABLE "outgoing_mails"`);
    await queryRunner.query(`DROP TYPE "public"."outgoing_mail_status"`);
  }
}
