import http from 'node:http';

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
  /** The request for the i-th call (0-based); null ends the run early. */
  next: (index: number) => LoadRequest | null;
  /** Status a request must answer (anything else is counted as an error). */
  expectStatus?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  firstError: string | null;
  elapsedMs: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Latencies in a log-linear histogram: 0.01 ms buckets up to 10 ms, then 1 % wide buckets up to
 * 60 s — fixed memory whatever the number of samples, exact enough for p99.
 */
export class LatencyHistogram {
  private readonly fine = new Uint32Array(1000);
  private readonly coarse = new Uint32Array(900);
  private count = 0;
  private sum = 0;
  private maxMs = 0;

  record(ms: number): void {
    this.count += 1;
    this.sum += ms;
    if (ms > this.maxMs) this.maxMs = ms;
    if (ms < 10) this.fine[Math.floor(ms * 100)] += 1;
    else this.coarse[Math.min(this.coarse.length - 1, Math.floor(Math.log(ms / 10) / Math.log(1.01)))] += 1;
  }

  get samples(): number {
    return this.count;
  }

  get mean(): number {
    return this.count ? this.sum / this.count : 0;
  }

  get max(): number {
    return this.maxMs;
  }

  /** The upper edge of the bucket holding the q-quantile. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < this.fine.length; i++) {
      seen += this.fine[i];
      if (seen >= rank) return (i + 1) / 100;
    }
    for (let i = 0; i < this.coarse.length; i++) {
      seen += this.coarse[i];
      if (seen >= rank) return Math.min(this.maxMs, 10 * 1.01 ** (i + 1));
    }
    return this.maxMs;
  }
}

function send(agent: http.Agent, base: URL, request: LoadRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: request.method,
        path: request.path,
        headers: { ...request.headers, ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A small closed-loop load generator for loopback only: `concurrency` workers on one keep-alive
 * agent, each sending its next request as soon as the last one answered, until the time or the
 * request budget runs out. It stops by itself; nothing is left running.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const base = new URL(options.baseUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) throw new Error(`Load goes to loopback only, not ${base.hostname}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const histogram = new LatencyHistogram();
  const expect = options.expectStatus ?? 200;
  const started = performance.now();
  const deadline = started + options.durationMs;
  let issued = 0;
  let errors = 0;
  let firstError: string | null = null;

  const worker = async () => {
    for (;;) {
      if (performance.now() >= deadline) return;
      if (options.maxRequests !== undefined && issued >= options.maxRequests) return;
      const request = options.next(issued++);
      if (!request) return;
      const sent = performance.now();
      try {
        const answer = await send(agent, base, request);
        histogram.record(performance.now() - sent);
        if (answer.status !== expect) {
          errors += 1;
          firstError ??= `${request.method} ${request.path} answered ${answer.status}: ${answer.body.slice(0, 300)}`;
        }
      } catch (error) {
        histogram.record(performance.now() - sent);
        errors += 1;
        firstError ??= `${request.method} ${request.path} failed: ${(error as Error).message}`;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return loadResult(histogram, errors, firstError, performance.now() - started);
}

/**
 * The same closed loop for work that is not HTTP (the P1 baseline script): `concurrency`
 * callers of `work(i)` until the time or the budget runs out.
 */
export async function runWork(options: { concurrency: number; durationMs: number; maxCalls?: number; work: (index: number) => Promise<void> }): Promise<LoadResult> {
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
  return loadResult(histogram, errors, firstError, performance.now() - started);
}

/** One closed loop's figures, whether it drove HTTP or plain work. */
function loadResult(histogram: LatencyHistogram, errors: number, firstError: string | null, elapsedMs: number): LoadResult {
  return {
    requests: histogram.samples,
    errors,
    firstError,
    elapsedMs,
    throughput: histogram.samples / (elapsedMs / 1000),
    p50: histogram.quantile(0.5),
    p95: histogram.quantile(0.95),
    p99: histogram.quantile(0.99),
    max: histogram.max,
    mean: histogram.mean,
  };
}
