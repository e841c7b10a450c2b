import autocannon from 'autocannon';
import os from 'node:os';
import { createHistogram, RecordableHistogram } from 'node:perf_hooks';

/** One request of a load run; `next` is asked for each, so it can walk a sequence of rosters. */
export interface LoadRequest {
  method: 'GET' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  baseUrl: string;
  concurrency: number;
  /** Stops after this long whatever is left… */
  durationMs: number;
  /** …or after this many requests (then throughput is requests / elapsed). */
  maxRequests?: number;
  /** The request for the i-th call (0-based). */
  next: (index: number) => LoadRequest;
  /** Status a request must answer (anything else is counted as an error). */
  expectStatus?: number;
}

export interface LoadResult {
  requests: number;
  /** Requests sent, answered or not: a save still in flight when the time ran out was sent. */
  issued: number;
  errors: number;
  firstError: string | null;
  elapsedMs: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  /** The machine's 1-minute load average when the run ended (others' work makes figures noisier). */
  load: number;
}

/**
 * Latencies in Node's built-in HDR histogram (perf_hooks), recorded in microseconds: fixed
 * memory whatever the number of samples, three significant digits. The HTTP loops feed it the
 * response times autocannon measures, the other loops their own, so every row reads the same way.
 */
export class LatencyHistogram {
  private readonly histogram: RecordableHistogram = createHistogram();

  record(ms: number): void {
    this.histogram.record(Math.max(1, Math.round(ms * 1000)));
  }

  get samples(): number {
    return this.histogram.count;
  }

  get mean(): number {
    return this.samples ? this.histogram.mean / 1000 : 0;
  }

  get max(): number {
    return this.samples ? this.histogram.max / 1000 : 0;
  }

  /** The q-quantile (0–1) in milliseconds. */
  quantile(q: number): number {
    return this.samples ? this.histogram.percentile(q * 100) / 1000 : 0;
  }
}

/**
 * A closed-loop HTTP load run, driven by autocannon: `concurrency` keep-alive connections, each
 * sending its next request as soon as the last one answered (no pipelining), until the time or
 * the request budget runs out. Loopback only.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const base = new URL(options.baseUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) throw new Error(`Load goes to loopback only, not ${base.hostname}`);
  const histogram = new LatencyHistogram();
  const expect = options.expectStatus ?? 200;
  let issued = 0;
  let mismatches = 0;
  let firstError: string | null = null;
  // autocannon's `amount` overrides its duration, so the time limit is a stop of our own.
  const amount = options.maxRequests === undefined ? undefined : Math.max(options.maxRequests, options.concurrency);
  const started = performance.now();
  // Without a callback autocannon answers its tracker (an EventEmitter with stop()) made thenable; its types say only Promise.
  const instance = autocannon({
    url: base.origin,
    connections: options.concurrency,
    pipelining: 1,
    duration: options.durationMs / 1000,
    amount,
    timeout: 30,
    requests: [
      {
        setupRequest: (request) => {
          const next = options.next(issued++);
          const headers: Record<string, string> = { ...next.headers };
          if (next.body !== undefined) headers['content-type'] = 'application/json';
          return { ...request, method: next.method, path: next.path, headers, body: next.body };
        },
        onResponse: (status, body) => {
          if (status === expect) return;
          mismatches += 1;
          firstError ??= `answered ${status}: ${body.slice(0, 300)}`;
        },
      },
    ],
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => histogram.record(responseTime));
  const stopTimer = amount === undefined ? null : setTimeout(() => instance.stop(), options.durationMs);
  let result: autocannon.Result;
  try {
    result = await instance;
  } finally {
    if (stopTimer) clearTimeout(stopTimer);
  }
  const elapsedMs = performance.now() - started;
  const socketErrors = result.errors + result.timeouts;
  if (socketErrors) firstError ??= `${result.errors} socket errors, ${result.timeouts} timeouts`;
  return loadResult(histogram, issued, mismatches + socketErrors, firstError, elapsedMs);
}

/**
 * The same closed loop for work that is not HTTP (the P1 baseline script): `concurrency`
 * callers of `work(i)` until the time or the budget runs out.
 */
export async function runWork(options: {
  concurrency: number;
  durationMs: number;
  maxCalls?: number;
  work: (index: number) => Promise<void>;
}): Promise<LoadResult> {
  const histogram = new LatencyHistogram();
  const started = performance.now();
  const deadline = started + options.durationMs;
  let issued = 0;
  let errors = 0;
  let firstError: string | null = null;
  const worker = async () => {
    for (;;) {
      if (performance.now() >= deadline) return;
      if (options.maxCalls !== undefined && issued >= options.maxCalls) return;
      const index = issued++;
      const sent = performance.now();
      try {
        await options.work(index);
      } catch (error) {
        errors += 1;
        firstError ??= (error as Error).message;
      }
      histogram.record(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return loadResult(histogram, issued, errors, firstError, performance.now() - started);
}

/** One closed loop's figures, whether it drove HTTP or plain work. */
function loadResult(histogram: LatencyHistogram, issued: number, errors: number, firstError: string | null, elapsedMs: number): LoadResult {
  return {
    requests: histogram.samples,
    issued,
    errors,
    firstError,
    elapsedMs,
    throughput: histogram.samples / (elapsedMs / 1000),
    p50: histogram.quantile(0.5),
    p95: histogram.quantile(0.95),
    p99: histogram.quantile(0.99),
    max: histogram.max,
    mean: histogram.mean,
    load: os.loadavg()[0],
  };
}
