import * as pg from 'pg';
import { statementName } from './prepared-statement';

/** One statement of a pipeline: its text ($1…$n) and values. `prepared`: sent as a named prepared statement. */
export interface Statement {
  text: string;
  values?: unknown[];
  prepared?: boolean;
}

export type Rows = Array<Record<string, unknown>>;

/** The parts of pg's connection a pipeline writes with (pg 8; its typings lag behind). */
interface WireConnection {
  parsedStatements: Partial<Record<string, string>>;
  stream: { cork?: () => void; uncork?: () => void };
  parse(message: { name: string; text: string; types: unknown[] }): void;
  bind(message: { portal: string; statement: string; values: unknown[]; valueMapper: (value: unknown) => unknown }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(message: { portal: string; rows: number }): void;
  close(message: { type: 'S'; name: string }): void;
  sync(): void;
}

interface ResultLike {
  rows: Rows;
}

/** pg's Query as this module extends it: it collects one Result per completed command. */
interface QueryInternals {
  handleReadyForQuery(connection: unknown): void;
  handleError(error: Error, connection: unknown): void;
}
type QueryCallback = (error: Error | null, results?: ResultLike | ResultLike[]) => void;
const BaseQuery = pg.Query as unknown as new (config: { text: string }, values: undefined, callback: QueryCallback) => QueryInternals;
const { prepareValue } = (pg as unknown as { utils: { prepareValue: (value: unknown) => unknown } }).utils;

/**
 * Names whose Parse may or may not have reached the server before a pipeline failed, per
 * connection: the next pipeline closes each before parsing it again (closing an unknown name is no error).
 */
const uncertain = new WeakMap<object, Set<string>>();

/**
 * Several statements in one round trip: each one's Parse (once per connection when prepared),
 * Bind, Describe and Execute, then a single Sync, in one write. PostgreSQL runs them in order,
 * each with its own snapshot (a statement sees what the ones before it wrote), and answers every
 * one's rows before the Sync's ReadyForQuery. An error stops the rest: the server skips to the
 * Sync, and in a transaction the transaction is failed, so nothing after the error is written.
 * pg's Query already keeps one Result per completed command (as for a multi-statement simple
 * query), so this only writes the messages; a Submittable is pg's extension point for that.
 */
export class PipelineQuery extends BaseQuery {
  readonly text: string;
  readonly statements: readonly Statement[];
  private readonly parsedHere: Array<{ name: string; text: string }> = [];

  constructor(statements: readonly Statement[], callback: QueryCallback) {
    const text = statements.map((statement) => statement.text).join(';\n');
    super({ text }, undefined, callback);
    this.text = text;
    this.statements = statements;
  }

  submit(connection: WireConnection): Error | null {
    let values: unknown[][];
    try {
      // Every value made wire-ready before anything is written: one pg cannot send fails the whole pipeline unsent.
      values = this.statements.map((statement) => (statement.values ?? []).map(prepareValue));
    } catch (error) {
      return error as Error;
    }
    connection.stream.cork?.();
    try {
      const unsure = uncertain.get(connection);
      this.statements.forEach((statement, index) => {
        const name = statement.prepared ? statementName(statement.text) : '';
        if (name && unsure?.delete(name)) connection.close({ type: 'S', name });
        if (!name || connection.parsedStatements[name] === undefined) {
          connection.parse({ name, text: statement.text, types: [] });
          if (name) this.parsedHere.push({ name, text: statement.text });
        }
        connection.bind({ portal: '', statement: name, values: values[index], valueMapper: prepareValue });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '', rows: 0 });
      });
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  override handleReadyForQuery(connection: WireConnection): void {
    for (const { name, text } of this.parsedHere) connection.parsedStatements[name] = text;
    super.handleReadyForQuery(connection);
  }

  override handleError(error: Error, connection: WireConnection): void {
    this.forget(connection);
    super.handleError(error, connection);
  }

  /** After a failure, which of this pipeline's Parses the server kept is not known. */
  private forget(connection: WireConnection): void {
    if (!this.parsedHere.length) return;
    const unsure = uncertain.get(connection) ?? new Set<string>();
    for (const { name } of this.parsedHere) unsure.add(name);
    uncertain.set(connection, unsure);
    this.parsedHere.length = 0;
  }
}

/** Whatever pg client can run a submittable (a pool's client). */
export interface SubmittingClient {
  query(submittable: PipelineQuery): unknown;
}

/** Sends the statements in one round trip; answers each one's rows, in order. */
export function sendPipeline(client: SubmittingClient, statements: readonly Statement[]): Promise<Rows[]> {
  return new Promise((resolve, reject) => {
    client.query(
      new PipelineQuery(statements, (error, results) => {
        if (error) return reject(error);
        const list = Array.isArray(results) ? results : results ? [results] : [];
        resolve(list.map((result) => result.rows));
      }),
    );
  });
}
