import Redis from 'ioredis';
import jwt from 'jsonwebtoken';
import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { SessionRevocations } from '../../src/modules/auth/session-revocations';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, createAgency, createUser, signIn, TEST_PASSWORD } from '../helpers/fixtures';
import { TcpProxy } from '../helpers/tcp-proxy';
import { startTestApp, TestApp } from '../helpers/test-app';
import { TEST_REDIS_URL } from '../helpers/test-database';
import { freePort } from '../helpers/free-port';
import { WorkerProcess } from '../helpers/worker-process';
import { UserAdminService } from '../../src/modules/user-admin/user-admin.service';
import { waitFor } from '../helpers/wait-for';

/**
 * Two api processes on one database and one Redis key prefix, as behind a load balancer: this
 * jest process's app, and a real api process (src/main.ts, APP_ROLE=api) that reaches Redis
 * through a proxy the test can cut. Each caches a checked session for up to 5 s; a session ended
 * in one must be refused by the other at once, and a process that cannot hear the revocations
 * must not cache at all. Whether the other process has a token cached is seen from outside:
 * a session ended in the database alone (no revocation published) is still accepted there.
 */
describe('the session check cache across api processes', () => {
  const prefix = `tl-test-sessions-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const redisPort = Number(new URL(TEST_REDIS_URL).port || 6379);
  const proxy = new TcpProxy('127.0.0.1', redisPort);
  let first: TestApp;
  let second: WorkerProcess | undefined;
  let secondUrl: string;
  let programId: string;
  let adminToken: string;

  beforeAll(async () => {
    const proxyPort = await proxy.start();
    first = await startTestApp({ env: { SESSION_CACHE_MS: '5000', QUEUE_PREFIX: prefix, APP_ROLE: 'api' } });
    const port = await freePort();
    secondUrl = `http://127.0.0.1:${port}`;
    second = new WorkerProcess({
      APP_ROLE: 'api',
      PORT: String(port),
      DATABASE_URL: first.config.databaseUrl,
      REDIS_URL: `redis://127.0.0.1:${proxyPort}/0`,
      SMTP_URL: first.config.smtpUrl,
      QUEUE_PREFIX: prefix,
      SESSION_CACHE_MS: '5000',
      PROGRAM_HOLIDAYS: 'none',
    });
    second.start();
    await waitFor(async () => (await fetch(`${secondUrl}/api/v1/auth/me`)).status === 401, {
      timeoutMs: 120_000,
      intervalMs: 500,
      what: 'the second api process to serve',
    });
    programId = (await createAgency(first.dataSource, AgencyKind.Program)).id;
    const admin = await createUser(first.dataSource, Role.Admin, programId);
    adminToken = await signIn(first, admin.email);
    await waitFor(() => first.app.get(SessionRevocations).subscribed, { timeoutMs: 10_000, what: 'the first process subscribed' });
    await waitFor(async () => secondCaches(), { timeoutMs: 20_000, intervalMs: 200, what: 'the second process to cache (subscribed)' });
  }, 180_000);

  afterAll(async () => {
    await second?.kill('SIGTERM');
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset if setup failed; the proxy below must still be cut
    await first?.close();
    await proxy.cut();
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  const me = (token: string) => fetch(`${secondUrl}/api/v1/auth/me`, { headers: bearer(token) }).then((response) => response.status);
  const sessionIdOf = (token: string) => (jwt.decode(token) as { sid: string }).sid;
  /** Ends a session behind the apps' backs: no revocation is published, only the database knows. */
  const endInDatabaseOnly = (token: string) =>
    first.dataSource.query(`UPDATE auth_sessions SET ended_at = now(), end_reason = 'logout' WHERE id = $1`, [sessionIdOf(token)]);

  /** Whether the second process caches right now: a token it checked, ended in the database alone, still passes there. */
  async function secondCaches(): Promise<boolean> {
    const user = await createUser(first.dataSource, Role.Facilitator, programId);
    const probe = await signIn(first, user.email);
    if ((await me(probe)) !== 200) return false;
    await endInDatabaseOnly(probe);
    return (await me(probe)) === 200;
  }

  /**
   * A facilitator signed in twice on the first process, both tokens checked by the second; the
   * spare one is ended in the database alone and still passes there, which proves the second
   * process is serving this user from its cache when the ending comes.
   */
  async function signedInOnBoth(): Promise<{ userId: string; token: string }> {
    const user = await createUser(first.dataSource, Role.Facilitator, programId);
    const token = await signIn(first, user.email);
    const spare = await signIn(first, user.email);
    expect(await me(token)).toBe(200);
    expect(await me(spare)).toBe(200);
    await endInDatabaseOnly(spare);
    expect(await me(spare)).toBe(200);
    return { userId: user.id, token };
  }

  let refusedIn = 0;
  /**
   * Polls the second process from the moment the first answered until it refuses: how long after
   * that answer the first refused request was sent (its own round trip on a loaded machine is not
   * the revocation's delay), and that it stays refused.
   */
  async function refusedAfter(token: string, end: () => Promise<unknown>): Promise<number> {
    await end();
    const ended = performance.now();
    for (;;) {
      const sent = performance.now();
      if ((await me(token)) === 401) {
        refusedIn = performance.now() - ended;
        expect(await me(token)).toBe(401);
        return sent - ended;
      }
      if (performance.now() - ended > 2_000) throw new Error('the second process still accepted the ended session after 2 s');
    }
  }

  it('caches a checked session: ended behind its back, it is still accepted within the window, and not after it', async () => {
    const user = await createUser(first.dataSource, Role.Facilitator, programId);
    const token = await signIn(first, user.email);
    expect(await me(token)).toBe(200);
    await endInDatabaseOnly(token);
    // This is what the cache buys (no database check), and why every way of ending a session must publish.
    expect(await me(token)).toBe(200);
    await first.http.get('/api/v1/auth/me').set(bearer(token)).expect(401);
    await waitFor(async () => (await me(token)) === 401, { timeoutMs: 6_000, intervalMs: 250, what: 'the cached session to age out' });
  });

  const endings: Array<[string, (who: { userId: string; token: string }) => Promise<unknown>]> = [
    ['logout', ({ token }) => first.http.post('/api/v1/auth/logout').set(bearer(token)).expect(204)],
    [
      'a password change',
      ({ token }) =>
        first.http
          .post('/api/v1/auth/password')
          .set(bearer(token))
          .send({ currentPassword: TEST_PASSWORD, newPassword: 'a brand new long passphrase' })
          .expect(200),
    ],
    [
      'deactivation',
      ({ userId }) => first.http.patch(`/api/v1/users/${userId}`).set(bearer(adminToken)).send({ active: false }).expect(200),
    ],
    [
      'a second-factor reset',
      ({ userId }) => first.http.post(`/api/v1/users/${userId}/second-factor/reset`).set(bearer(adminToken)).expect(204),
    ],
    [
      'a move to another role',
      async ({ userId }) => {
        const court = await createAgency(first.dataSource, AgencyKind.Court);
        const admin = {
          id: '00000000-0000-4000-8000-000000000000',
          role: Role.Admin,
          agencyId: programId,
          email: 'admin@program.test',
          name: 'Admin',
        };
        await first.app.get(UserAdminService).reassign(admin, userId, { role: Role.CourtClerk, agencyId: court.id });
      },
    ],
  ];

  it.each(endings)('a session ended by %s in one process is refused by the other within 100 ms', async (what, end) => {
    const who = await signedInOnBoth();
    const elapsed = await refusedAfter(who.token, () => end(who));
    process.stdout.write(
      `session cache: after ${what}, the second api process refused the token at a request sent ${elapsed.toFixed(1)} ms after the first process answered (its answer came ${refusedIn.toFixed(1)} ms after)\n`,
    );
    expect(elapsed).toBeLessThan(100);
  });

  it('with its subscription cut it caches nothing, so every ending counts at once; subscribed again, it starts empty', async () => {
    const before = await createUser(first.dataSource, Role.Facilitator, programId);
    const beforeToken = await signIn(first, before.email);
    expect(await me(beforeToken)).toBe(200);
    const during = await createUser(first.dataSource, Role.Facilitator, programId);
    const duringToken = await signIn(first, during.email);

    await proxy.cut();
    // What it had cached before the cut is gone: ended now (unheard, the channel is down), it is refused at once.
    await endInDatabaseOnly(beforeToken);
    await waitFor(async () => (await me(beforeToken)) === 401, {
      timeoutMs: 1_000,
      intervalMs: 20,
      what: 'the second process to drop its cache when the channel went down',
    });
    // Nothing new is cached while it cannot hear: each request checks the database.
    expect(await me(duringToken)).toBe(200);
    await endInDatabaseOnly(duringToken);
    expect(await me(duringToken)).toBe(401);
    const third = await signIn(first, during.email);
    expect(await me(third)).toBe(200);
    const started = performance.now();
    await first.http.post('/api/v1/auth/logout').set(bearer(third)).expect(204);
    expect(await me(third)).toBe(401);
    process.stdout.write(
      `session cache: with the subscription down, the second process refused a logged-out token at its first request, ${(performance.now() - started).toFixed(1)} ms after the logout was sent\n`,
    );

    await proxy.start();
    await waitFor(async () => secondCaches(), {
      timeoutMs: 20_000,
      intervalMs: 200,
      what: 'the second process to subscribe and cache again',
    });
  });
});
