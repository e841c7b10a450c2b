import { MigrationInterface, QueryRunner } from 'typeorm';

export class IndexEventCorrections1795574163376 implements MigrationInterface {
  name = 'IndexEventCorrections1795574163376';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "compliance_events_corrects_idx" ON "compliance_events" ("corrects_event_id") WHERE "corrects_event_id" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."compliance_events_corrects_idx"`);
  }
}
