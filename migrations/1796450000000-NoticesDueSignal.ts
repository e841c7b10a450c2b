import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A transaction that writes notices says so on channel `notices_due`: the worker listens and
 * queues them the moment it commits (NOTIFY is delivered on commit, never for a rollback), so no
 * request waits on Redis to queue its own. One statement-level trigger serves every writer — a
 * roster save, the sweep, a program decision — and fires once per statement; identical
 * notifications of one transaction are delivered once. Not on UPDATE: the delivery updates every
 * notice several times; the one update that makes a notice due again (Send again) signals itself.
 */
export class NoticesDueSignal1796450000000 implements MigrationInterface {
  name = 'NoticesDueSignal1796450000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION notices_due_signal() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM written WHERE queued_at IS NULL AND status IN ('pending', 'failed')) THEN
           PERFORM pg_notify('notices_due', '');
         END IF;
         RETURN NULL;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER notices_due_on_insert AFTER INSERT ON notices REFERENCING NEW TABLE AS written
         FOR EACH STATEMENT EXECUTE FUNCTION notices_due_signal()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER notices_due_on_insert ON notices`);
    await queryRunner.query(`DROP FUNCTION notices_due_signal()`);
  }
}
