import jwt from 'jsonwebtoken';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { Role } from '../../src/common/auth/role.enum';
import { User } from '../../src/modules/users/user.entity';
import { bearer, createAgency, createUser, signIn, TEST_PASSWORD } from '../helpers/fixtures';
import Redis from 'ioredis';
import { RedisThrottlerStorage } from '../../src/modules/auth/redis-throttler.storage';
import { waitFor } from '../helpers/wait-for';
import { startTestApp, TestApp } from '../helpers/test-app';
import { TEST_REDIS_URL } from '../helpers/test-database';

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** A JWT assembled by hand, so tests can forge headers the signing libraries refuse to produce. */
function handMadeToken(header: object, claims: object, sign: (signingInput: string) => string): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${sign(signingInput)}`;
}

describe('signing in and bearer tokens', () => {
  let testApp: TestApp;
  let programId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    programId = (await createAgency(testApp.dataSource, AgencyKind.Program)).id;
  });
  afterAll(() => testApp.close());

  const newFacilitator = () => createUser(testApp.dataSource, Role.Facilitator, programId);

  /** The claims the app itself puts in a token (with a live server-side session), for forging variants of it. */
  async function claimsOf(user: User): Promise<Record<string, unknown>> {
    const { tokenVersion } = await testApp.dataSource.getRepository(User).findOneByOrFail({ id: user.id });
    const [session] = await testApp.dataSource.query<Array<{ id: string }>>(
      `INSERT INTO auth_sessions (user_id, kind) VALUES ($1, 'api') RETURNING id`,
      [user.id],
    );
    return { sub: user.id, sid: session.id, ver: tokenVersion, role: user.role, agencyId: user.agencyId };
  }

  const sessionIdOf = (token: string): string => (jwt.decode(token) as { sid: string }).sid;
  const ageSession = (token: string, column: 'last_seen_at' | 'started_at', minutes: number) =>
    testApp.dataSource.query(`UPDATE auth_sessions SET ${column} = now() - make_interval(mins => $2) WHERE id = $1`, [
      sessionIdOf(token),
      minutes,
    ]);

  describe('login', () => {
    it('returns an access token and the user id, role and agency for the right password', async () => {
      const user = await newFacilitator();
      const response = await testApp.http.post('/api/v1/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
      expect(response.body).toMatchObject({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        user: { id: user.id, role: 'facilitator', agencyId: programId },
      });
      expect(JSON.stringify(response.body)).not.toMatch(/argon|passwordHash/i);
      await testApp.http.get('/api/v1/auth/me').set(bearer(response.body.accessToken)).expect(200);
    });

    it('answers a wrong password and an unknown e-mail with the same 401', async () => {
      const user = await newFacilitator();
      const wrongPassword = await testApp.http
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: 'not the password at all' })
        .expect(401);
      const unknownEmail = await testApp.http
        .post('/api/v1/auth/login')
        .send({ email: 'nobody@nowhere.test', password: TEST_PASSWORD })
        .expect(401);
      expect(wrongPassword.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'E-mail or password is wrong',
        code: 'INVALID_CREDENTIALS',
      });
      expect(unknownEmail.body).toEqual(wrongPassword.body);
    });

    it('locks this address out of the account for 10 minutes after 5 wrong passwords, refusing even the right one with 423', async () => {
      const user = await newFacilitator();
      for (let attempt = 1; attempt <= 5; attempt++) {
        await testApp.http
          .post('/api/v1/auth/login')
          .send({ email: user.email, password: `wrong ${attempt}` })
          .expect(401);
      }
      const locked = await testApp.http.post('/api/v1/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(423);
      expect(locked.body).toMatchObject({ statusCode: 423, error: 'Locked', code: 'ACCOUNT_LOCKED' });
      const minutes = (Date.parse(locked.body.details.lockedUntil) - Date.now()) / 60_000;
      expect(minutes).toBeGreaterThan(9.5);
      expect(minutes).toBeLessThanOrEqual(10);
    });

    it('does not lock an account after 4 wrong passwords', async () => {
      const user = await newFacilitator();
      for (let attempt = 1; attempt <= 4; attempt++) {
        await testApp.http
          .post('/api/v1/auth/login')
          .send({ email: user.email, password: `wrong ${attempt}` })
          .expect(401);
      }
      await testApp.http.post('/api/v1/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
    });

    it('answers 400 with field messages for a malformed login body', async () => {
      const response = await testApp.http
        .post('/api/v1/auth/login')
        .send({ email: 'not-an-email', password: 12345, remember: true })
        .expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
      expect(response.body.fields).toEqual({
        email: ['email must be an e-mail address'],
        password: expect.arrayContaining(['password must be a string']),
        remember: ['remember is not an allowed field'],
      });
    });
  });

  describe('GET /api/v1/auth/me', () => {
    it('names the signed-in user', async () => {
      const user = await newFacilitator();
      const token = await signIn(testApp, user.email);
      const response = await testApp.http.get('/api/v1/auth/me').set(bearer(token)).expect(200);
      expect(response.body).toEqual({
        id: user.id,
        email: user.email,
        name: user.name,
        role: 'facilitator',
        agencyId: programId,
      });
    });

    it('answers 401 without a token', async () => {
      const response = await testApp.http.get('/api/v1/auth/me').expect(401);
      expect(response.body.code).toBe('SIGN_IN_REQUIRED');
    });
  });

  describe('token verification', () => {
    let user: User;
    let goodToken: string;

    beforeAll(async () => {
      user = await newFacilitator();
      goodToken = await signIn(testApp, user.email);
    });

    async function expectRefused(token: string): Promise<void> {
      const response = await testApp.http.get('/api/v1/auth/me').set(bearer(token)).expect(401);
      expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'INVALID_TOKEN' });
    }

    it('accepts a token the test signs itself with HS256 and the app secret (the control for the cases below)', async () => {
      const token = jwt.sign(await claimsOf(user), testApp.config.jwtSecret, { algorithm: 'HS256', expiresIn: 300 });
      const response = await testApp.http.get('/api/v1/auth/me').set(bearer(token)).expect(200);
      expect(response.body.id).toBe(user.id);
    });

    it('refuses a token whose payload was altered after signing', async () => {
      const [header, payload, signature] = goodToken.split('.');
      const middle = Math.floor(payload.length / 2);
      const flipped = payload[middle] === 'A' ? 'B' : 'A';
      await expectRefused(`${header}.${payload.slice(0, middle)}${flipped}${payload.slice(middle + 1)}.${signature}`);

      const escalated = { ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), role: 'admin' };
      await expectRefused(`${header}.${base64url(JSON.stringify(escalated))}.${signature}`);
    });

    it('refuses an unsigned token with alg none', async () => {
      const claims = { ...(await claimsOf(user)), exp: Math.floor(Date.now() / 1000) + 300 };
      await expectRefused(handMadeToken({ alg: 'none', typ: 'JWT' }, claims, () => ''));
    });

    it.each(['HS384', 'HS512'] as const)('refuses a token signed %s with the right secret (only HS256 is accepted)', async (algorithm) => {
      await expectRefused(jwt.sign(await claimsOf(user), testApp.config.jwtSecret, { algorithm, expiresIn: 300 }));
    });

    it('refuses a token that claims RS256 but is an HMAC made with the right secret', async () => {
      const claims = { ...(await claimsOf(user)), exp: Math.floor(Date.now() / 1000) + 300 };
      const token = handMadeToken({ alg: 'RS256', typ: 'JWT' }, claims, (input) =>
        createHmac('sha256', testApp.config.jwtSecret).update(input).digest('base64url'),
      );
      await expectRefused(token);
    });

    it('refuses a genuine RS256 token', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      await expectRefused(jwt.sign(await claimsOf(user), privateKey, { algorithm: 'RS256', expiresIn: 300 }));
    });

    it('refuses an expired token signed with the app secret', async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = jwt.sign({ ...(await claimsOf(user)), iat: now - 3600, exp: now - 60 }, testApp.config.jwtSecret, {
        algorithm: 'HS256',
      });
      await expectRefused(token);
    });

    it('refuses a token signed with another secret', async () => {
      await expectRefused(jwt.sign(await claimsOf(user), 'x'.repeat(48), { algorithm: 'HS256', expiresIn: 300 }));
    });
  });

  describe('ending sessions', () => {
    it('logout answers 204, the token stops working, and the same user signed in elsewhere stays signed in', async () => {
      const user = await newFacilitator();
      const token = await signIn(testApp, user.email);
      const otherDevice = await signIn(testApp, user.email);
      await testApp.http.get('/api/v1/auth/me').set(bearer(token)).expect(200);

      await testApp.http.post('/api/v1/auth/logout').set(bearer(token)).expect(204);

      const refused = await testApp.http.get('/api/v1/auth/me').set(bearer(token)).expect(401);
      expect(refused.body.code).toBe('INVALID_TOKEN');
      await testApp.http.get('/api/v1/auth/me').set(bearer(otherDevice)).expect(200);
      const [row] = await testApp.dataSource.query(`SELECT end_reason FROM auth_sessions WHERE id = $1`, [sessionIdOf(token)]);
      expect(row.end_reason).toBe('logout');
      const fresh = await signIn(testApp, user.email);
      await testApp.http.get('/api/v1/auth/me').set(bearer(fresh)).expect(200);
    });

    it('refuses a token after 30 minutes without a request, though its signature and expiry are still good', async () => {
      const user = await newFacilitator();
      const token = await signIn(testApp, user.email);
      await ageSession(token, 'last_seen_at', 29);
      await testApp.http.get('/api/v1/auth/me').set(bearer(token)).expect(200);
      // That request counted as activity: the session is fresh again.
      const [seen] = await testApp.dataSource.query(
        `SELECT now() - last_seen_at < interval '1 minute' AS fresh FROM auth_sessions WHERE id = $1`,
        [sessionIdOf(token)],
      );
      expect(seen.fresh).toBe(true);

      await ageSession(token, 'last_seen_at', 31);
      const idle = await testApp.http.get('/api/v1/auth/me').set(bearer(token)).expect(401);
      expect(idle.body.code).toBe('SESSION_IDLE');
      // Ended for good: activity now does not bring it back.
      await ageSession(token, 'last_seen_at', 0);
      expect((await testApp.http.get('/api/v1/auth/me').set(bearer(token)).expect(401)).body.code).toBe('INVALID_TOKEN');
    });

    it('ends a session 12 hours after sign-in however active it was', async () => {
      const user = await newFacilitator();
      const token = await signIn(testApp, user.email);
      await ageSession(token, 'started_at', 11 * 60 + 59);
      await testApp.http.get('/api/v1/auth/me').set(bearer(token)).expect(200);
      await ageSession(token, 'started_at', 12 * 60 + 1);
      expect((await testApp.http.get('/api/v1/auth/me').set(bearer(token)).expect(401)).body.code).toBe('SESSION_EXPIRED');
      const [row] = await testApp.dataSource.query(`SELECT end_reason FROM auth_sessions WHERE id = $1`, [sessionIdOf(token)]);
      expect(row.end_reason).toBe('max_age');
    });

    it('never issues a bearer token that outlives the 12-hour limit', async () => {
      const user = await newFacilitator();
      const response = await testApp.http.post('/api/v1/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
      const { iat, exp } = jwt.decode(response.body.accessToken) as { iat: number; exp: number };
      expect(exp - iat).toBeLessThanOrEqual(12 * 60 * 60);
      expect(response.body.expiresIn).toBe(exp - iat);
    });

    it('refuses a well-signed token that names no server-side session', async () => {
      const user = await newFacilitator();
      const { sid: _sid, ...claims } = await claimsOf(user);
      const token = jwt.sign(claims, testApp.config.jwtSecret, { algorithm: 'HS256', expiresIn: 300 });
      expect((await testApp.http.get('/api/v1/auth/me').set(bearer(token)).expect(401)).body.code).toBe('INVALID_TOKEN');
      const made = jwt.sign({ ...claims, sid: '6f1c1c36-0000-4000-8000-000000000000' }, testApp.config.jwtSecret, {
        algorithm: 'HS256',
        expiresIn: 300,
      });
      expect((await testApp.http.get('/api/v1/auth/me').set(bearer(made)).expect(401)).body.code).toBe('INVALID_TOKEN');
    });

    it('deactivating a user ends all of his sessions at once', async () => {
      const user = await newFacilitator();
      const token = await signIn(testApp, user.email);
      const admin = await createUser(testApp.dataSource, Role.Admin, programId);
      const adminToken = await signIn(testApp, admin.email);
      await testApp.http.patch(`/api/v1/users/${user.id}`).set(bearer(adminToken)).send({ active: false }).expect(200);
      await testApp.http.get('/api/v1/auth/me').set(bearer(token)).expect(401);
      const [row] = await testApp.dataSource.query(`SELECT end_reason FROM auth_sessions WHERE id = $1`, [sessionIdOf(token)]);
      expect(row.end_reason).toBe('deactivated');
    });

    it('a password change invalidates earlier tokens and returns a new working one', async () => {
      const user = await newFacilitator();
      const first = await signIn(testApp, user.email);
      const second = await signIn(testApp, user.email);
      const newPassword = 'a brand new long passphrase';

      const changed = await testApp.http
        .post('/api/v1/auth/password')
        .set(bearer(first))
        .send({ currentPassword: TEST_PASSWORD, newPassword })
        .expect(200);
      expect(changed.body.user).toMatchObject({ id: user.id, role: 'facilitator', agencyId: programId });

      await testApp.http.get('/api/v1/auth/me').set(bearer(first)).expect(401);
      await testApp.http.get('/api/v1/auth/me').set(bearer(second)).expect(401);
      const me = await testApp.http.get('/api/v1/auth/me').set(bearer(changed.body.accessToken)).expect(200);
      expect(me.body.id).toBe(user.id);

      await testApp.http.post('/api/v1/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(401);
      await testApp.http.post('/api/v1/auth/login').send({ email: user.email, password: newPassword }).expect(200);
    });

    it('refuses a password change with the wrong current password and keeps the token valid', async () => {
      const user = await newFacilitator();
      const token = await signIn(testApp, user.email);
      const response = await testApp.http
        .post('/api/v1/auth/password')
        .set(bearer(token))
        .send({ currentPassword: 'not my password', newPassword: 'a brand new long passphrase' })
        .expect(422);
      expect(response.body.code).toBe('WRONG_PASSWORD');
      await testApp.http.get('/api/v1/auth/me').set(bearer(token)).expect(200);
    });
  });
});

describe('login rate limit', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => testApp.close());

  it('answers 429 to the 4th login within a minute, even with the right password', async () => {
    const program = await createAgency(testApp.dataSource, AgencyKind.Program);
    const user = await createUser(testApp.dataSource, Role.Admin, program.id);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await testApp.http.post('/api/v1/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
    }
    const limited = await testApp.http.post('/api/v1/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
  });

  it('counts per address across API processes: two storages sharing Redis keep one count', async () => {
    // Each API process builds its own storage; two instances stand in for two processes.
    const prefix = `${testApp.config.queuePrefix}-shared`;
    const first = new RedisThrottlerStorage(TEST_REDIS_URL, prefix);
    const second = new RedisThrottlerStorage(TEST_REDIS_URL, prefix);
    try {
      await waitFor(async () => (await first.increment('warm-up', 60_000, 100, 60_000, 'login')).totalHits > 0);
      const hits = [];
      for (const storage of [first, second, first, second])
        hits.push(await storage.increment('::ffff:10.0.0.7', 60_000, 3, 60_000, 'login'));
      expect(hits.map((hit) => hit.totalHits)).toEqual([1, 2, 3, 4]);
      expect(hits.map((hit) => hit.isBlocked)).toEqual([false, false, false, true]);
      expect(hits[3].timeToBlockExpire).toBeGreaterThan(50);
      // Another address has its own count.
      expect((await second.increment('::ffff:10.0.0.8', 60_000, 3, 60_000, 'login')).totalHits).toBe(1);
    } finally {
      first.onModuleDestroy();
      second.onModuleDestroy();
      const keys = await withRedis((redis) => redis.keys(`${prefix}:*`));
      if (keys.length) await withRedis((redis) => redis.del(...keys));
    }
  });

  it('falls back to counting in memory when Redis is away, rather than refusing every sign-in', async () => {
    const storage = new RedisThrottlerStorage('redis://127.0.0.1:1', 'nowhere');
    try {
      const hits = [];
      for (let attempt = 0; attempt < 3; attempt++) hits.push(await storage.increment('::1', 60_000, 2, 60_000, 'login'));
      expect(hits.map((hit) => hit.isBlocked)).toEqual([false, false, true]);
    } finally {
      storage.onModuleDestroy();
    }
  });
});

async function withRedis<T>(work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

describe('request logging', () => {
  let testApp: TestApp;
  const stdoutLines: string[] = [];
  let stdoutSpy: jest.SpyInstance;

  beforeAll(async () => {
    // The app's own info-level output goes to stdout: capture it instead of printing it.
    stdoutSpy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdoutLines.push(chunk.toString());
      return true;
    });
    testApp = await startTestApp({ env: { LOG_LEVEL: 'info' } });
  });
  afterAll(async () => {
    await testApp.close();
    stdoutSpy.mockRestore();
  });

  it('logs each request with its X-Request-Id but never the password or the token', async () => {
    const program = await createAgency(testApp.dataSource, AgencyKind.Program);
    const user = await createUser(testApp.dataSource, Role.Admin, program.id);

    const login = await testApp.http.post('/api/v1/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
    const token: string = login.body.accessToken;
    const me = await testApp.http.get('/api/v1/auth/me?verbose=1').set(bearer(token)).expect(200);
    const loginRequestId = login.headers['x-request-id'];
    const meRequestId = me.headers['x-request-id'];
    expect(loginRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(meRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(meRequestId).not.toBe(loginRequestId);

    // pino writes the completion line as the response finishes; give it a tick.
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const [name, output] of [
      ['captured log stream', testApp.logs.join('')],
      ['stdout at LOG_LEVEL=info', stdoutLines.join('')],
    ] as const) {
      expect({ name, hasLoginId: output.includes(loginRequestId), hasMeId: output.includes(meRequestId) }).toEqual({
        name,
        hasLoginId: true,
        hasMeId: true,
      });
      expect({ name, leaksPassword: output.includes(TEST_PASSWORD) }).toEqual({ name, leaksPassword: false });
      expect({ name, leaksToken: output.includes(token) || output.includes(token.split('.')[2]) }).toEqual({
        name,
        leaksToken: false,
      });
    }
  });
});
