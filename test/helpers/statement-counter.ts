import { Client } from 'pg';
import { RequestContext } from '../../src/common/context/request-context';

/**
 * Every SQL statement the app's pg clients send, with the request it was sent for (the request
 * context's id, as X-Request-Id answers it), so a test can count one request's round trips while
 * timers and workers of the same process send their own.
 */
export class StatementCounter {
  private readonly seen: Array<{ requestId: string | null; sql: string }> = [];
  private readonly original = Client.prototype.query;

  install(): this {
    const original = this.original;
    const seen = this.seen;
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const first = args[0] as string | { text?: string };
      seen.push({ requestId: RequestContext.current()?.requestId ?? null, sql: typeof first === 'string' ? first : (first?.text ?? '') });
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
}
