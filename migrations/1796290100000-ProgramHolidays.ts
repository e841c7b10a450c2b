import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The program's calendar of closed days, and business days that skip them. Counting is one query
 * per call (the n-th business day after the start, from a window of days) instead of one lookup
 * per day, since the sweep counts deadlines for every open notice.
 */
export class ProgramHolidays1796290100000 implements MigrationInterface {
  name = 'ProgramHolidays1796290100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "program_holidays" ("date" date NOT NULL, "name" character varying(100) NOT NULL, "source" character varying(20) NOT NULL, "closed" boolean NOT NULL DEFAULT true, "updated_by_id" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_67dd0dccb0e22a59769a107ac10" PRIMARY KEY ("date"))`,
    );
    await queryRunner.query(`ALTER TABLE "sessions" ADD "closed_by_calendar" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION is_business_day(day date) RETURNS boolean
            LANGUAGE sql STABLE AS $$
              SELECT extract(isodow FROM day) < 6 AND NOT EXISTS (SELECT 1 FROM program_holidays h WHERE h.date = day AND h.closed)
            $$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION add_business_days(start timestamptz, days integer, zone text) RETURNS timestamptz
            LANGUAGE sql STABLE AS $$
              SELECT CASE WHEN days <= 0 THEN start ELSE (
                SELECT ((start AT TIME ZONE zone) + (g.day::date - (start AT TIME ZONE zone)::date) * interval '1 day') AT TIME ZONE zone
                  FROM generate_series((start AT TIME ZONE zone)::date + 1, (start AT TIME ZONE zone)::date + days * 2 + 21, interval '1 day') AS g(day)
                 WHERE is_business_day(g.day::date)
                 ORDER BY g.day OFFSET days - 1 LIMIT 1)
              END
            $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION add_business_days(start timestamptz, days integer, zone text) RETURNS timestamptz
            LANGUAGE plpgsql STABLE AS $$
            DECLARE local timestamp := start AT TIME ZONE zone; remaining integer := days;
            BEGIN
              WHILE remaining > 0 LOOP
                local := local + interval '1 day';
                IF is_business_day(local::date) THEN remaining := remaining - 1; END IF;
              END LOOP;
              RETURN local AT TIME ZONE zone;
            END $$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION is_business_day(day date) RETURNS boolean
            LANGUAGE sql IMMUTABLE AS $$ SELECT extract(isodow FROM day) < 6 $$`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "closed_by_calendar"`);
    await queryRunner.query(`DROP TABLE "program_holidays"`);
  }
}
