import { DataSource, QueryFailedError } from 'typeorm';
import { Rows, sendPipeline, Statement, SubmittingClient } from './statement-pipeline';

interface PooledClient extends SubmittingClient {
  query(text: string): Promise<unknown>;
  query(submittable: Parameters<SubmittingClient['query']>[0]): unknown;
  release(error?: Error | boolean): void;
}
interface PgPool {
  connect(): Promise<PooledClient>;
}

/**
 * A transaction whose statements go several to a round trip, on a connection of the data
 * source's own pool: BEGIN goes with the first statements, COMMIT with the last. Each round trip
 * is what the caller's logic needs between two decisions, not one per statement. Errors come back
 * as TypeORM's QueryFailedError, so the error filter maps them as every other statement's.
 */
export class PipelinedTransaction {
  private state: 'new' | 'open' | 'done' = 'new';

  constructor(private readonly client: PooledClient) {}

  /** The statements in one round trip (opening the transaction with the first); each one's rows, in order. */
  async send(statements: Statement[], options: { commit?: boolean } = {}): Promise<Rows[]> {
    if (this.state === 'done') throw new Error('The transaction is over');
    const opening = this.state === 'new';
    const all: Statement[] = [...(opening ? [{ text: 'BEGIN' }] : []), ...statements, ...(options.commit ? [{ text: 'COMMIT' }] : [])];
    this.state = 'open';
    let answered: Rows[];
    try {
      answered = await sendPipeline(this.client, all);
    } catch (error) {
      throw new QueryFailedError(
        all.map((statement) => statement.text).join(';\n'),
        statements.map((statement) => statement.values ?? []),
        error as Error,
      );
    }
    if (options.commit) this.state = 'done';
    return answered.slice(opening ? 1 : 0, opening ? statements.length + 1 : statements.length);
  }

  /** One statement's rows, in a round trip of its own. */
  async query<T>(statement: Statement): Promise<T[]> {
    const [rows] = await this.send([statement]);
    return rows as T[];
  }

  /** Commits, unless the last round trip did. */
  async commit(): Promise<void> {
    if (this.state === 'open') await this.send([], { commit: true });
    this.state = 'done';
  }

  /** Rolls back what was begun; a connection that cannot is not given back to the pool. */
  async rollback(): Promise<boolean> {
    if (this.state !== 'open') return true;
    this.state = 'done';
    try {
      await this.client.query('ROLLBACK');
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Runs `work` in a pipelined transaction: committed when it returns (if its last round trip did not
 * already), rolled back when it throws.
 */
export async function inPipelinedTransaction<T>(
  dataSource: DataSource,
  work: (transaction: PipelinedTransaction) => Promise<T>,
): Promise<T> {
  const pool = (dataSource.driver as unknown as { master: PgPool }).master;
  const client = await pool.connect();
  const transaction = new PipelinedTransaction(client);
  let result: T;
  try {
    result = await work(transaction);
    await transaction.commit();
  } catch (error) {
    const clean = await transaction.rollback();
    client.release(clean ? undefined : true);
    throw error;
  }
  client.release();
  return result;
}
