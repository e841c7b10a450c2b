import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A note for the session as a whole (the room was cold, a fire drill), and who ran it when it was not
 * one of the group's own facilitators (a substitute or a co-facilitator covering). Both optional.
 */
export class SessionNoteAndRunBy1796320000000 implements MigrationInterface {
  name = 'SessionNoteAndRunBy1796320000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" ADD "note" text`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD "run_by_id" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "run_by_id"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "note"`);
  }
}
