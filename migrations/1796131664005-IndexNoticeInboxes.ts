import { MigrationInterface, QueryRunner } from 'typeorm';

/** The inboxes and their counts on every page of a recipient: his (or his court's) notices still to acknowledge. */

export class IndexNoticeInboxes1796131664005 implements MigrationInterface {
  name = 'IndexNoticeInboxes1796131664005';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "notices_court_inbox_idx" ON "notices" ("recipient_agency_id", "created_at") WHERE "purpose" = 'event' AND "status" <> 'acknowledged'`,
    );
    await queryRunner.query(
      `CREATE INDEX "notices_officer_inbox_idx" ON "notices" ("recipient_user_id", "created_at") WHERE "purpose" = 'event' AND "status" <> 'acknowledged'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."notices_officer_inbox_idx"`);
    await queryRunner.query(`DROP INDEX "public"."notices_court_inbox_idx"`);
  }
}
