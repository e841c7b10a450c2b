import { Response } from 'supertest';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, Staff } from '../helpers/fixtures';
import { createReferral, Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { ACCESS_TABLE, RouteAccess } from '../security/access-table';
import { buildFixtures, Fixtures, OWN_MAN, POLICY_FIELDS, routeCalls } from '../security/route-calls';

/**
 * The access matrix of the spec: a role that may not use a route gets 403; a role that may,
 * asking for a record outside its scope, gets 404; inside its scope, 2xx.
 */

const ALL = [Role.Admin, Role.Facilitator, Role.ProbationOfficer, Role.CourtClerk, Role.Advocate];

/** What a role gets from the access table: 403 outside its role, 404 on a record outside its scope. */
function expectedStatus(access: RouteAccess, role: Role, scope: 'own' | 'other'): number {
  const status = access.allowed[role];
  if (status === undefined) return 403;
  return scope === 'other' && access.outOfScope?.includes(role) ? 404 : status;
}

interface Attempt {
  /** The route as the spec writes it, and which record it is aimed at. */
  route: string;
  actor: Role;
  status: number;
}

describe('access: who may call which route', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  /** The access sweep's records (test/security/route-calls.ts): "own" in the staff users' scope, "other" in nobody's of theirs. */
  let fx: Fixtures;
  let counter = 0;
  const unique = () => `${Date.now().toString(36)}${(counter += 1)}`;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    fx = await buildFixtures(testApp, staff, reference);
  });
  afterAll(() => testApp.close());

  const tokenOf = (role: Role) => staff.tokens[role];
  const http = () => testApp.http;

  async function statusOf(referralId: string): Promise<string> {
    const [{ status }] = await testApp.dataSource.query<Array<{ status: string }>>(`SELECT status FROM referrals WHERE id = $1`, [
      referralId,
    ]);
    return status;
  }

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const [{ n }] = await testApp.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM ${sql}`, params);
    return n;
  }

  /** Fails with the response body in view, so a wrong status says why. */
  function expectStatus(response: Response, status: number): void {
    expect({ status: response.status, body: response.body }).toMatchObject({ status });
  }

  /** The access sweep's own call of a route (test/security/route-calls.ts), made once the fixtures are there. */
  let sweepCalls: ReturnType<typeof routeCalls> | undefined;
  const calls = () => (sweepCalls ??= routeCalls(testApp, staff, reference, fx));

  /** A decision on an order: the allowed role's changes his status; a refused one leaves it as it was. */
  const decision =
    (action: string, referralId: () => string, decided: string, body?: object) =>
    async (_role: Role, token: string, expected: number): Promise<void> => {
      const before = await statusOf(referralId());
      const request = http().post(`/api/v1/referrals/${referralId()}/${action}`).set(bearer(token));
      const response = await (body === undefined ? request : request.send(body));
      expectStatus(response, expected);
      if (expected === 200) expect(response.body.status).toBe(decided);
      else expect(await statusOf(referralId())).toBe(before);
    };

  /**
   * Each route: the request (given the caller's role and token) and any check of what it did.
   * `expected` lets a mutation check that a refused call wrote nothing.
   */
  const ROUTES: Record<string, (role: Role, token: string, expected: number) => Promise<void>> = {
    'POST /api/v1/agencies': async (_role, token, expected) => {
      const name = `Access court ${unique()}`;
      expectStatus(
        await http().post('/api/v1/agencies').set(bearer(token)).send({ name, kind: 'court', noticeEmail: 'clerk@access.test' }),
        expected,
      );
      expect(await count(`agencies WHERE name = $1`, [name])).toBe(expected === 201 ? 1 : 0);
    },
    'GET /api/v1/agencies': async (_role, token, expected) => {
      const response = await http().get('/api/v1/agencies').set(bearer(token));
      expectStatus(response, expected);
      if (expected === 200) expect(response.body.total).toBeGreaterThanOrEqual(4);
    },
    'POST /api/v1/users': async (_role, token, expected) => {
      const email = `new.facilitator.${unique()}@program.test`;
      const response = await http()
        .post('/api/v1/users')
        .set(bearer(token))
        .send({ email, name: 'New Facilitator', role: 'facilitator', agencyId: staff.program.id, password: 'a long enough password' });
      expectStatus(response, expected);
      expect(await count(`users WHERE email = $1`, [email])).toBe(expected === 201 ? 1 : 0);
    },
    'GET /api/v1/users': async (_role, token, expected) => {
      const response = await http().get('/api/v1/users').set(bearer(token));
      expectStatus(response, expected);
      if (expected === 200) expect(response.body.total).toBeGreaterThanOrEqual(5);
    },
    'GET /api/v1/policies': async (_role, token, expected) => {
      const response = await http().get('/api/v1/policies').set(bearer(token));
      expectStatus(response, expected);
      if (expected === 200) expect(response.body.items.map((policy: { key: string }) => policy.key)).toContain('duluth-24');
    },
    'POST /api/v1/policies': async (_role, token, expected) => {
      const name = `Access policy ${unique()}`;
      const response = await http()
        .post('/api/v1/policies')
        .set(bearer(token))
        .send({ ...POLICY_FIELDS, name, requiredSessions: 24, completeWithinMonths: 9 });
      expectStatus(response, expected);
      expect(await count(`policies WHERE name = $1`, [name])).toBe(expected === 201 ? 1 : 0);
    },
    'GET /api/v1/curricula': async (_role, token, expected) => {
      const response = await http().get('/api/v1/curricula').set(bearer(token));
      expectStatus(response, expected);
      if (expected === 200) expect(response.body.items[0].unitCount).toBe(24);
    },
    'POST /api/v1/referrals': async (_role, token, expected) => {
      const caseNumber = `CR-26-NEW-${unique().toUpperCase()}`;
      const response = await http()
        .post('/api/v1/referrals')
        .set(bearer(token))
        .send({
          participant: { firstName: 'Ansel', lastName: `Newman${counter}`, dateOfBirth: '1979-06-02' },
          caseNumber,
          courtAgencyId: staff.court.id,
          probationOfficerId: staff.users.probation_officer.id,
          policyId: reference.duluthPolicy.id,
          orderedOn: '2026-11-20',
        });
      expectStatus(response, expected);
      expect(await count(`referrals WHERE case_number = $1`, [caseNumber])).toBe(expected === 201 ? 1 : 0);
    },
    'GET /api/v1/referrals': async (role, token, expected) => {
      // A court clerk looks a case up by number; browsing the list is refused (422).
      const query = role === Role.CourtClerk ? `?caseNumber=${fx.own.caseNumber}&limit=200` : '?limit=200';
      if (role === Role.CourtClerk) expectStatus(await http().get('/api/v1/referrals?limit=200').set(bearer(token)), 422);
      const response = await http().get(`/api/v1/referrals${query}`).set(bearer(token));
      expectStatus(response, expected);
      if (expected !== 200) return;
      const ids = response.body.items.map((referral: { id: string }) => referral.id);
      expect(ids).toContain(fx.own.referralId);
      if (role === Role.Admin) expect(ids).toContain(fx.other.referralId);
      else expect(ids).not.toContain(fx.other.referralId);
      expect(response.body.total).toBe(ids.length);
    },
    'GET /api/v1/referrals/:id of his own caseload or court': async (_role, token, expected) => {
      const response = await http().get(`/api/v1/referrals/${fx.own.referralId}`).set(bearer(token));
      expectStatus(response, expected);
      if (expected === 200)
        expect(response.body).toMatchObject({ id: fx.own.referralId, caseNumber: fx.own.caseNumber, compliance: { sessionsRequired: 24 } });
    },
    'GET /api/v1/referrals/:id of another officer and court': async (_role, token, expected) => {
      const response = await http().get(`/api/v1/referrals/${fx.other.referralId}`).set(bearer(token));
      expectStatus(response, expected);
      if (expected === 404) expect(response.body.code).toBe('REFERRAL_NOT_FOUND');
    },
    'GET /api/v1/referrals/:id/attendance of his own caseload': async (_role, token, expected) => {
      const response = await http().get(`/api/v1/referrals/${fx.own.referralId}/attendance`).set(bearer(token));
      expectStatus(response, expected);
      if (expected === 200)
        expect(response.body).toMatchObject({
          referralId: fx.own.referralId,
          enrollments: [expect.objectContaining({ id: fx.own.enrollmentId })],
        });
    },
    'GET /api/v1/referrals/:id/attendance of another officer': async (_role, token, expected) => {
      expectStatus(await http().get(`/api/v1/referrals/${fx.other.referralId}/attendance`).set(bearer(token)), expected);
    },
    'POST /api/v1/referrals/:id/complete': decision('complete', () => fx.toComplete, 'completed'),
    'POST /api/v1/referrals/:id/terminate': decision('terminate', () => fx.toTerminate, 'terminated', {
      reason: 'Three unexcused absences',
    }),
    'POST /api/v1/referrals/:id/close': decision('close', () => fx.toClose, 'closed', { reason: 'Order withdrawn by the court' }),
    'POST /api/v1/groups': async (role, token, expected) => {
      const { path, body } = calls()['POST /api/v1/groups'](role, 'own');
      expectStatus(await http().post(path).set(bearer(token)).send(body), expected);
      expect(await count(`groups WHERE name = $1`, [(body as { name: string }).name])).toBe(expected === 201 ? 1 : 0);
    },
    'GET /api/v1/groups': async (role, token, expected) => {
      const response = await http().get('/api/v1/groups?limit=200').set(bearer(token));
      expectStatus(response, expected);
      if (expected !== 200) return;
      const ids = response.body.items.map((group: { id: string }) => group.id);
      expect(ids).toContain(fx.groupA);
      if (role === Role.Admin) expect(ids).toContain(fx.groupB);
      else expect(ids).not.toContain(fx.groupB);
    },
    'GET /api/v1/groups/:id of his own group': async (_role, token, expected) => {
      const response = await http().get(`/api/v1/groups/${fx.groupA}`).set(bearer(token));
      expectStatus(response, expected);
      if (expected === 200) expect(response.body.id).toBe(fx.groupA);
    },
    "GET /api/v1/groups/:id of another facilitator's group": async (_role, token, expected) => {
      expectStatus(await http().get(`/api/v1/groups/${fx.groupB}`).set(bearer(token)), expected);
    },
    'GET /api/v1/groups/:id/sessions of his own group': async (_role, token, expected) => {
      const response = await http().get(`/api/v1/groups/${fx.groupA}/sessions?from=2026-11-24&to=2026-11-24`).set(bearer(token));
      expectStatus(response, expected);
      if (expected === 200) expect(response.body.items.map((session: { id: string }) => session.id)).toEqual([fx.pastA]);
    },
    "GET /api/v1/groups/:id/sessions of another facilitator's group": async (_role, token, expected) => {
      expectStatus(await http().get(`/api/v1/groups/${fx.groupB}/sessions`).set(bearer(token)), expected);
    },
    'POST /api/v1/groups/:id/sessions (one-off) in his own group': async (_role, token, expected) => {
      const before = await count(`sessions WHERE group_id = $1 AND kind = 'one_off'`, [fx.groupA]);
      const response = await http().post(`/api/v1/groups/${fx.groupA}/sessions`).set(bearer(token)).send({ date: '2026-11-21' });
      expectStatus(response, expected);
      if (expected === 201) expect(response.body).toMatchObject({ groupId: fx.groupA, kind: 'one_off', date: '2026-11-21' });
      expect(await count(`sessions WHERE group_id = $1 AND kind = 'one_off'`, [fx.groupA])).toBe(before + (expected === 201 ? 1 : 0));
    },
    "POST /api/v1/groups/:id/sessions (one-off) in another facilitator's group": async (_role, token, expected) => {
      const before = await count(`sessions WHERE group_id = $1`, [fx.groupB]);
      expectStatus(await http().post(`/api/v1/groups/${fx.groupB}/sessions`).set(bearer(token)).send({ date: '2026-11-21' }), expected);
      expect(await count(`sessions WHERE group_id = $1`, [fx.groupB])).toBe(before + (expected === 201 ? 1 : 0));
    },
    'POST /api/v1/enrollments': async (_role, token, expected) => {
      const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: '2026-11-15' });
      const response = await http()
        .post('/api/v1/enrollments')
        .set(bearer(token))
        .send({ referralId: referral.id, groupId: fx.groupA, startDate: '2026-11-30' });
      expectStatus(response, expected);
      expect(await count(`enrollments WHERE referral_id = $1`, [referral.id])).toBe(expected === 201 ? 1 : 0);
    },
    'GET /api/v1/sessions/:id/roster of his own group': async (_role, token, expected) => {
      const response = await http().get(`/api/v1/sessions/${fx.pastA}/roster`).set(bearer(token));
      expectStatus(response, expected);
      if (expected === 200) {
        expect(response.body.session.id).toBe(fx.pastA);
        expect(response.body.entries.map((entry: { enrollmentId: string }) => entry.enrollmentId)).toContain(fx.own.enrollmentId);
      }
    },
    "GET /api/v1/sessions/:id/roster of another facilitator's group": async (_role, token, expected) => {
      expectStatus(await http().get(`/api/v1/sessions/${fx.pastB}/roster`).set(bearer(token)), expected);
    },
    'PUT /api/v1/sessions/:id/attendance in his own group': async (_role, token, expected) => {
      const response = await http()
        .put(`/api/v1/sessions/${fx.pastA}/attendance`)
        .set(bearer(token))
        .send({ marks: [{ enrollmentId: fx.own.enrollmentId, status: 'present' }] });
      expectStatus(response, expected);
      if (expected === 200) {
        expect(
          response.body.entries.find((entry: { enrollmentId: string }) => entry.enrollmentId === fx.own.enrollmentId).mark.status,
        ).toBe('present');
      }
    },
    "PUT /api/v1/sessions/:id/attendance in another facilitator's group": async (_role, token, expected) => {
      const before = await count(`attendance_marks WHERE session_id = $1`, [fx.pastB]);
      const response = await http()
        .put(`/api/v1/sessions/${fx.pastB}/attendance`)
        .set(bearer(token))
        .send({ marks: [{ enrollmentId: fx.other.enrollmentId, status: 'absent_unexcused' }] });
      expectStatus(response, expected);
      expect(await count(`attendance_marks WHERE session_id = $1`, [fx.pastB])).toBe(before);
    },
    'POST /api/v1/sessions/:id/cancel in his own group': async (role, token, expected) => {
      // The admin and the facilitator each cancel a week of their own; a refused role is sent the admin's.
      const sessionId = fx.futureA[role] ?? fx.futureA[Role.Admin]!;
      const sessionStatus = async () =>
        (await testApp.dataSource.query<Array<{ status: string }>>(`SELECT status FROM sessions WHERE id = $1`, [sessionId]))[0].status;
      const before = await sessionStatus();
      const response = await http().post(`/api/v1/sessions/${sessionId}/cancel`).set(bearer(token)).send({ reason: 'Facilitator ill' });
      expectStatus(response, expected);
      expect(await sessionStatus()).toBe(expected === 200 ? 'cancelled' : before);
    },
    "POST /api/v1/sessions/:id/cancel in another facilitator's group": async (_role, token, expected) => {
      const sessionStatus = async () =>
        (await testApp.dataSource.query<Array<{ status: string }>>(`SELECT status FROM sessions WHERE id = $1`, [fx.futureB]))[0].status;
      const before = await sessionStatus();
      expectStatus(
        await http().post(`/api/v1/sessions/${fx.futureB}/cancel`).set(bearer(token)).send({ reason: 'Facilitator ill' }),
        expected,
      );
      expect(await sessionStatus()).toBe(before);
    },
  };

  /** Not applicable: an admin has no "other facilitator's group", every group is his. */
  const NA = 'not applicable';
  /**
   * Each request above: the route of the access table it calls, and whether the record is of the
   * caller's own scope or another's. Who may call it and what they get come from ACCESS_TABLE
   * (test/security/access-table.ts), the one table of who may do what.
   */
  const MATRIX: Array<[string, string, 'own' | 'other', typeof NA?]> = [
    ['POST /api/v1/agencies', 'POST /api/v1/agencies', 'own'],
    ['GET /api/v1/agencies', 'GET /api/v1/agencies', 'own'],
    ['POST /api/v1/users', 'POST /api/v1/users', 'own'],
    ['GET /api/v1/users', 'GET /api/v1/users', 'own'],
    ['GET /api/v1/policies', 'GET /api/v1/policies', 'own'],
    ['POST /api/v1/policies', 'POST /api/v1/policies', 'own'],
    ['GET /api/v1/curricula', 'GET /api/v1/curricula', 'own'],
    ['POST /api/v1/referrals', 'POST /api/v1/referrals', 'own'],
    ['GET /api/v1/referrals', 'GET /api/v1/referrals', 'own'],
    ['GET /api/v1/referrals/:id of his own caseload or court', 'GET /api/v1/referrals/{id}', 'own'],
    ['GET /api/v1/referrals/:id of another officer and court', 'GET /api/v1/referrals/{id}', 'other'],
    ['GET /api/v1/referrals/:id/attendance of his own caseload', 'GET /api/v1/referrals/{id}/attendance', 'own'],
    ['GET /api/v1/referrals/:id/attendance of another officer', 'GET /api/v1/referrals/{id}/attendance', 'other'],
    ['POST /api/v1/referrals/:id/complete', 'POST /api/v1/referrals/{id}/complete', 'own'],
    ['POST /api/v1/referrals/:id/terminate', 'POST /api/v1/referrals/{id}/terminate', 'own'],
    ['POST /api/v1/referrals/:id/close', 'POST /api/v1/referrals/{id}/close', 'own'],
    ['POST /api/v1/groups', 'POST /api/v1/groups', 'own'],
    ['GET /api/v1/groups', 'GET /api/v1/groups', 'own'],
    ['GET /api/v1/groups/:id of his own group', 'GET /api/v1/groups/{id}', 'own'],
    ["GET /api/v1/groups/:id of another facilitator's group", 'GET /api/v1/groups/{id}', 'other'],
    ['GET /api/v1/groups/:id/sessions of his own group', 'GET /api/v1/groups/{id}/sessions', 'own'],
    ["GET /api/v1/groups/:id/sessions of another facilitator's group", 'GET /api/v1/groups/{id}/sessions', 'other'],
    ['POST /api/v1/groups/:id/sessions (one-off) in his own group', 'POST /api/v1/groups/{id}/sessions', 'own'],
    ["POST /api/v1/groups/:id/sessions (one-off) in another facilitator's group", 'POST /api/v1/groups/{id}/sessions', 'other'],
    ['POST /api/v1/enrollments', 'POST /api/v1/enrollments', 'own'],
    ['GET /api/v1/sessions/:id/roster of his own group', 'GET /api/v1/sessions/{id}/roster', 'own'],
    ["GET /api/v1/sessions/:id/roster of another facilitator's group", 'GET /api/v1/sessions/{id}/roster', 'other'],
    ['PUT /api/v1/sessions/:id/attendance in his own group', 'PUT /api/v1/sessions/{id}/attendance', 'own'],
    ["PUT /api/v1/sessions/:id/attendance in another facilitator's group", 'PUT /api/v1/sessions/{id}/attendance', 'other', NA],
    ['POST /api/v1/sessions/:id/cancel in his own group', 'POST /api/v1/sessions/{id}/cancel', 'own'],
    ["POST /api/v1/sessions/:id/cancel in another facilitator's group", 'POST /api/v1/sessions/{id}/cancel', 'other', NA],
  ];
  const attempts: Attempt[] = MATRIX.flatMap(([route, tableRoute, scope, forAdmin]) =>
    ALL.flatMap((actor) =>
      actor === Role.Admin && forAdmin === NA ? [] : [{ route, actor, status: expectedStatus(ACCESS_TABLE[tableRoute], actor, scope) }],
    ),
  );

  it('covers every route of the matrix with a request', () => {
    expect(Object.keys(ROUTES).sort()).toEqual(MATRIX.map(([route]) => route).sort());
  });

  it.each(attempts)('$route: the $actor gets $status', async ({ route, actor, status }) => {
    await ROUTES[route](actor, tokenOf(actor), status);
  });

  describe('without a token', () => {
    /** Every route of the matrix, once. */
    const anonymous = [...new Set(MATRIX.map(([, tableRoute]) => tableRoute))].map((route) => route.split(' ') as [string, string]);
    it.each(anonymous)('%s %s answers 401', async (method, path) => {
      const url = path.replace(
        '{id}',
        path.startsWith('/api/v1/referrals') ? fx.own.referralId : path.startsWith('/api/v1/groups') ? fx.groupA : fx.pastA,
      );
      const agent = testApp.http as unknown as Record<string, (url: string) => import('supertest').Test>;
      const response = await agent[method.toLowerCase()](url).send({});
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('SIGN_IN_REQUIRED');
    });
  });

  describe('what each role sees', () => {
    it("shows a facilitator's roster with first name and last initial only: no last name, referral, case or date of birth", async () => {
      const response = await testApp.http.get(`/api/v1/sessions/${fx.pastA}/roster`).set(bearer(staff.tokens.facilitator)).expect(200);
      const entry = response.body.entries.find((candidate: { enrollmentId: string }) => candidate.enrollmentId === fx.own.enrollmentId);
      expect(entry).toMatchObject({ firstName: OWN_MAN.firstName, lastInitial: 'Q' });
      expect(entry).not.toHaveProperty('lastName');
      expect(entry).not.toHaveProperty('referralId');
      const json = JSON.stringify(response.body);
      for (const leak of [
        'lastName',
        'referralId',
        'caseNumber',
        'dateOfBirth',
        OWN_MAN.lastName,
        OWN_MAN.dateOfBirth,
        fx.own.caseNumber,
        OWN_MAN.email,
        OWN_MAN.phone,
        fx.own.referralId,
      ]) {
        expect(json).not.toContain(leak);
      }
    });

    it('answers a facilitator marking attendance with the same trimmed roster', async () => {
      const response = await testApp.http
        .put(`/api/v1/sessions/${fx.pastA}/attendance`)
        .set(bearer(staff.tokens.facilitator))
        .send({ marks: [{ enrollmentId: fx.own.enrollmentId, status: 'late' }] })
        .expect(200);
      const json = JSON.stringify(response.body);
      expect(json).toContain(OWN_MAN.firstName);
      for (const leak of [
        'lastName',
        'referralId',
        'caseNumber',
        'dateOfBirth',
        OWN_MAN.lastName,
        OWN_MAN.dateOfBirth,
        fx.own.caseNumber,
        fx.own.referralId,
      ]) {
        expect(json).not.toContain(leak);
      }
    });

    it("shows an admin the roster with the man's full name and referral", async () => {
      const response = await testApp.http.get(`/api/v1/sessions/${fx.pastA}/roster`).set(bearer(staff.tokens.admin)).expect(200);
      const entry = response.body.entries.find((candidate: { enrollmentId: string }) => candidate.enrollmentId === fx.own.enrollmentId);
      expect(entry).toMatchObject({
        firstName: OWN_MAN.firstName,
        lastName: OWN_MAN.lastName,
        lastInitial: 'Q',
        referralId: fx.own.referralId,
      });
    });

    it('shows a court clerk the case and its counts, but no date of birth, contact details or enrollments', async () => {
      const response = await testApp.http.get(`/api/v1/referrals/${fx.own.referralId}`).set(bearer(staff.tokens.court_clerk)).expect(200);
      expect(response.body).toMatchObject({
        id: fx.own.referralId,
        caseNumber: fx.own.caseNumber,
        status: await statusOf(fx.own.referralId),
        participant: { firstName: OWN_MAN.firstName, lastName: OWN_MAN.lastName },
        compliance: { sessionsRequired: 24 },
      });
      expect(response.body).not.toHaveProperty('enrollments');
      expect(response.body.participant).not.toHaveProperty('dateOfBirth');
      expect(response.body.participant).not.toHaveProperty('email');
      expect(response.body.participant).not.toHaveProperty('phone');
      const json = JSON.stringify(response.body);
      for (const leak of ['dateOfBirth', 'email', 'phone', 'enrollments', OWN_MAN.dateOfBirth, OWN_MAN.email, OWN_MAN.phone]) {
        expect(json).not.toContain(leak);
      }
    });

    it('shows a court clerk the same trimmed referral in a list by case number', async () => {
      const response = await testApp.http
        .get(`/api/v1/referrals?caseNumber=${fx.own.caseNumber}`)
        .set(bearer(staff.tokens.court_clerk))
        .expect(200);
      expect(response.body.total).toBe(1);
      expect(response.body.items[0].id).toBe(fx.own.referralId);
      const json = JSON.stringify(response.body);
      for (const leak of ['dateOfBirth', OWN_MAN.dateOfBirth, OWN_MAN.email, OWN_MAN.phone]) expect(json).not.toContain(leak);
    });

    it('shows the probation officer and the admin the date of birth, contact details and enrollments', async () => {
      for (const role of [Role.Admin, Role.ProbationOfficer]) {
        const response = await testApp.http.get(`/api/v1/referrals/${fx.own.referralId}`).set(bearer(staff.tokens[role])).expect(200);
        expect(response.body.participant).toMatchObject({ dateOfBirth: OWN_MAN.dateOfBirth, email: OWN_MAN.email, phone: OWN_MAN.phone });
        expect(response.body.enrollments).toEqual([expect.objectContaining({ id: fx.own.enrollmentId, groupId: fx.groupA })]);
      }
    });

    it.each([
      [Role.CourtClerk, 'another court'],
      [Role.ProbationOfficer, 'another officer'],
    ])('finds nothing for a %s who asks by the case number of %s', async (role) => {
      const response = await testApp.http
        .get(`/api/v1/referrals?caseNumber=${fx.other.caseNumber}`)
        .set(bearer(staff.tokens[role]))
        .expect(200);
      expect(response.body).toEqual({ items: [], total: 0 });
      const mine = await testApp.http.get(`/api/v1/referrals?caseNumber=${fx.own.caseNumber}`).set(bearer(staff.tokens[role])).expect(200);
      expect(mine.body.total).toBe(1);
    });

    it('finds the other court’s case for an admin, so the clerk’s empty answer is his scope, not a missing case', async () => {
      const response = await testApp.http
        .get(`/api/v1/referrals?caseNumber=${fx.other.caseNumber}`)
        .set(bearer(staff.tokens.admin))
        .expect(200);
      expect(response.body.total).toBe(1);
      expect(response.body.items[0].id).toBe(fx.other.referralId);
    });
  });

  describe('the audit log of reads', () => {
    const readsBy = (userId: string, action: string, recordId: string) =>
      count(`audit_entries WHERE actor_user_id = $1 AND action = $2 AND record_id = $3`, [userId, action, recordId]);

    it.each([Role.Admin, Role.ProbationOfficer, Role.CourtClerk])(
      'writes a referral.read entry when the %s reads a referral, naming the reader and the role',
      async (role) => {
        const user = staff.users[role];
        const before = await readsBy(user.id, 'referral.read', fx.own.referralId);
        await testApp.http.get(`/api/v1/referrals/${fx.own.referralId}`).set(bearer(staff.tokens[role])).expect(200);
        expect(await readsBy(user.id, 'referral.read', fx.own.referralId)).toBe(before + 1);
        const [entry] = await testApp.dataSource.query(
          `SELECT actor_role, record_type FROM audit_entries WHERE actor_user_id = $1 AND action = 'referral.read' ORDER BY id DESC LIMIT 1`,
          [user.id],
        );
        expect(entry).toEqual({ actor_role: role, record_type: 'referral' });
      },
    );

    it('writes no read entry when a read is refused as out of scope', async () => {
      const user = staff.users.court_clerk;
      const before = await count(`audit_entries WHERE actor_user_id = $1 AND record_id = $2`, [user.id, fx.other.referralId]);
      await testApp.http.get(`/api/v1/referrals/${fx.other.referralId}`).set(bearer(staff.tokens.court_clerk)).expect(404);
      expect(await count(`audit_entries WHERE actor_user_id = $1 AND record_id = $2`, [user.id, fx.other.referralId])).toBe(before);
    });

    it("writes a referral.attendance_read entry when the probation officer reads a man's attendance", async () => {
      const user = staff.users.probation_officer;
      const before = await readsBy(user.id, 'referral.attendance_read', fx.own.referralId);
      await testApp.http.get(`/api/v1/referrals/${fx.own.referralId}/attendance`).set(bearer(staff.tokens.probation_officer)).expect(200);
      expect(await readsBy(user.id, 'referral.attendance_read', fx.own.referralId)).toBe(before + 1);
    });

    it('writes nothing to the audit log when a facilitator reads his roster, but does when an admin reads it', async () => {
      const facilitator = staff.users.facilitator;
      const before = await count(`audit_entries WHERE actor_user_id = $1`, [facilitator.id]);
      await testApp.http.get(`/api/v1/sessions/${fx.pastA}/roster`).set(bearer(staff.tokens.facilitator)).expect(200);
      expect(await count(`audit_entries WHERE actor_user_id = $1`, [facilitator.id])).toBe(before);

      const admin = staff.users.admin;
      const adminBefore = await readsBy(admin.id, 'session.roster_read', fx.pastA);
      await testApp.http.get(`/api/v1/sessions/${fx.pastA}/roster`).set(bearer(staff.tokens.admin)).expect(200);
      expect(await readsBy(admin.id, 'session.roster_read', fx.pastA)).toBe(adminBefore + 1);
    });
  });
});
