import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fees ledger: per policy version a fee per session, an intake fee, a cap and a sliding scale;
 * per referral an append-only ledger of charges, payments, adjustments and waivers (integer cents),
 * its income bracket history, and the program's gapless receipt counter. `referrals.fees_paid` (a
 * checkbox) goes: whether fees are paid is now read from the ledger's balance.
 */
export class FeesLedger1796410000000 implements MigrationInterface {
  name = 'FeesLedger1796410000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "fee_entries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "referral_id" uuid NOT NULL, "kind" character varying(20) NOT NULL, "amount_cents" integer NOT NULL, "charge_for" character varying(10), "session_id" uuid, "session_round" integer, "method" character varying(20), "receipt_number" integer, "reason" character varying(500), "recorded_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "fee_entries_reason" CHECK (kind NOT IN ('adjustment', 'waiver') OR reason IS NOT NULL), CONSTRAINT "fee_entries_payment_fields" CHECK (kind <> 'payment' OR (method IS NOT NULL AND receipt_number IS NOT NULL)), CONSTRAINT "fee_entries_amount_sign" CHECK ((kind = 'charge' AND amount_cents > 0) OR (kind IN ('payment', 'waiver') AND amount_cents < 0) OR (kind = 'adjustment' AND amount_cents <> 0)), CONSTRAINT "PK_e3705dc91173a4014b778dcfde3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "fee_entries_receipt_unique" ON "fee_entries" ("receipt_number") WHERE receipt_number IS NOT NULL`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "fee_entries_intake_unique" ON "fee_entries" ("referral_id") WHERE charge_for = 'intake'`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "fee_entries_session_round_unique" ON "fee_entries" ("referral_id", "session_id", "kind", "session_round") WHERE session_id IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "fee_entries_referral_idx" ON "fee_entries" ("referral_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "fee_receipt_counter" ("id" smallint NOT NULL, "last_number" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_5ccb2a67751b16cae992a4c5975" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "referral_income_brackets" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "referral_id" uuid NOT NULL, "bracket" character varying(40) NOT NULL, "session_fee_cents" integer NOT NULL, "recorded_by_id" uuid, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2f67d060808bc668a1fe11734ac" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "referral_income_brackets_referral_idx" ON "referral_income_brackets" ("referral_id", "recorded_at") `,
    );
    await queryRunner.query(`ALTER TABLE "referrals" DROP COLUMN "fees_paid"`);
    await queryRunner.query(`ALTER TABLE "policies" ADD "session_fee_cents" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "policies" ADD "intake_fee_cents" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "policies" ADD "fee_total_cap_cents" integer`);
    await queryRunner.query(`ALTER TABLE "policies" ADD "fee_brackets" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(
      `ALTER TABLE "fee_entries" ADD CONSTRAINT "FK_97befe7439501fdb12d0d451388" FOREIGN KEY ("referral_id") REFERENCES "referrals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "fee_entries" ADD CONSTRAINT "FK_a36eddaa26a20f200e792523a68" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "referral_income_brackets" ADD CONSTRAINT "FK_a6afdafe123daba3a376542c960" FOREIGN KEY ("referral_id") REFERENCES "referrals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`INSERT INTO "fee_receipt_counter" ("id", "last_number") VALUES (1, 0)`);
    // Money already recorded is never changed or removed: a mistake is put right by another entry.
    await queryRunner.query(`CREATE FUNCTION fee_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the fees ledger is append-only (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
            END $$`);
    for (const table of ['fee_entries', 'referral_income_brackets']) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION fee_ledger_append_only()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION fee_ledger_append_only()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['fee_entries', 'referral_income_brackets']) {
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER ${table}_no_update_delete ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION fee_ledger_append_only()`);
    await queryRunner.query(`ALTER TABLE "referral_income_brackets" DROP CONSTRAINT "FK_a6afdafe123daba3a376542c960"`);
    await queryRunner.query(`ALTER TABLE "fee_entries" DROP CONSTRAINT "FK_a36eddaa26a20f200e792523a68"`);
    await queryRunner.query(`ALTER TABLE "fee_entries" DROP CONSTRAINT "FK_97befe7439501fdb12d0d451388"`);
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "fee_brackets"`);
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "fee_total_cap_cents"`);
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "intake_fee_cents"`);
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "session_fee_cents"`);
    await queryRunner.query(`ALTER TABLE "referrals" ADD "fees_paid" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`DROP INDEX "public"."referral_income_brackets_referral_idx"`);
    await queryRunner.query(`DROP TABLE "referral_income_brackets"`);
    await queryRunner.query(`DROP TABLE "fee_receipt_counter"`);
    await queryRunner.query(`DROP INDEX "public"."fee_entries_referral_idx"`);
    await queryRunner.query(`DROP INDEX "public"."fee_entries_session_round_unique"`);
    await queryRunner.query(`DROP INDEX "public"."fee_entries_intake_unique"`);
    await queryRunner.query(`DROP INDEX "public"."fee_entries_receipt_unique"`);
    await queryRunner.query(`DROP TABLE "fee_entries"`);
  }
}
