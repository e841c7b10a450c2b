import { performance } from 'node:perf_hooks';
import { Response } from 'supertest';
import { Role } from '../../src/common/auth/role.enum';
import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { bearer, createAgency, createUser, signIn, Staff, TEST_PASSWORD } from '../helpers/fixtures';
import { Reference, startProgramApp } from '../helpers/domain';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { buildFixtures, Fixtures } from './route-calls';
import { pageSession, referralWithNotices, waitUntilRendered } from './security-fixtures';

/**
 * The findings of the independent attack on the running system (issue 13), one test each, named
 * after the finding. Callers are told apart by X-Forwarded-For, which the main app trusts from
 * loopback only because this suite sets TRUST_PROXY=loopback (a second app keeps the default).
 */

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('hardening findings (issue 13)', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let fx: Fixtures;
  let clientCounter = 0;
  /** A fresh client address per test, so one test's sign-in failures never count in another. */
  const nextClient = () => `203.0.113.${(clientCounter += 1)}`;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp({ env: { TRUST_PROXY: 'loopback' } }));
    fx = await buildFixtures(testApp, staff, reference);
  });
  afterAll(() => testApp.close());

  const login = (email: string, password: string, client: string) =>
    testApp.http.post('/api/v1/auth/login').set('X-Forwarded-For', client).send({ email, password });

  async function newFacilitator() {
    return createUser(testApp.dataSource, Role.Facilitator, staff.program.id);
  }

  describe('1. lockout as a weapon and an oracle', () => {
    it('lockout oracle: an unknown address gets the same answers, in the same time, as an existing one', async () => {
      const user = await newFacilitator();
      const unknown = `nobody.${Date.now()}@staff.test`;
      const client = nextClient();
      const answers: Record<'existing' | 'unknown', Array<{ status: number; body: unknown; ms: number }>> = { existing: [], unknown: [] };
      for (let attempt = 1; attempt <= 8; attempt++) {
        for (const [who, email] of [
          ['existing', user.email],
          ['unknown', unknown],
        ] as const) {
          const started = performance.now();
          const response = await login(email, `wrong ${attempt}`, client);
          answers[who].push({ status: response.status, body: stripTimes(response.body), ms: performance.now() - started });
        }
      }
      expect(answers.existing.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401, 423, 423, 423]);
      expect(answers.unknown.map((answer) => answer.status)).toEqual(answers.existing.map((answer) => answer.status));
      expect(answers.unknown.map((answer) => answer.body)).toEqual(answers.existing.map((answer) => answer.body));
      const timing = (who: 'existing' | 'unknown', status: number) =>
        median(answers[who].filter((answer) => answer.status === status).map((answer) => answer.ms));
      const figures = {
        wrong: { existing: timing('existing', 401), unknown: timing('unknown', 401) },
        locked: { existing: timing('existing', 423), unknown: timing('unknown', 423) },
      };
      process.stdout.write(`lockout timing (median ms): ${JSON.stringify(figures)}\n`);
      // Each kind of answer does the same work for both kinds of address: no gap an attacker could read.
      for (const pair of Object.values(figures))
        expect(Math.abs(pair.existing - pair.unknown)).toBeLessThan(Math.max(150, 0.6 * Math.max(pair.existing, pair.unknown)));
    });

    it('lockout as a weapon: five wrong passwords from one address lock that address out for 10 minutes, not the user signing in from another', async () => {
      const user = await newFacilitator();
      const attacker = nextClient();
      for (let attempt = 1; attempt <= 5; attempt++) expect((await login(user.email, `guess ${attempt}`, attacker)).status).toBe(401);
      const locked = await login(user.email, TEST_PASSWORD, attacker);
      expect(locked.status).toBe(423);
      expect(locked.body).toMatchObject({ statusCode: 423, code: 'ACCOUNT_LOCKED' });
      const minutesLeft = (Date.parse(locked.body.details.lockedUntil) - Date.now()) / 60_000;
      expect(minutesLeft).toBeGreaterThan(9.5);
      expect(minutesLeft).toBeLessThanOrEqual(10);
      // The man himself, at his own desk, still signs in.
      expect((await login(user.email, TEST_PASSWORD, nextClient())).status).toBe(200);
      // Going on from the locked address does not move the lock forward.
      await login(user.email, 'guess 6', attacker).expect(423);
      const again = await login(user.email, 'guess 7', attacker);
      expect(Date.parse(again.body.details.lockedUntil)).toBe(Date.parse(locked.body.details.lockedUntil));
    });

    it('admin unlock: POST /api/v1/users/{id}/unlock clears every lock on the account and is audited', async () => {
      const user = await newFacilitator();
      const clients = [nextClient(), nextClient()];
      for (const client of clients)
        for (let attempt = 1; attempt <= 5; attempt++) await login(user.email, `guess ${attempt}`, client).expect(401);
      for (const client of clients) await login(user.email, TEST_PASSWORD, client).expect(423);

      await testApp.http.post(`/api/v1/users/${user.id}/unlock`).set(bearer(staff.tokens.facilitator)).expect(403);
      await testApp.http.post(`/api/v1/users/${user.id}/unlock`).set(bearer(staff.tokens.admin)).expect(204);
      for (const client of clients) await login(user.email, TEST_PASSWORD, client).expect(200);
      const [entry] = await testApp.dataSource.query(
        `SELECT actor_user_id, actor_role, details FROM audit_entries WHERE action = 'user.unlock' AND record_id = $1`,
        [user.id],
      );
      expect(entry).toMatchObject({ actor_user_id: staff.users.admin.id, actor_role: 'admin' });
      await testApp.http.post(`/api/v1/users/00000000-0000-4000-8000-000000000000/unlock`).set(bearer(staff.tokens.admin)).expect(404);
    });

    it('lockout on the sign-in page: the same per-address lock, and the same answer for an unknown address', async () => {
      const user = await newFacilitator();
      const client = nextClient();
      const post = async (email: string, password: string) => {
        const form = await testApp.http.get('/login').expect(200);
        const nonce = (form.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
        const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
        return testApp.http
          .post('/login')
          .set('X-Forwarded-For', client)
          .set('Cookie', nonce)
          .type('form')
          .send({ _csrf: csrf, email, password });
      };
      const statuses: number[][] = [[], []];
      for (let attempt = 1; attempt <= 6; attempt++) {
        statuses[0].push((await post(user.email, 'wrong')).status);
        statuses[1].push((await post(`ghost.${client}@staff.test`, 'wrong')).status);
      }
      expect(statuses[0]).toEqual([401, 401, 401, 401, 401, 423]);
      expect(statuses[1]).toEqual(statuses[0]);
    });
  });

  describe('2. oversized error answers', () => {
    const manyKeys = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, 1]));

    it('oversized error answers: 8,500 unknown keys to the lookup, a facilitator’s attendance PUT and the login answer a short 400', async () => {
      const body = manyKeys(8_500);
      const targets: Array<[string, () => Promise<Response>]> = [
        ['lookup', () => testApp.http.post('/api/v1/referrals/lookup').set(bearer(staff.tokens.admin)).send(body)],
        [
          'attendance',
          () => testApp.http.put(`/api/v1/sessions/${fx.attendedA}/attendance`).set(bearer(staff.tokens.facilitator)).send(body),
        ],
        ['login', () => testApp.http.post('/api/v1/auth/login').set('X-Forwarded-For', nextClient()).send(body)],
      ];
      const figures: Record<string, { bytes: number; ms: number }> = {};
      for (const [what, send] of targets) {
        const started = performance.now();
        const response = await send();
        figures[what] = { bytes: response.text.length, ms: Math.round(performance.now() - started) };
        expect({ what, status: response.status }).toEqual({ what, status: 400 });
        expect(response.body.code).toBe('VALIDATION_FAILED');
        expect(response.text.length).toBeLessThan(2_000);
        expect(JSON.stringify(response.body)).toMatch(/8500 fields/);
      }
      process.stdout.write(`oversized error answers (8,500 keys): ${JSON.stringify(figures)}\n`);
    });

    it('oversized error answers: unknown fields under the key cap are listed first 20, then "and N more"', async () => {
      const response = await testApp.http
        .post('/api/v1/referrals/lookup')
        .set(bearer(staff.tokens.admin))
        .send({ caseNumber: fx.own.caseNumber, ...manyKeys(300) })
        .expect(400);
      expect(Object.keys(response.body.fields)).toHaveLength(20);
      expect(response.body.message).toHaveLength(21);
      expect(response.body.message[20]).toBe('and 280 more fields are not allowed');
      expect(response.text.length).toBeLessThan(3_000);
    });

    it('oversized error answers: a body nested deeper than 8 levels is refused before validation', async () => {
      let nested: Record<string, unknown> = { leaf: 1 };
      for (let level = 0; level < 40; level++) nested = { a: nested };
      const response = await testApp.http
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', nextClient())
        .send({ email: 'a@b.example', password: 'x', deep: nested })
        .expect(400);
      expect(response.body.fields).toEqual({ body: ['body is nested deeper than 8 levels'] });
    });
  });

  describe('3. X-Forwarded-For and the trusted proxy', () => {
    it('X-Forwarded-For is believed when TRUST_PROXY names the proxy (here loopback)', async () => {
      await login('nobody.trusted@staff.test', 'wrong password', '192.0.2.77').expect(401);
      const [trusted] = await testApp.dataSource.query(
        `SELECT ip_address FROM audit_entries WHERE action = 'auth.login_failed' ORDER BY id DESC LIMIT 1`,
      );
      expect(trusted.ip_address).toBe('192.0.2.77');
    });
  });

  describe('5. password change', () => {
    it('password change lets a stolen token guess the password without limit: the sixth wrong currentPassword is locked like a sign-in', async () => {
      const user = await newFacilitator();
      const client = nextClient();
      const token = await signIn(testApp, user.email);
      const change = (currentPassword: string) =>
        testApp.http
          .post('/api/v1/auth/password')
          .set(bearer(token))
          .set('X-Forwarded-For', client)
          .send({ currentPassword, newPassword: 'a brand new passphrase' });
      for (let attempt = 1; attempt <= 5; attempt++) expect((await change(`guess ${attempt}`)).status).toBe(422);
      const locked = await change(TEST_PASSWORD);
      expect(locked.status).toBe(423);
      expect(locked.body.code).toBe('ACCOUNT_LOCKED');
      // The same count as sign-in: that address cannot sign in either, another still can.
      await login(user.email, TEST_PASSWORD, client).expect(423);
      await login(user.email, TEST_PASSWORD, nextClient()).expect(200);
    });
  });

  describe('6. plain-text e-mails', () => {
    it('plain-text e-mails are not HTML-escaped: O’Brien <b> arrives as typed in text/plain, escaped in the HTML part', async () => {
      const { notices } = await referralWithNotices(testApp, staff, {
        policyId: reference.duluthPolicy.id,
        firstName: 'Sean <b>',
        lastName: "O'Brien",
        orderedOn: '2026-11-10',
        groupId: fx.groupA,
        sessionId: fx.pastA,
        startDate: '2026-11-16',
      });
      await waitUntilRendered(
        testApp,
        notices.map((notice) => notice.id),
      );
      const mail = await waitFor(() => testApp.smtp.received.find((received) => received.raw.includes(notices[0].id)), {
        what: 'the notice e-mail',
        timeoutMs: 30_000,
      });
      const text = mimePart(mail.raw, 'text/plain');
      const html = mimePart(mail.raw, 'text/html');
      expect(text).toContain("Sean <b> O'Brien");
      expect(text).not.toMatch(/&lt;|&#x27;|&amp;/);
      expect(html).toContain('Sean &lt;b&gt; O&#x27;Brien');
      expect(html).not.toContain('Sean <b>');
    });
  });

  describe('7. what SECURITY.md claims', () => {
    it('page-session tokens are refused by the API: the page cookie’s token is no bearer token', async () => {
      const cookie = await pageSession(testApp, staff.users.probation_officer.email);
      const token = cookie.split('=')[1];
      const me = await testApp.http.get('/api/v1/auth/me').set(bearer(token));
      expect(me.status).toBe(401);
      expect(me.body.code).toBe('INVALID_TOKEN');
      // The other way round too: an API token in the cookie opens no page.
      const page = await testApp.http.get('/caseload').set('Cookie', `tl_session=${staff.tokens.probation_officer}`);
      expect(page.status).toBe(303);
      // And the cookie itself still works where it belongs.
      await testApp.http.get('/caseload').set('Cookie', cookie).expect(200);
    });

    it('queue dashboard read-only by default: pause, resume and add are refused even from its own origin', async () => {
      const cookie = await pageSession(testApp, staff.users.admin.email);
      for (const [method, path] of [
        ['put', '/admin/queues/api/queues/maintenance/pause'],
        ['put', '/admin/queues/api/queues/pause'],
        ['post', '/admin/queues/api/queues/maintenance/add'],
      ] as const) {
        const response = await testApp.http[method](path)
          .set('Cookie', cookie)
          .set('Host', '127.0.0.1')
          .set('Origin', 'http://127.0.0.1')
          .send({ name: 'x', data: {} });
        expect({ path, status: response.status }).toEqual({ path, status: 405 });
        const evil = await testApp.http[method](path)
          .set(bearer(staff.tokens.admin))
          .set('Origin', 'http://evil.example')
          .send({ name: 'x', data: {} });
        expect({ path, status: evil.status }).toEqual({ path, status: 405 });
      }
      const board = await testApp.http.get('/admin/queues/api/queues').set('Cookie', cookie).expect(200);
      expect(board.body.queues.map((queue: { isPaused: boolean }) => queue.isPaused)).toEqual([false, false]);
    });

    it('audit details name fields and ids: no case number, e-mail address, free-text note or SMTP answer lands in the append-only table', async () => {
      const caseNumber = fx.own.caseNumber;
      const note = 'Left early: said his shift at the mill moved';
      const reason = 'Facility closed for a water main break';
      const email = `renamed.${Date.now()}@staff.test`;
      const user = await newFacilitator();
      await testApp.http.patch(`/api/v1/users/${user.id}`).set(bearer(staff.tokens.admin)).send({ email }).expect(200);
      const created = await testApp.http
        .post('/api/v1/users')
        .set(bearer(staff.tokens.admin))
        .send({ email: `new.${email}`, name: 'New Facilitator', role: 'facilitator', agencyId: staff.program.id, password: TEST_PASSWORD })
        .expect(201);
      const agency = await testApp.http
        .post('/api/v1/agencies')
        .set(bearer(staff.tokens.admin))
        .send({ name: 'Lake County Court', kind: 'court', noticeEmail: `court.${email}` })
        .expect(201);
      await testApp.http
        .patch(`/api/v1/agencies/${agency.body.id}`)
        .set(bearer(staff.tokens.admin))
        .send({ noticeEmail: `clerk.${email}` })
        .expect(200);
      await testApp.http.post('/api/v1/referrals/lookup').set(bearer(staff.tokens.admin)).send({ caseNumber }).expect(200);
      await testApp.http
        .get(`/api/v1/referrals?caseNumber=${encodeURIComponent(caseNumber)}`)
        .set(bearer(staff.tokens.admin))
        .expect(200);
      await testApp.http
        .put(`/api/v1/sessions/${fx.attendedA}/attendance`)
        .set(bearer(staff.tokens.facilitator))
        .send({ marks: [{ enrollmentId: fx.own.enrollmentId, status: 'present', note }] })
        .expect(200);
      await testApp.http
        .post(`/api/v1/sessions/${String(fx.futureA[Role.Admin])}/cancel`)
        .set(bearer(staff.tokens.admin))
        .send({ reason });
      await testApp.http.post(`/api/v1/referrals/${fx.toTerminate}/terminate`).set(bearer(staff.tokens.admin)).send({ reason });
      await testApp.http.post(`/api/v1/notices/${fx.deadNotice}/retry`).set(bearer(staff.tokens.admin));

      const [{ details }] = await testApp.dataSource.query(
        `SELECT string_agg(details::text, ' ') AS details FROM audit_entries WHERE details IS NOT NULL`,
      );
      const lastResponses: Array<{ last_response: string | null }> = await testApp.dataSource.query(
        `SELECT last_response FROM notices WHERE last_response IS NOT NULL`,
      );
      const forbidden = [
        caseNumber,
        fx.other.caseNumber,
        email,
        created.body.email,
        `court.${email}`,
        `clerk.${email}`,
        note,
        reason,
        'Sent out for threats',
        ...lastResponses.map((row) => row.last_response!),
      ];
      expect(forbidden.filter((value) => (details as string).toLowerCase().includes(value.toLowerCase()))).toEqual([]);
      // The entries still say what changed, by field name.
      const [update] = await testApp.dataSource.query(`SELECT details FROM audit_entries WHERE action = 'user.update' AND record_id = $1`, [
        user.id,
      ]);
      expect(update.details).toEqual({ fields: ['email'] });
    });
  });
});

