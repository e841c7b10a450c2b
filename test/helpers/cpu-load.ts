import { ChildProcess, spawn } from 'node:child_process';

/**
 * A loaded machine on demand: child processes that spin the CPU until stopped, and never past
 * `maxMs` even if a test forgets to stop them (each child ends its own loop).
 */
export class CpuLoad {
  private children: ChildProcess[] = [];

  start(processes = 2, maxMs = 180_000): void {
    for (let i = 0; i < processes; i++) {
      this.children.push(
        spawn(process.execPath, ['-e', `const end = Date.now() + ${maxMs}; while (Date.now() < end) {}`], { stdio: 'ignore' }),
      );
    }
  }

  async stop(): Promise<void> {
    const children = this.children.splice(0);
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null || child.signalCode !== null
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              child.once('exit', () => resolve());
              child.kill('SIGKILL');
            }),
      ),
    );
  }
}
