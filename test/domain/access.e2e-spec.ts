import { Response } from 'supertest';
import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, createAgency, createStaff, createUser, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, otherFacilitator, pinToday, seedReference, sessionsOf } from '../helpers/domain';
import { startTestApp, TestApp } from '../helpers/test-app';
import { ACCESS_TABLE, RouteAccess } from '../security/access-table';

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

/** The man whose referral the in-scope readers look at; his details must not reach a facilitator or a clerk. */
const MAN = {
  firstName: 'Dashiell',
  lastName: 'Quarrington',
  dateOfBirth: '1984-03-17',
  email: 'd.quarrington@mail.test',
  phone: '+1 218 555 0142',
};
const MAN_CASE = 'CR-26-ACCESS-0001';
const OTHER_CASE = 'CR-26-ELSEWHERE-0002';

interface Fixtures {
  colleagueToken: string;
  otherCourtId: string;
  onePolicyId: string;
  groupA: string; // facilitated by staff.users.facilitator
  groupB: string; // facilitated by a colleague only
  pastA: string; // 2026-11-24, group A
  pastB: string; // 2026-11-24, group B
  futureA: Record<string, string>; // one scheduled future session of group A per actor, to cancel
  futureB: string;
  referral: string; // the man: staff PO, staff court, enrolled in A
  enrollment: string;
  otherReferral: string; // another PO, another court, enrolled in B
  otherEnrollment: string;
  toComplete: string; // one-session policy, attended once
  toTerminate: string; // active
  toClose: string; // referred
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
  let reference: Awaited<ReturnType<typeof seedReference>>;
  const fx = {} as Fixtures;
  let counter = 0;
  const unique = () => `${Date.now().toString(36)}${(counter += 1)}`;

