import { Client } from 'pg';
import { RequestContext } from '../../src/common/context/request-context';

/**
 * Every SQL statement the app's pg clients send, with the request it was sent for (the request
 * context's id, as X-Request-Id answers it), so a test can count one request's round trips while
 * timers and workers of the same process send their own.
 */
export class StatementCounter {
  private readonly seen: Array<{ requestId: string | null; sql: string; name?: string }> = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, and called with the client as `this`
  private readonly original = Client.prototype.query;

  install(): this {
    const original = this.original;
    const seen = this.seen;
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const first = args[0] as string | { text?: string } | undefined;
      seen.push({
        requestId: RequestContext.current()?.requestId ?? null,
        sql: typeof first === 'string' ? first : (first?.text ?? ''),
        name: typeof first === 'string' ? undefined : (first as { name?: string } | undefined)?.name,
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
