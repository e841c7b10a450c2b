import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
/** The app compiled as production runs it (`node dist/src/main.js`), in the bench's own folder (bench/.gitignore). */
export const BUILD_DIR = join(__dirname, '.build');

/**
 * Compiles src/ without type-checking (`npm run typecheck` does that) into bench/.build, about
 * 10 s; skipped when the build is newer than every file of src/ and migrations/.
 */
export async function buildApp(log: (line: string) => void): Promise<string> {
  const main = join(BUILD_DIR, 'src', 'main.js');
  const newest = Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'migrations')));
  if (existsSync(main) && statSync(main).mtimeMs > newest) {
    log(`  the app's build in ${BUILD_DIR} is up to date`);
    return main;
  }
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--noCheck', '--outDir', BUILD_DIR],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc failed (${String(code)}): ${output.slice(-2000)}`))));
  });
  if (!existsSync(main)) throw new Error(`The build wrote no ${main}`);
  log(`  compiled the app into ${BUILD_DIR} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return main;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A child process of the bench: its output is kept (last lines shown if it dies), it is killed by pid at the end. */
export class BenchProcess {
  readonly lines: string[] = [];
  private child: ChildProcess;
  private exited = false;

  constructor(
    readonly name: string,
    args: string[],
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (this.lines.length > 200) this.lines.splice(0, this.lines.length - 200);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.child.once('exit', () => (this.exited = true));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return !this.exited;
  }

  describeDeath(): string {
    return `${this.name} (pid ${this.pid}) exited: ${this.lines.slice(-15).join('\n')}`;
  }

  /** Resident set size in MB from /proc/<pid>/status (VmRSS now, VmHWM the peak since start). */
  memory(): { rssMb: number; peakMb: number } | null {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
    } catch {
      return null;
    }
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.kill('SIGTERM');
    });
  }
}

/** Waits until `url` answers 200 (the process is up), or fails with its last output. */
export async function waitForHttp(process: BenchProcess, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!process.alive) throw new Error(process.describeDeath());
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${process.name} did not answer ${url} within ${timeoutMs} ms: ${process.lines.slice(-10).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Samples a process's RSS every `everyMs` while load runs; answers the highest sample. */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  readonly samples: number[] = [];

  constructor(
    private readonly process: BenchProcess,
    private readonly everyMs = 100,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      const memory = this.process.memory();
      if (memory) this.samples.push(memory.rssMb);
    }, this.everyMs);
  }

  stop(): { maxMb: number; meanMb: number; samples: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const max = this.samples.length ? Math.max(...this.samples) : NaN;
    const mean = this.samples.length ? this.samples.reduce((a, b) => a + b, 0) / this.samples.length : NaN;
    return { maxMb: max, meanMb: mean, samples: this.samples.length };
  }
}

/** The environment the api and worker processes run with (production mode, the bench's database, Redis prefix and secret). */
export function appEnvironment(options: {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  jwtSecret: string;
  smtpUrl?: string;
}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: options.queuePrefix,
    JWT_SECRET: options.jwtSecret,
    SMTP_URL: options.smtpUrl ?? 'smtp://127.0.0.1:1025',
    MAIL_FROM: 'Throughline Bench <notices@bench.test>',
    // Per-request info logs would be the bench's pipe's cost, not the app's.
    LOG_LEVEL: 'warn',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    // Production requires a key for the protected-party fields; the bench stores none.
    FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
}
