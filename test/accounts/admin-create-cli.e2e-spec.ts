import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDatabaseFromTemplate, databaseUrl, dropDatabase } from '../helpers/test-database';
import { startTestApp, TestApp } from '../helpers/test-app';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run admin:create -- …` as an operator runs it, against a fresh test database (no TTY: stdin is a pipe). */
function adminCreate(database: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'admin:create', '--', ...args], {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: databaseUrl(database), LOG_LEVEL: 'silent', ADMIN_PASSWORD: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

describe('npm run admin:create: the first admin of a new program', () => {
  let database: string;
  let client: Client;
  const dir = mkdtempSync(join(tmpdir(), 'tl-admin-'));

  beforeAll(async () => {
    // A fresh database, migrated and empty: no agency, no user, as `docker compose up` leaves it in production.
    database = await createDatabaseFromTemplate();
    client = new Client({ connectionString: databaseUrl(database) });
    await client.connect();
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset if the database could not be made; it is still dropped below
    await client?.end();
    await dropDatabase(database);
  });

  const count = async (sql: string) => Number((await client.query(sql)).rows[0].n);

  it('refuses a weak password and writes nothing', async () => {
    const run = await adminCreate(database, ['--email', 'alex@arrowhead.test', '--name', 'Alex Moreno', '--agency', 'Arrowhead Program'], {
      ADMIN_PASSWORD: 'password1234',
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/password is refused: .*common/);
    const short = await adminCreate(
      database,
      ['--email', 'alex@arrowhead.test', '--name', 'Alex Moreno', '--agency', 'Arrowhead Program'],
      { ADMIN_PASSWORD: 'too short' },
    );
    expect(short.stderr).toMatch(/at least 12 characters/);
    expect(await count(`SELECT count(*) AS n FROM users`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM agencies`)).toBe(0);
  });

  it('asks for the program agency when there is none, and for a password when there is no terminal', async () => {
    const noAgency = await adminCreate(database, ['--email', 'alex@arrowhead.test', '--name', 'Alex Moreno'], {
      ADMIN_PASSWORD: 'lake superior in november',
    });
    expect(noAgency.code).toBe(1);
    expect(noAgency.stderr).toContain('no program agency yet: name it with --agency');
    const noPassword = await adminCreate(database, [
      '--email',
      'alex@arrowhead.test',
      '--name',
      'Alex Moreno',
      '--agency',
      'Arrowhead Program',
    ]);
    expect(noPassword.code).toBe(1);
    expect(noPassword.stderr).toContain('set ADMIN_PASSWORD or pass --password-file');
    expect(await count(`SELECT count(*) AS n FROM users`)).toBe(0);
  });

  it('creates the program agency and its first admin from a password file; he signs in to the app', async () => {
    const file = join(dir, 'password');
    writeFileSync(file, 'lake superior in november\n', { mode: 0o600 });
    const run = await adminCreate(database, [
      '--email',
      'Alex@Arrowhead.test',
      '--name',
      'Alex Moreno',
      '--agency',
      'Arrowhead Program',
      '--password-file',
      file,
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Created the admin alex@arrowhead.test of the new program agency "Arrowhead Program"');
    expect(run.stdout).not.toContain('lake superior');
    const { rows } = await client.query(`SELECT u.role, u.active, a.kind, a.name FROM users u JOIN agencies a ON a.id = u.agency_id`);
    expect(rows).toEqual([{ role: 'admin', active: true, kind: 'program', name: 'Arrowhead Program' }]);
    expect(
      await count(
        `SELECT count(*) AS n FROM audit_entries WHERE action IN ('user.create', 'agency.create') AND details->>'via' = 'admin:create'`,
      ),
    ).toBe(2);

    let app: TestApp | null = null;
    try {
      app = await startTestApp({ databaseName: database });
      const signedIn = await app.http
        .post('/api/v1/auth/login')
        .send({ email: 'alex@arrowhead.test', password: 'lake superior in november' })
        .expect(200);
      expect(signedIn.body.user.role).toBe('admin');
    } finally {
      await app?.close();
    }
  });

  it('refuses to run a second time, unless --another says it is meant', async () => {
    const again = await adminCreate(database, ['--email', 'sam@arrowhead.test', '--name', 'Sam Second'], {
      ADMIN_PASSWORD: 'porcupine mountains trail',
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has an admin; nothing was changed');
    expect(await count(`SELECT count(*) AS n FROM users`)).toBe(1);
    const another = await adminCreate(database, ['--email', 'sam@arrowhead.test', '--name', 'Sam Second', '--another'], {
      ADMIN_PASSWORD: 'porcupine mountains trail',
    });
    expect(another.code).toBe(0);
    expect(another.stdout).toContain('of the program agency "Arrowhead Program"');
    expect(await count(`SELECT count(*) AS n FROM users WHERE role = 'admin'`)).toBe(2);
    expect(await count(`SELECT count(*) AS n FROM agencies`)).toBe(1);
    const taken = await adminCreate(database, ['--email', 'sam@arrowhead.test', '--name', 'Sam Second', '--another'], {
      ADMIN_PASSWORD: 'porcupine mountains trail',
    });
    expect(taken.stderr).toContain('exists already');
  });
});
