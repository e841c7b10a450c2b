import { Client } from 'pg';
import { RequestContext } from '../../src/common/context/request-context';
import { statementName } from '../../src/common/database/prepared-statement';
import { PipelineQuery } from '../../src/common/database/statement-pipeline';

/**
 * Every SQL statement the app's pg clients send, with the request it was sent for (the request
 * context's id, as X-Request-Id answers it), so a test can count one request's round trips while
 * timers and workers of the same process send their own.
 */
export class StatementCounter {
  private readonly seen: Array<{ requestId: string | null; sql: string; name?: string; trip: number }> = [];
  private trips = 0;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, and called with the client as `this`
  private readonly original = Client.prototype.query;

  install(): this {
    const original = this.original;
    const seen = this.seen;
    const trip = () => (this.trips += 1);
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const first = args[0] as string | { text?: string } | undefined;
      const requestId = RequestContext.current()?.requestId ?? null;
      const number = trip();
      if (first instanceof PipelineQuery) {
        // Several statements in one round trip: each counted, with the trip it went in.
        for (const statement of first.statements)
          seen.push({ requestId, sql: statement.text, name: statement.prepared ? statementName(statement.text) : undefined, trip: number });
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      }
      seen.push({
        requestId,
        sql: typeof first === 'string' ? first : (first?.text ?? ''),
        name: typeof first === 'string' ? undefined : (first as { name?: string } | undefined)?.name,
        trip: number,
      });
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
    return this;
  }

  uninstall(): void {
    Client.prototype.query = this.original;
  }

  /** The statements sent for one request, in order. */
  of(requestId: string): string[] {
    return this.seen.filter((entry) => entry.requestId === requestId).map((entry) => entry.sql);
  }

  /** The request's own statements (no session check) by round trip, in order. */
  tripsOf(requestId: string): string[][] {
    const trips = new Map<number, string[]>();
    for (const entry of this.seen)
      if (entry.requestId === requestId && !isSessionCheck(entry.sql)) trips.set(entry.trip, [...(trips.get(entry.trip) ?? []), entry.sql]);
    return [...trips.values()];
  }

  /** The prepared statement names of one request's statements, in order (undefined: not prepared). */
  namesOf(requestId: string): Array<string | undefined> {
    return this.seen.filter((entry) => entry.requestId === requestId && !isSessionCheck(entry.sql)).map((entry) => entry.name);
  }

  /**
   * The same without the session check. A suite that counts a request's own statements with the
   * session cache on cannot rely on the cache still holding: it trusts a check for 5 s at most, and
   * on a loaded machine a save can start more than 5 s after the last one. The check (the session
   * read and, when due, its touch: two at most) is asserted apart; the request's own work is counted alone.
   */
  ofWork(requestId: string): string[] {
    const statements = this.of(requestId);
    const checks = statements.filter(isSessionCheck);
    if (checks.length > 2) throw new Error(`${checks.length} session checks for one request:\n${checks.join('\n')}`);
    return statements.filter((sql) => !isSessionCheck(sql));
  }
}

/** The statements of the session check (the session read, and its touch of last_seen_at). */
function isSessionCheck(sql: string): boolean {
  return /\bauth_sessions\b/.test(sql);
}
