import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages to the man (reminders, cancellations, a letter after a missed session), each written
 * once per session and enrollment; his opt-out; and her request that the program not contact him.
 */
export class ParticipantMessages1796290200000 implements MigrationInterface {
  name = 'ParticipantMessages1796290200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "participant_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(30) NOT NULL, "participant_id" uuid NOT NULL, "enrollment_id" uuid NOT NULL, "session_id" uuid NOT NULL, "language" character varying(10) NOT NULL, "mail_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dac7deab59a7499663843a7540b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "participant_messages_once" ON "participant_messages" ("kind", "enrollment_id", "session_id") `,
    );
    await queryRunner.query(`ALTER TABLE "participants" ADD "messages_opt_out" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "protected_parties" ADD "no_program_contact" boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "protected_parties" DROP COLUMN "no_program_contact"`);
    await queryRunner.query(`ALTER TABLE "participants" DROP COLUMN "messages_opt_out"`);
    await queryRunner.query(`DROP INDEX "public"."participant_messages_once"`);
    await queryRunner.query(`DROP TABLE "participant_messages"`);
  }
}
