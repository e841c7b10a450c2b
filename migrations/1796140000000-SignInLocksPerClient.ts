import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in locks moved to Redis, per e-mail address and client address (SignInLockout): a lock on
 * the account itself let anyone who knew an address keep its owner out.
 */
export class SignInLocksPerClient1796140000000 implements MigrationInterface {
  name = 'SignInLocksPerClient1796140000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "failed_login_count"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "locked_until"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "locked_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "users" ADD "failed_login_count" integer NOT NULL DEFAULT '0'`);
  }
}
