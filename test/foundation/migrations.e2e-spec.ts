import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { createDatabaseFromTemplate, databaseUrl, dropDatabase } from '../helpers/test-database';

/** The SQL TypeORM would run to make the database match the entities; empty means no drift. */
async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((query) => query.query);
}

function describeDrift(queries: string[]): string {
  return queries.length === 0
    ? 'no drift'
    : `entities and migrations disagree; a migration is missing these ${queries.length} statement(s):\n  ${queries.join(';\n  ')}`;
}

describe('migrations and entities', () => {
  let databaseName: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    // Copied from this run's template, which global setup built by running every migration.
    databaseName = await createDatabaseFromTemplate();
    dataSource = await new DataSource(dataSourceOptions(databaseUrl(databaseName))).initialize();
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset if setup failed; the database is still dropped below
    await dataSource?.destroy();
    if (databaseName) await dropDatabase(databaseName);
  });

  it('has applied every migration file', async () => {
    expect(dataSource.migrations.length).toBeGreaterThan(0);
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('agree: a freshly migrated database needs no schema change (no drift)', async () => {
    expect(describeDrift(await pendingSchemaChanges(dataSource))).toBe('no drift');
  });

  it('keeps the append-only trigger on audit_entries that no entity can express', async () => {
    const triggers = await dataSource.query(
      `SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_entries'::regclass AND NOT tgisinternal ORDER BY tgname`,
    );
    expect(triggers.map((row: { tgname: string }) => row.tgname)).toEqual(['audit_entries_no_truncate', 'audit_entries_no_update_delete']);
  });

  describe('the drift check itself', () => {
    let driftedName: string;
    let drifted: DataSource;

    beforeAll(async () => {
      driftedName = await createDatabaseFromTemplate();
      drifted = await new DataSource(dataSourceOptions(databaseUrl(driftedName))).initialize();
    });
    afterAll(async () => {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset if setup failed; the database is still dropped below
      await drifted?.destroy();
      if (driftedName) await dropDatabase(driftedName);
    });

    it('fails when the database lacks a column and an index the entities declare', async () => {
      await drifted.query(`ALTER TABLE agencies DROP COLUMN notice_email`);
      await drifted.query(`DROP INDEX audit_entries_actor_idx`);

      const queries = await pendingSchemaChanges(drifted);
      expect(describeDrift(queries)).not.toBe('no drift');
      expect(queries).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/ALTER TABLE "agencies" ADD "notice_email"/),
          expect.stringMatching(/CREATE INDEX "audit_entries_actor_idx"/),
        ]),
      );
    });

    it('fails when a foreign key that an entity names only by its table is missing', async () => {
      // compliance_events keeps its referral as an id (References), not a relation: the key is still the entities'.
      const [{ name }] = await drifted.query<Array<{ name: string }>>(
        `SELECT conname AS name FROM pg_constraint WHERE conrelid = 'compliance_events'::regclass AND confrelid = 'referrals'::regclass`,
      );
      await drifted.query(`ALTER TABLE compliance_events DROP CONSTRAINT "${name}"`);

      expect(await pendingSchemaChanges(drifted)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /ALTER TABLE "compliance_events" ADD CONSTRAINT "[^"]+" FOREIGN KEY \("referral_id"\) REFERENCES "referrals"\("id"\) ON DELETE RESTRICT/,
          ),
        ]),
      );
    });
  });
});
