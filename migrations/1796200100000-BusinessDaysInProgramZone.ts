import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Business days are the program's weekdays: Friday 20:00 in Chicago is Saturday in UTC, so
 * counting in the connection's time zone lost a day. The one function now takes the program's
 * zone, steps whole local days (the wall-clock hour survives a DST change), and skips the days
 * `is_business_day` refuses — the place a holiday calendar will join.
 */
export class BusinessDaysInProgramZone1796200100000 implements MigrationInterface {
  name = 'BusinessDaysInProgramZone1796200100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION add_business_days(timestamptz, integer)`);
    await queryRunner.query(`CREATE FUNCTION is_business_day(day date) RETURNS boolean
            LANGUAGE sql IMMUTABLE AS $$ SELECT extract(isodow FROM day) < 6 $$`);
    await queryRunner.query(`CREATE FUNCTION add_business_days(start timestamptz, days integer, zone text) RETURNS timestamptz
            LANGUAGE plpgsql STABLE AS $$
            DECLARE local timestamp := start AT TIME ZONE zone; remaining integer := days;
            BEGIN
              WHILE remaining > 0 LOOP
                local := local + interval '1 day';
                IF is_business_day(local::date) THEN remaining := remaining - 1; END IF;
              END LOOP;
              RETURN local AT TIME ZONE zone;
            END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION add_business_days(timestamptz, integer, text)`);
    await queryRunner.query(`DROP FUNCTION is_business_day(date)`);
    await queryRunner.query(`CREATE FUNCTION add_business_days(start timestamptz, days integer) RETURNS timestamptz
            LANGUAGE plpgsql STABLE AS $$
            DECLARE result timestamptz := start; remaining integer := days;
            BEGIN
              WHILE remaining > 0 LOOP
                result := result + interval '1 day';
                IF extract(isodow FROM result) < 6 THEN remaining := remaining - 1; END IF;
              END LOOP;
              RETURN result;
            END $$`);
  }
}
