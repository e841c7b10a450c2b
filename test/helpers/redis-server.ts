import { ChildProcess, spawn } from 'node:child_process';
import Redis from 'ioredis';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

/**
 * A private redis-server process for fault tests, so stopping it or FLUSHALL touches nothing
 * but the test that owns it (not the shared Redis other suites and the demo use).
 */
export class PrivateRedis {
  private process: ChildProcess | null = null;
  port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await waitFor(() => this.ping(), { what: `redis-server on ${this.port}`, timeoutMs: 10_000 });
  }

  /** Stops it for real, the way an operator would: SHUTDOWN NOSAVE. */
  async stop(): Promise<void> {
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await client.connect();
      await client.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
    } finally {
      client.disconnect();
    }
    const exited = this.process;
    if (exited && exited.exitCode === null) await new Promise((resolve) => exited.once('exit', resolve));
    this.process = null;
  }

  async flushAll(): Promise<void> {
    const client = new Redis(this.url);
    try {
      await client.flushall();
    } finally {
      client.disconnect();
    }
  }

  private async ping(): Promise<boolean> {
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await client.connect();
      await client.ping();
      return true;
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }
}