describe('hardening findings (issue 13), with the default TRUST_PROXY and QUEUE_DASHBOARD_WRITE=true', () => {
  let plain: TestApp;
  beforeAll(async () => {
    plain = await startTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '5', QUEUE_DASHBOARD_WRITE: 'true' } });
  });
  afterAll(() => plain.close());

  it('X-Forwarded-For chooses neither the rate-limit key nor the audited address unless TRUST_PROXY says so', async () => {
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt++) {
      const response = await plain.http
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', `198.51.100.${attempt}`)
        .send({ email: `nobody${attempt}@staff.test`, password: 'wrong password' });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const rows: Array<{ ip_address: string }> = await plain.dataSource.query(
      `SELECT DISTINCT ip_address FROM audit_entries WHERE action = 'auth.login_failed'`,
    );
    expect(rows.map((row) => row.ip_address)).toEqual([expect.stringMatching(/127\.0\.0\.1|::1/)]);
  });

  describe('7b. the queue dashboard in write mode (QUEUE_DASHBOARD_WRITE=true)', () => {
    it('queue dashboard writes: refused with another Origin or none, done from its own origin', async () => {
      const admin = await createUser(plain.dataSource, Role.Admin, (await createAgency(plain.dataSource, AgencyKind.Program)).id);
      const cookie = await pageSession(plain, admin.email);
      const host = '127.0.0.1';
      const pause = (origin?: string) => {
        const request = plain.http.put('/admin/queues/api/queues/maintenance/pause').set('Cookie', cookie).set('Host', host);
        return origin ? request.set('Origin', origin) : request;
      };
      expect((await pause('http://evil.example')).status).toBe(403);
      expect((await pause()).status).toBe(403);
      expect((await pause(`http://${host}`)).status).toBe(200);
      await plain.http
        .put('/admin/queues/api/queues/maintenance/resume')
        .set('Cookie', cookie)
        .set('Host', host)
        .set('Origin', `http://${host}`)
        .expect(200);
      // Reading needs no Origin, and shows the queue running again.
      const board = await plain.http.get('/admin/queues/api/queues').set('Cookie', cookie).expect(200);
      expect(board.body.queues.find((queue: { name: string }) => queue.name === 'maintenance').isPaused).toBe(false);
    });
  });
});

/** The lock's end time differs between two addresses locked a moment apart; the rest must not. */
function stripTimes(body: Record<string, unknown>): Record<string, unknown> {
  const { details, message, ...rest } = body;
  const { lockedUntil, ...otherDetails } = (details ?? {}) as Record<string, unknown>;
  return {
    ...rest,
    message: typeof message === 'string' ? message.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/, '<time>') : message,
    details: { ...otherDetails, lockedUntil: lockedUntil ? '<time>' : undefined },
  };
}

/** One part of a multipart mail, with quoted-printable undone. */
function mimePart(raw: string, type: string): string {
  const start = raw.search(new RegExp(`Content-Type: ${type}`, 'i'));
  if (start < 0) throw new Error(`no ${type} part`);
  const rest = raw.slice(start);
  const headerEnd = rest.search(/\r?\n\r?\n/);
  const headers = rest.slice(0, headerEnd);
  const body = rest
    .slice(headerEnd)
    .trimStart()
    .split(/\r?\n--/)[0];
  if (/quoted-printable/i.test(headers)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  if (/base64/i.test(headers)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}