  beforeAll(async () => {
    testApp = await startTestApp();
    staff = await createStaff(testApp);
    reference = await seedReference(testApp);
    pinToday(testApp);

    const colleague = await otherFacilitator(testApp, staff);
    fx.colleagueToken = colleague.token;
    const otherPo = await createUser(testApp.dataSource, Role.ProbationOfficer, staff.probation.id);
    fx.otherCourtId = (await createAgency(testApp.dataSource, AgencyKind.Court)).id;

    const onePolicy = await testApp.http
      .post('/api/v1/policies')
      .set(bearer(staff.tokens.admin))
      .send({
        name: 'One-session pilot',
        requiredSessions: 1,
        sessionMinutes: 90,
        enrollWithinDays: 14,
        completeWithinMonths: 3,
        maxAbsences: 3,
        maxUnexcusedAbsences: 2,
        maxConsecutiveAbsences: 2,
        noAttendanceDays: 14,
        progressReportEveryDays: 30,
        violationReportBusinessDays: 2,
        feesRequired: false,
      })
      .expect(201);
    fx.onePolicyId = onePolicy.body.id;

    fx.groupA = (
      await createGroup(testApp, staff, {
        curriculumId: reference.duluth.id,
        facilitatorIds: [staff.users.facilitator.id],
        startsOn: '2026-10-20',
      })
    ).id;
    fx.groupB = (
      await createGroup(testApp, staff, { curriculumId: reference.duluth.id, facilitatorIds: [colleague.user.id], startsOn: '2026-10-20' })
    ).id;
    const sessionsA = await sessionsOf(testApp, staff, fx.groupA, '2026-10-01', '2027-02-01');
    const sessionsB = await sessionsOf(testApp, staff, fx.groupB, '2026-10-01', '2027-02-01');
    const onDate = (sessions: typeof sessionsA, date: string) => sessions.find((session) => session.date === date)!.id;
    fx.pastA = onDate(sessionsA, '2026-11-24');
    fx.pastB = onDate(sessionsB, '2026-11-24');
    const futureDates = ['2026-12-01', '2026-12-08', '2026-12-15', '2026-12-22', '2026-12-29'];
    fx.futureA = Object.fromEntries(ALL.map((role, index) => [role, onDate(sessionsA, futureDates[index])]));
    fx.futureB = onDate(sessionsB, '2026-12-01');

    const man = await testApp.http
      .post('/api/v1/referrals')
      .set(bearer(staff.tokens.admin))
      .send({
        participant: MAN,
        caseNumber: MAN_CASE,
        courtAgencyId: staff.court.id,
        probationOfficerId: staff.users.probation_officer.id,
        policyId: reference.duluthPolicy.id,
        orderedOn: '2026-11-15',
      })
      .expect(201);
    fx.referral = man.body.id;
    fx.enrollment = (await enroll(testApp, staff, fx.referral, fx.groupA, '2026-11-16')).enrollment.id;

    const other = await createReferral(testApp, staff, {
      policyId: reference.duluthPolicy.id,
      caseNumber: OTHER_CASE,
      courtAgencyId: fx.otherCourtId,
      probationOfficerId: otherPo.id,
      orderedOn: '2026-11-15',
    });
    fx.otherReferral = other.id;
    fx.otherEnrollment = (await enroll(testApp, staff, fx.otherReferral, fx.groupB, '2026-11-16')).enrollment.id;

    const toComplete = await createReferral(testApp, staff, { policyId: fx.onePolicyId, orderedOn: '2026-11-15' });
    fx.toComplete = toComplete.id;
    const completeEnrollment = await enroll(testApp, staff, fx.toComplete, fx.groupA, '2026-11-16');
    await testApp.http
      .put(`/api/v1/sessions/${onDate(sessionsA, '2026-11-17')}/attendance`)
      .set(bearer(staff.tokens.admin))
      .send({ marks: [{ enrollmentId: completeEnrollment.enrollment.id, status: 'present' }] })
      .expect(200);

    fx.toTerminate = (await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: '2026-11-15' })).id;
    await enroll(testApp, staff, fx.toTerminate, fx.groupA, '2026-11-16');
    fx.toClose = (await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: '2026-11-15' })).id;
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
      const response = await http().post('/api/v1/policies').set(bearer(token)).send({
        name,
        requiredSessions: 24,
        sessionMinutes: 90,
        enrollWithinDays: 14,
        completeWithinMonths: 9,
        maxAbsences: 3,
        maxUnexcusedAbsences: 2,
        maxConsecutiveAbsences: 2,
        noAttendanceDays: 14,
        progressReportEveryDays: 30,
        violationReportBusinessDays: 2,
        feesRequired: false,
      });
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
      const query = role === Role.CourtClerk ? `?caseNumber=${MAN_CASE}&limit=200` : '?limit=200';
      if (role === Role.CourtClerk) expectStatus(await http().get('/api/v1/referrals?limit=200').set(bearer(token)), 422);
      const response = await http().get(`/api/v1/referrals${query}`).set(bearer(token));
      expectStatus(response, expected);
      if (expected !== 200) return;
      const ids = response.body.items.map((referral: { id: string }) => referral.id);
      expect(ids).toContain(fx.referral);
      if (role === Role.Admin) expect(ids).toContain(fx.otherReferral);
      else expect(ids).not.toContain(fx.otherReferral);
      expect(response.body.total).toBe(ids.length);
    },
    'GET /api/v1/referrals/:id of his own caseload or court': async (_role, token, expected) => {
      const response = await http().get(`/api/v1/referrals/${fx.referral}`).set(bearer(token));
      expectStatus(response, expected);
      if (expected === 200)
        expect(response.body).toMatchObject({ id: fx.referral, caseNumber: MAN_CASE, compliance: { sessionsRequired: 24 } });
    },
    'GET /api/v1/referrals/:id of another officer and court': async (_role, token, expected) => {
      const response = await http().get(`/api/v1/referrals/${fx.otherReferral}`).set(bearer(token));
      expectStatus(response, expected);
      if (expected === 404) expect(response.body.code).toBe('REFERRAL_NOT_FOUND');
    },
    'GET /api/v1/referrals/:id/attendance of his own caseload': async (_role, token, expected) => {
      const response = await http().get(`/api/v1/referrals/${fx.referral}/attendance`).set(bearer(token));
      expectStatus(response, expected);
      if (expected === 200)
        expect(response.body).toMatchObject({ referralId: fx.referral, enrollments: [expect.objectContaining({ id: fx.enrollment })] });
    },
    'GET /api/v1/referrals/:id/attendance of another officer': async (_role, token, expected) => {
      expectStatus(await http().get(`/api/v1/referrals/${fx.otherReferral}/attendance`).set(bearer(token)), expected);
    },
    'POST /api/v1/referrals/:id/complete': async (_role, token, expected) => {
      const before = await statusOf(fx.toComplete);
      const response = await http().post(`/api/v1/referrals/${fx.toComplete}/complete`).set(bearer(token));
      expectStatus(response, expected);
      if (expected === 200) expect(response.body.status).toBe('completed');
      else expect(await statusOf(fx.toComplete)).toBe(before);
    },
    'POST /api/v1/referrals/:id/terminate': async (_role, token, expected) => {
      const before = await statusOf(fx.toTerminate);
      const response = await http()
        .post(`/api/v1/referrals/${fx.toTerminate}/terminate`)
        .set(bearer(token))
        .send({ reason: 'Three unexcused absences' });
      expectStatus(response, expected);
      if (expected === 200) expect(response.body.status).toBe('terminated');
      else expect(await statusOf(fx.toTerminate)).toBe(before);
    },
    'POST /api/v1/referrals/:id/close': async (_role, token, expected) => {
      const before = await statusOf(fx.toClose);
      const response = await http()
        .post(`/api/v1/referrals/${fx.toClose}/close`)
        .set(bearer(token))
        .send({ reason: 'Order withdrawn by the court' });
      expectStatus(response, expected);
      if (expected === 200) expect(response.body.status).toBe('closed');
      else expect(await statusOf(fx.toClose)).toBe(before);
    },
    'POST /api/v1/groups': async (_role, token, expected) => {
      const name = `Access group ${unique()}`;
      const response = await http()
        .post('/api/v1/groups')
        .set(bearer(token))
        .send({
          name,
          curriculumId: reference.duluth.id,
          weekday: 4,
          startTime: '18:00',
          durationMinutes: 90,
          capacity: 10,
          location: 'Room 5',
          language: 'en',
          facilitatorIds: [staff.users.facilitator.id],
        });
      expectStatus(response, expected);
      expect(await count(`groups WHERE name = $1`, [name])).toBe(expected === 201 ? 1 : 0);
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
        expect(response.body.entries.map((entry: { enrollmentId: string }) => entry.enrollmentId)).toContain(fx.enrollment);
      }
    },
    "GET /api/v1/sessions/:id/roster of another facilitator's group": async (_role, token, expected) => {
      expectStatus(await http().get(`/api/v1/sessions/${fx.pastB}/roster`).set(bearer(token)), expected);
    },
    'PUT /api/v1/sessions/:id/attendance in his own group': async (_role, token, expected) => {
      const response = await http()
        .put(`/api/v1/sessions/${fx.pastA}/attendance`)
        .set(bearer(token))
        .send({ marks: [{ enrollmentId: fx.enrollment, status: 'present' }] });
      expectStatus(response, expected);
      if (expected === 200) {
        expect(response.body.entries.find((entry: { enrollmentId: string }) => entry.enrollmentId === fx.enrollment).mark.status).toBe(
          'present',
        );
      }
    },
    "PUT /api/v1/sessions/:id/attendance in another facilitator's group": async (_role, token, expected) => {
      const before = await count(`attendance_marks WHERE session_id = $1`, [fx.pastB]);
      const response = await http()
        .put(`/api/v1/sessions/${fx.pastB}/attendance`)
        .set(bearer(token))
        .send({ marks: [{ enrollmentId: fx.otherEnrollment, status: 'absent_unexcused' }] });
      expectStatus(response, expected);
      expect(await count(`attendance_marks WHERE session_id = $1`, [fx.pastB])).toBe(before);
    },
    'POST /api/v1/sessions/:id/cancel in his own group': async (role, token, expected) => {
      const sessionId = fx.futureA[role];
      const response = await http().post(`/api/v1/sessions/${sessionId}/cancel`).set(bearer(token)).send({ reason: 'Facilitator ill' });
      expectStatus(response, expected);
      const [{ status }] = await testApp.dataSource.query(`SELECT status FROM sessions WHERE id = $1`, [sessionId]);
      expect(status).toBe(expected === 200 ? 'cancelled' : 'scheduled');
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
        path.startsWith('/api/v1/referrals') ? fx.referral : path.startsWith('/api/v1/groups') ? fx.groupA : fx.pastA,
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
      const entry = response.body.entries.find((candidate: { enrollmentId: string }) => candidate.enrollmentId === fx.enrollment);
      expect(entry).toMatchObject({ firstName: 'Dashiell', lastInitial: 'Q' });
      expect(entry).not.toHaveProperty('lastName');
      expect(entry).not.toHaveProperty('referralId');
      const json = JSON.stringify(response.body);
      for (const leak of [
        'lastName',
        'referralId',
        'caseNumber',
        'dateOfBirth',
        'Quarrington',
        MAN.dateOfBirth,
        MAN_CASE,
        MAN.email,
        MAN.phone,
        fx.referral,
      ]) {
        expect(json).not.toContain(leak);
      }
    });

    it('answers a facilitator marking attendance with the same trimmed roster', async () => {
      const response = await testApp.http
        .put(`/api/v1/sessions/${fx.pastA}/attendance`)
        .set(bearer(staff.tokens.facilitator))
        .send({ marks: [{ enrollmentId: fx.enrollment, status: 'late' }] })
        .expect(200);
      const json = JSON.stringify(response.body);
      expect(json).toContain('Dashiell');
      for (const leak of ['lastName', 'referralId', 'caseNumber', 'dateOfBirth', 'Quarrington', MAN.dateOfBirth, MAN_CASE, fx.referral]) {
        expect(json).not.toContain(leak);
      }
    });

    it("shows an admin the roster with the man's full name and referral", async () => {
      const response = await testApp.http.get(`/api/v1/sessions/${fx.pastA}/roster`).set(bearer(staff.tokens.admin)).expect(200);
      const entry = response.body.entries.find((candidate: { enrollmentId: string }) => candidate.enrollmentId === fx.enrollment);
      expect(entry).toMatchObject({ firstName: 'Dashiell', lastName: 'Quarrington', lastInitial: 'Q', referralId: fx.referral });
    });

    it('shows a court clerk the case and its counts, but no date of birth, contact details or enrollments', async () => {
      const response = await testApp.http.get(`/api/v1/referrals/${fx.referral}`).set(bearer(staff.tokens.court_clerk)).expect(200);
      expect(response.body).toMatchObject({
        id: fx.referral,
        caseNumber: MAN_CASE,
        status: 'active',
        participant: { firstName: 'Dashiell', lastName: 'Quarrington' },
        compliance: { sessionsRequired: 24 },
      });
      expect(response.body).not.toHaveProperty('enrollments');
      expect(response.body.participant).not.toHaveProperty('dateOfBirth');
      expect(response.body.participant).not.toHaveProperty('email');
      expect(response.body.participant).not.toHaveProperty('phone');
      const json = JSON.stringify(response.body);
      for (const leak of ['dateOfBirth', 'email', 'phone', 'enrollments', MAN.dateOfBirth, MAN.email, MAN.phone]) {
        expect(json).not.toContain(leak);
      }
    });

    it('shows a court clerk the same trimmed referral in a list by case number', async () => {
      const response = await testApp.http.get(`/api/v1/referrals?caseNumber=${MAN_CASE}`).set(bearer(staff.tokens.court_clerk)).expect(200);
      expect(response.body.total).toBe(1);
      expect(response.body.items[0].id).toBe(fx.referral);
      const json = JSON.stringify(response.body);
      for (const leak of ['dateOfBirth', MAN.dateOfBirth, MAN.email, MAN.phone]) expect(json).not.toContain(leak);
    });

    it('shows the probation officer and the admin the date of birth, contact details and enrollments', async () => {
      for (const role of [Role.Admin, Role.ProbationOfficer]) {
        const response = await testApp.http.get(`/api/v1/referrals/${fx.referral}`).set(bearer(staff.tokens[role])).expect(200);
        expect(response.body.participant).toMatchObject({ dateOfBirth: MAN.dateOfBirth, email: MAN.email, phone: MAN.phone });
        expect(response.body.enrollments).toEqual([expect.objectContaining({ id: fx.enrollment, groupId: fx.groupA })]);
      }
    });

    it.each([
      [Role.CourtClerk, 'another court'],
      [Role.ProbationOfficer, 'another officer'],
    ])('finds nothing for a %s who asks by the case number of %s', async (role) => {
      const response = await testApp.http.get(`/api/v1/referrals?caseNumber=${OTHER_CASE}`).set(bearer(staff.tokens[role])).expect(200);
      expect(response.body).toEqual({ items: [], total: 0 });
      const mine = await testApp.http.get(`/api/v1/referrals?caseNumber=${MAN_CASE}`).set(bearer(staff.tokens[role])).expect(200);
      expect(mine.body.total).toBe(1);
    });

    it('finds the other court’s case for an admin, so the clerk’s empty answer is his scope, not a missing case', async () => {
      const response = await testApp.http.get(`/api/v1/referrals?caseNumber=${OTHER_CASE}`).set(bearer(staff.tokens.admin)).expect(200);
      expect(response.body.total).toBe(1);
      expect(response.body.items[0].id).toBe(fx.otherReferral);
    });
  });

  describe('the audit log of reads', () => {
    const readsBy = (userId: string, action: string, recordId: string) =>
      count(`audit_entries WHERE actor_user_id = $1 AND action = $2 AND record_id = $3`, [userId, action, recordId]);

    it.each([Role.Admin, Role.ProbationOfficer, Role.CourtClerk])(
      'writes a referral.read entry when the %s reads a referral, naming the reader and the role',
      async (role) => {
        const user = staff.users[role];
        const before = await readsBy(user.id, 'referral.read', fx.referral);
        await testApp.http.get(`/api/v1/referrals/${fx.referral}`).set(bearer(staff.tokens[role])).expect(200);
        expect(await readsBy(user.id, 'referral.read', fx.referral)).toBe(before + 1);
        const [entry] = await testApp.dataSource.query(
          `SELECT actor_role, record_type FROM audit_entries WHERE actor_user_id = $1 AND action = 'referral.read' ORDER BY id DESC LIMIT 1`,
          [user.id],
        );
        expect(entry).toEqual({ actor_role: role, record_type: 'referral' });
      },
    );

    it('writes no read entry when a read is refused as out of scope', async () => {
      const user = staff.users.court_clerk;
      const before = await count(`audit_entries WHERE actor_user_id = $1 AND record_id = $2`, [user.id, fx.otherReferral]);
      await testApp.http.get(`/api/v1/referrals/${fx.otherReferral}`).set(bearer(staff.tokens.court_clerk)).expect(404);
      expect(await count(`audit_entries WHERE actor_user_id = $1 AND record_id = $2`, [user.id, fx.otherReferral])).toBe(before);
    });

    it("writes a referral.attendance_read entry when the probation officer reads a man's attendance", async () => {
      const user = staff.users.probation_officer;
      const before = await readsBy(user.id, 'referral.attendance_read', fx.referral);
      await testApp.http.get(`/api/v1/referrals/${fx.referral}/attendance`).set(bearer(staff.tokens.probation_officer)).expect(200);
      expect(await readsBy(user.id, 'referral.attendance_read', fx.referral)).toBe(before + 1);
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
