import { DataSource, QueryFailedError } from 'typeorm';
import { inPipelinedTransaction } from '../../src/common/database/pipelined-transaction';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { createDatabaseFromTemplate, databaseUrl, dropDatabase } from '../helpers/test-database';

/**
 * The roster save's transaction sends several statements a round trip (BEGIN with the first,
 * COMMIT with the last), prepared by name. What it must keep of a transaction: all or nothing,
 * each statement seeing the ones before it, values bound (never spliced into the text), and a
 * connection that still works, with its prepared statements, after a statement failed.
 */
describe('a pipelined transaction', () => {
  let name: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    name = await createDatabaseFromTemplate();
    dataSource = new DataSource({ ...dataSourceOptions(databaseUrl(name)), extra: { max: 1, application_name: 'pipeline-test' } });
    await dataSource.initialize();
    await dataSource.query(`CREATE TABLE pipeline_rows (id int PRIMARY KEY, label text NOT NULL)`);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await dropDatabase(name);
  });
  const labels = async () =>
    (await dataSource.query<Array<{ id: number; label: string }>>(`SELECT id, label FROM pipeline_rows ORDER BY id`)).map(
      (row) => `${row.id}:${row.label}`,
    );
  const insert = { text: `INSERT INTO pipeline_rows (id, label) VALUES ($1, $2) RETURNING id`, prepared: true };
  const count = { text: `SELECT count(*)::int AS n FROM pipeline_rows`, prepared: true };

  it('answers each statement its rows, in order; a later statement sees an earlier one’s write', async () => {
    const answers = await inPipelinedTransaction(dataSource, (tx) =>
      tx.send(
        [{ ...insert, values: [1, "it's; DROP TABLE pipeline_rows"] }, count, { text: `SELECT $1::text[] AS list`, values: [['a', 'b']] }],
        {
          commit: true,
        },
      ),
    );
    expect(answers).toEqual([[{ id: 1 }], [{ n: 1 }], [{ list: ['a', 'b'] }]]);
    expect(await labels()).toEqual(["1:it's; DROP TABLE pipeline_rows"]);
  });

  it('an error in a later round trip rolls back what the earlier ones wrote', async () => {
    const failed = inPipelinedTransaction(dataSource, async (tx) => {
      await tx.send([{ ...insert, values: [2, 'two'] }]);
      await tx.send(
        [
          { ...insert, values: [3, 'three'] },
          { ...insert, values: [1, 'a duplicate'] },
          { ...insert, values: [4, 'four'] },
        ],
        {
          commit: true,
        },
      );
    });
    await expect(failed).rejects.toBeInstanceOf(QueryFailedError);
    await expect(failed).rejects.toMatchObject({ driverError: { code: '23505' } });
    expect(await labels()).toEqual(["1:it's; DROP TABLE pipeline_rows"]);
  });

  it('a throw between round trips rolls back, and the connection is given back clean', async () => {
    await expect(
      inPipelinedTransaction(dataSource, async (tx) => {
        await tx.send([{ ...insert, values: [5, 'five'] }]);
        throw new Error('refused between round trips');
      }),
    ).rejects.toThrow('refused between round trips');
    expect(await labels()).toEqual(["1:it's; DROP TABLE pipeline_rows"]);
    // The same (only) connection: no transaction left open on it.
    expect(
      await dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pipeline-test' AND state LIKE 'idle in%'`,
      ),
    ).toEqual([{ n: 0 }]);
  });

  it('keeps using its prepared statements after a failure (one the server kept from the failed round trip is closed and parsed again)', async () => {
    const fresh = { text: `SELECT $1::int + 1 AS next`, prepared: true };
    await expect(
      inPipelinedTransaction(dataSource, (tx) =>
        tx.send(
          [
            { ...insert, values: [1, 'a duplicate'] },
            { ...fresh, values: [1] },
          ],
          { commit: true },
        ),
      ),
    ).rejects.toBeInstanceOf(QueryFailedError);
    const answers = await inPipelinedTransaction(dataSource, (tx) =>
      tx.send(
        [
          { ...fresh, values: [41] },
          { ...insert, values: [6, 'six'] },
        ],
        { commit: true },
      ),
    );
    expect(answers).toEqual([[{ next: 42 }], [{ id: 6 }]]);
    expect(await labels()).toEqual(["1:it's; DROP TABLE pipeline_rows", '6:six']);
    const prepared = await inPipelinedTransaction(dataSource, (tx) =>
      tx.query<{ statement: string }>({ text: `SELECT statement FROM pg_prepared_statements ORDER BY statement` }),
    );
    expect(prepared.map((row) => row.statement)).toEqual(expect.arrayContaining([insert.text, count.text, fresh.text]));
  });
});
