import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The progress report that travels with a notice is rendered once, by the render job, and kept
 * with the notice: what was previewed is what was sent, and a retry sends the same bytes.
 */
export class NoticeReportPdf1796133618119 implements MigrationInterface {
  name = 'NoticeReportPdf1796133618119';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notices" ADD "report_pdf" bytea`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notices" DROP COLUMN "report_pdf"`);
  }
}
