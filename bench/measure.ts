import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { PipelineQuery } from '../src/common/database/statement-pipeline';

export interface Stats {
  samples: number;
  median: number;
  min: number;
  p95: number;
}

export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { samples: sorted.length, median, min: sorted[0], p95: at(0.95) };
}

/** Milliseconds taken by `work`, with its result. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

/** Runs `work` `warmup` times unmeasured, then `iterations` times; answers each call's milliseconds. */
export async function repeat(iterations: number, warmup: number, work: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples;
}

/**
 * Counts the statements every pg Client sends (the app's pool and the bench's own clients
 * alike, so count only around app calls): a spy on Client.prototype.query, no jest.
 */
export class QueryCounter {
  private count = 0;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as the method it was, and called with apply(this)
  private readonly original = Client.prototype.query;

  install(): void {
    const original = this.original;
    const count = (statements: number) => (this.count += statements);
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      // A pipeline is several statements in one round trip: each is counted.
      count(args[0] instanceof PipelineQuery ? args[0].statements.length : 1);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
  }

  uninstall(): void {
    Client.prototype.query = this.original;
  }

  async around<T>(work: () => Promise<T>): Promise<{ queries: number; result: T }> {
    const before = this.count;
    const result = await work();
    return { queries: this.count - before, result };
  }
}

/** CPU time (user + system) a process has used, from /proc (Linux), in ms. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat; after "pid (comm) " they are the 12th and 13th.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** CPU (ms) of each PostgreSQL backend connected to the database, by pid (the server runs on this machine). */
export async function backendCpu(client: Client, database: string): Promise<Map<number, number>> {
  const { rows } = await client.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    [database],
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      cpu.set(pid, cpuMs(pid));
    } catch {
      // gone since
    }
  }
  return cpu;
}
