import { spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts the real entry point the way an operator would, with only the given environment. */
async function startMain(env: Record<string, string>, timeoutMs = 40_000): Promise<Exit> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: REPO_ROOT,
    // A clean environment: nothing from the developer's shell may satisfy or spoil the check.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PORT: String(await unusedPort()), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // If validation were broken the app would start and keep running: stop it and fail.
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('start-up configuration check (the real process)', () => {
  it('exits with 78 and one line naming DATABASE_URL when it is not a postgres URL', async () => {
    const exit = await startMain({ DATABASE_URL: 'mysql://nope' });
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 78, signal: null });
    expect(exit.stderr).toBe('throughline: Invalid configuration: DATABASE_URL must be a postgres:// URL naming a database\n');
    expect(exit.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(exit.stdout).toBe('');
  });

  it('exits with 78 and one line naming JWT_SECRET in production without a secret', async () => {
    const exit = await startMain({ NODE_ENV: 'production' });
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 78, signal: null });
    const lines = exit.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^throughline: Invalid configuration: JWT_SECRET /);
    expect(lines[0]).not.toMatch(/DATABASE_URL|REDIS_URL|SMTP_URL/);
    expect(exit.stderr).not.toMatch(/\n\s+at \S+/); // no stack trace
  });

  it('names every bad variable in the same single line', async () => {
    const exit = await startMain({ NODE_ENV: 'production', JWT_SECRET: 'short', REDIS_URL: 'http://cache', APP_ROLE: 'both' });
    expect(exit.code).toBe(78);
    const lines = exit.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    for (const name of ['JWT_SECRET', 'REDIS_URL', 'APP_ROLE']) expect(lines[0]).toContain(name);
  });
});
