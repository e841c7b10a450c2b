import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './wait-for';

/**
 * A real worker process (APP_ROLE=worker) running src/main.ts, for tests that must kill one
 * with SIGKILL at an exact point. Its stdout lines are kept so the test can wait for them.
 */
export class WorkerProcess {
  readonly lines: string[] = [];
  private child: ChildProcess | null = null;

  constructor(private readonly env: Record<string, string>) {}

  start(): void {
    const root = join(__dirname, '..', '..');
    this.child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'test',
        APP_ROLE: 'worker',
        LOG_LEVEL: 'warn',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
  }

  async waitForLine(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    return waitFor(() => this.lines.find((line) => pattern.test(line)), { timeoutMs, what: `worker output ${pattern}` });
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}
