import { Response } from 'supertest';
import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, createAgency, createUser, signIn, Staff, TEST_PASSWORD } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, otherFacilitator, Reference, sessionsOf } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { referralWithNotices, waitUntilRendered } from './security-fixtures';

/**
 * The records the security suites aim at, and how to call each route of the API on them: "own"
 * records are in the staff users' scope, "other" ones in another caseload, court or group.
 */

export type Scope = 'own' | 'other';

export interface Call {
  /** The concrete path, with query string if any. */
  path: string;
  body?: object;
  /** A token of the caller's role other than the shared one (for logout and password change); only used when the call is allowed. */
  ownToken?: () => Promise<string>;
  /** What a successful call must also have done or answered. */
  check?: (response: Response) => void | Promise<void>;
}

/** The fixture ids the calls are aimed at: "own" is in the staff users' scope, "other" in nobody's of theirs. */
export interface Fixtures {
  colleague: { token: string };
  otherCourtId: string;
  otherPoId: string;
  onePolicyId: string;
  sparePolicyId: string;
  spareAgencyId: string;
  spareUserId: string;
  /** A user invited by e-mail who has not chosen a password yet. */
  invitedUserId: string;
  groupA: string;
  groupB: string;
  pastA: string;
  pastB: string;
  attendedA: string;
  attendedB: string;
  futureA: Partial<Record<Role, string>>;
  futureB: string;
  own: { referralId: string; caseNumber: string; enrollmentId: string; poNotice: string; courtNotice: string; eventId: string };
  other: { referralId: string; caseNumber: string; enrollmentId: string; poNotice: string; courtNotice: string; eventId: string };
  completeEnrollment: string;
  toComplete: string;
  toTerminate: string;
  toClose: string;
  toEnroll: string;
  /** A Washington order (a policy with levels), for the intake assessment. */
  toAssess: string;
  deadNotice: string;
  /** The fees ledger: a payment of the own man's (its receipt), and a man who owes (a waiver). */
  fees: { paymentId: string; owingReferral: string; bracketReferral: string };
  /** A fourth man's notices to the staff officer and court, for acknowledge-many. */
  bulk: { poNotice: string; courtNotice: string };
  /** Protected parties: one referral whose policy lets the admin read them, one whose policy does not. */
  pp: {
    openReferral: string;
    openCase: string;
    openParty: string;
    sealedReferral: string;
    sealedParty: string;
    /** Three pending victim notifications (send, record, skip). */
    notifications: string[];
  };
}

/** A protected party as an advocate enters her. */
export function partyBody(marker: string): Record<string, string> {
  return {
    name: `Jane ${marker}`,
    relationship: 'former partner',
    phone: '+1 218 555 0100',
    email: `jane.${marker.toLowerCase()}@safe.example.org`,
    address: `PO Box ${marker}, Duluth MN`,
    safetyNotes: 'Call only after 6pm',
    preferredChannel: 'email',
    notificationWish: 'wants',
  };
}

/**
 * The "own" man, named in full and with his contact details, so a suite can look for each of them
 * in what a role must not see (a facilitator's roster, a clerk's view).
 */
export const OWN_MAN = {
  firstName: 'Dashiell',
  lastName: 'Quarrington',
  dateOfBirth: '1984-03-17',
  email: 'd.quarrington@mail.test',
  phone: '+1 218 555 0142',
};

export const POLICY_FIELDS = {
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
};

/** Two of everything: courts, probation officers, facilitators with their groups, men with notices. */
export async function buildFixtures(testApp: TestApp, staff: Staff, reference: Reference): Promise<Fixtures> {
  const fx = {} as Fixtures;
  const colleague = await otherFacilitator(testApp, staff);
  fx.colleague = { token: colleague.token };
  fx.otherCourtId = (await createAgency(testApp.dataSource, AgencyKind.Court)).id;
  fx.otherPoId = (await createUser(testApp.dataSource, Role.ProbationOfficer, staff.probation.id)).id;
  fx.spareAgencyId = (await createAgency(testApp.dataSource, AgencyKind.Probation)).id;
  fx.spareUserId = (await createUser(testApp.dataSource, Role.Facilitator, staff.program.id)).id;
  fx.invitedUserId = (
    await testApp.http
      .post('/api/v1/users')
      .set(bearer(staff.tokens.admin))
      .send({ email: 'invited.sweep@program.test', name: 'Invited Sweep', role: 'facilitator', agencyId: staff.program.id })
      .expect(201)
  ).body.id;
  // Its mail is sent (and audited) before the sweeps count rows.
  await waitFor(
    async () => {
      const rows = await testApp.dataSource.query<Array<{ status: string }>>(
        `SELECT status, attempts, last_response FROM outgoing_mails WHERE kind = 'invitation'`,
      );
      if (rows.length && rows.every((row) => ['sent', 'dead', 'unknown'].includes(row.status))) return true;
      throw new Error(JSON.stringify(rows));
    },
    { what: 'the invitation mail of the sweep' },
  );

  const policy = (name: string, requiredSessions: number) =>
    testApp.http
      .post('/api/v1/policies')
      .set(bearer(staff.tokens.admin))
      .send({ ...POLICY_FIELDS, name, requiredSessions })
      .expect(201)
      .then((response) => response.body.id as string);
  fx.onePolicyId = await policy('One-session pilot', 1);
  fx.sparePolicyId = await policy('Spare policy', 10);

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
  const sessionsA = await sessionsOf(testApp, staff, fx.groupA, '2026-10-01', '2027-01-31');
  const sessionsB = await sessionsOf(testApp, staff, fx.groupB, '2026-10-01', '2027-01-31');
  const on = (sessions: typeof sessionsA, date: string) => sessions.find((session) => session.date === date)!.id;
  fx.pastA = on(sessionsA, '2026-11-24');
  fx.pastB = on(sessionsB, '2026-11-24');
  fx.attendedA = on(sessionsA, '2026-11-17');
  fx.attendedB = on(sessionsB, '2026-11-17');
  fx.futureA = { [Role.Admin]: on(sessionsA, '2026-12-01'), [Role.Facilitator]: on(sessionsA, '2026-12-08') };
  fx.futureB = on(sessionsB, '2026-12-01');

  // His own: the staff probation officer's, the staff court's, in the staff facilitator's group.
  const own = await referralWithNotices(testApp, staff, {
    ...OWN_MAN,
    policyId: reference.duluthPolicy.id,
    orderedOn: '2026-11-10',
    groupId: fx.groupA,
    sessionId: fx.pastA,
    startDate: '2026-11-16',
  });
  // Another's: another officer's caseload, another court, a colleague's group.
  const other = await referralWithNotices(testApp, staff, {
    policyId: reference.duluthPolicy.id,
    orderedOn: '2026-11-10',
    groupId: fx.groupB,
    sessionId: fx.pastB,
    startDate: '2026-11-16',
    courtAgencyId: fx.otherCourtId,
    probationOfficerId: fx.otherPoId,
  });
  const describeReferral = async (made: typeof own) => {
    const [{ case_number: caseNumber }] = await testApp.dataSource.query(`SELECT case_number FROM referrals WHERE id = $1`, [
      made.referralId,
    ]);
    const byKind = (kind: string) => made.notices.find((notice) => notice.recipient_kind === kind)!.id;
    const [{ event_id: eventId }] = await testApp.dataSource.query(`SELECT event_id FROM notices WHERE id = $1`, [
      byKind('probation_officer'),
    ]);
    return {
      referralId: made.referralId,
      caseNumber,
      enrollmentId: made.enrollmentId,
      poNotice: byKind('probation_officer'),
      courtNotice: byKind('court'),
      eventId,
    };
  };
  fx.own = await describeReferral(own);
  fx.other = await describeReferral(other);

  fx.toComplete = (await createReferral(testApp, staff, { policyId: fx.onePolicyId, orderedOn: '2026-11-10' })).id;
  fx.completeEnrollment = (await enroll(testApp, staff, fx.toComplete, fx.groupA, '2026-11-16')).enrollment.id;
  await testApp.http
    .put(`/api/v1/sessions/${fx.attendedA}/attendance`)
    .set(bearer(staff.tokens.admin))
    .send({
      marks: [
        { enrollmentId: fx.own.enrollmentId, status: 'present' },
        { enrollmentId: fx.completeEnrollment, status: 'present' },
      ],
    })
    .expect(200);
  fx.toTerminate = (await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: '2026-11-10' })).id;
  await enroll(testApp, staff, fx.toTerminate, fx.groupA, '2026-11-16');
  fx.toClose = (await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: '2026-11-20' })).id;
  fx.toEnroll = (await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: '2026-11-20' })).id;
  const feesPath = (referralId: string, what: string) => `/api/v1/referrals/${referralId}/fees/${what}`;
  const payment = await testApp.http
    .post(feesPath(fx.own.referralId, 'payments'))
    .set(bearer(staff.tokens.admin))
    .send({ amountCents: 100, method: 'cash' })
    .expect(201);
  await testApp.http
    .post(feesPath(fx.toEnroll, 'adjustments'))
    .set(bearer(staff.tokens.admin))
    .send({ amountCents: 100_000, reason: 'Program fee' })
    .expect(201);
  const scaled = await testApp.http
    .post('/api/v1/policies')
    .set(bearer(staff.tokens.admin))
    .send({
      ...POLICY_FIELDS,
      name: 'Sliding-scale fees',
      requiredSessions: 10,
      sessionFeeCents: 4000,
      feeBrackets: [{ key: 'low', label: 'Up to $1,000 a month', period: 'month', upToIncomeCents: 100_000, sessionFeeCents: 500 }],
    })
    .expect(201);
  const bracketReferral = (await createReferral(testApp, staff, { policyId: scaled.body.id, orderedOn: '2026-11-20' })).id;
  fx.fees = { paymentId: payment.body.id, owingReferral: fx.toEnroll, bracketReferral };

  fx.toAssess = (
    await createReferral(testApp, staff, {
      policyId: reference.policies.find((policy) => policy.key === 'wa-wac-388-60b')!.id,
      orderedOn: '2026-11-20',
    })
  ).id;

  // A third man's probation notice is dead, for the admin's "send again".
  const third = await referralWithNotices(testApp, staff, {
    policyId: reference.duluthPolicy.id,
    orderedOn: '2026-11-10',
    groupId: fx.groupA,
    sessionId: fx.pastA,
    startDate: '2026-11-16',
  });
  fx.deadNotice = third.notices[0].id;
  const fourth = await referralWithNotices(testApp, staff, {
    policyId: reference.duluthPolicy.id,
    orderedOn: '2026-11-10',
    groupId: fx.groupA,
    sessionId: fx.pastA,
    startDate: '2026-11-16',
  });
  const fourthOf = (kind: string) => fourth.notices.find((notice) => notice.recipient_kind === kind)!.id;
  fx.bulk = { poNotice: fourthOf('probation_officer'), courtNotice: fourthOf('court') };

  const allNotices = [
    fx.own.poNotice,
    fx.own.courtNotice,
    fx.other.poNotice,
    fx.other.courtNotice,
    fx.deadNotice,
    fx.bulk.poNotice,
    fx.bulk.courtNotice,
  ];
  await waitUntilRendered(testApp, allNotices);
  await waitFor(
    async () => {
      const rows: Array<{ status: string }> = await testApp.dataSource.query(`SELECT status FROM notices WHERE id = ANY($1::uuid[])`, [
        allNotices,
      ]);
      return rows.every((row) => row.status === 'sent');
    },
    { what: 'fixture notices sent' },
  );
  await testApp.dataSource.query(`UPDATE notices SET status = 'dead', last_response = '550 5.1.1 Mailbox unknown' WHERE id = $1`, [
    fx.deadNotice,
  ]);
  // A listed closed day for the admin to open again.
  await testApp.dataSource.query(`INSERT INTO program_holidays (date, name, source) VALUES ('2031-01-08', 'Staff retreat', 'program')`);

  const addParty = async (referralId: string, marker: string) =>
    (
      await testApp.http
        .post(`/api/v1/referrals/${referralId}/protected-parties`)
        .set(bearer(staff.tokens.advocate))
        .send(partyBody(marker))
        .expect(201)
    ).body.id as string;
  const adminPolicyId = (
    await testApp.http
      .post('/api/v1/policies')
      .set(bearer(staff.tokens.admin))
      .send({ ...POLICY_FIELDS, name: 'Admin may read protected parties', requiredSessions: 10, protectedPartyAdminAccess: true })
      .expect(201)
  ).body.id as string;
  const open = await createReferral(testApp, staff, { policyId: adminPolicyId, orderedOn: '2026-11-20' });
  const sealed = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: '2026-11-20' });
  const victims = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: '2026-11-10' });
  for (const marker of ['V1', 'V2', 'V3']) await addParty(victims.id, marker);
  await enroll(testApp, staff, victims.id, fx.groupA, '2026-11-16');
  await testApp.http
    .post(`/api/v1/referrals/${victims.id}/terminate`)
    .set(bearer(staff.tokens.admin))
    .send({ reason: 'Threatened a group member' })
    .expect(200);
  const notifications = await testApp.http
    .get(`/api/v1/victim-notifications?referralId=${victims.id}`)
    .set(bearer(staff.tokens.advocate))
    .expect(200);
  fx.pp = {
    openReferral: open.id,
    openCase: open.caseNumber,
    openParty: await addParty(open.id, 'OPEN'),
    sealedReferral: sealed.id,
    sealedParty: await addParty(sealed.id, 'SEALED'),
    notifications: (notifications.body.items as Array<{ id: string }>).map((item) => item.id),
  };
  if (fx.pp.notifications.length !== 3) throw new Error(`expected 3 victim notifications, got ${JSON.stringify(notifications.body)}`);
  // Quiet before the suites count rows: the workers have delivered every notice raised above.
  await waitFor(
    async () => {
      const [{ n }] = await testApp.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM notices WHERE status IN ('pending', 'sending', 'failed')`,
      );
      return n === 0;
    },
    { what: 'every fixture notice delivered' },
  );
  return fx;
}

/**
 * How to call each route as `role` on a record of scope `scope`. A refused caller is sent the
 * admin's own call: a refusal must not depend on the body or the record being harmless.
 */
export function routeCalls(
  testApp: TestApp,
  staff: Staff,
  reference: Reference,
  fx: Fixtures,
): Record<string, (role: Role, scope: Scope) => Call> {
  let unique = 0;
  const next = () => `${Date.now().toString(36)}${(unique += 1)}`;

  /** A fresh signed-in user of the role, for calls that end the caller's own sessions. */
  async function throwawayToken(role: Role): Promise<string> {
    const agency = {
      [Role.Admin]: staff.program,
      [Role.Facilitator]: staff.program,
      [Role.ProbationOfficer]: staff.probation,
      [Role.CourtClerk]: staff.court,
      [Role.Advocate]: staff.advocacy,
      [Role.Coordinator]: staff.program,
    }[role];
    const user = await createUser(testApp.dataSource, role, agency.id);
    return signIn(testApp, user.email);
  }

  const ids = (response: Response) => (response.body.items as Array<{ id: string }>).map((item) => item.id);

  const calls: Record<string, (role: Role, scope: Scope) => Call> = {
    'POST /api/v1/auth/login': (role) => ({
      path: '/api/v1/auth/login',
      body: { email: staff.users[role].email, password: TEST_PASSWORD },
    }),
    'GET /api/v1/auth/me': (role) => ({ path: '/api/v1/auth/me', check: (response) => expect(response.body.role).toBe(role) }),
    'POST /api/v1/auth/logout': (role) => ({ path: '/api/v1/auth/logout', ownToken: () => throwawayToken(role) }),
    'POST /api/v1/auth/password': (role) => ({
      path: '/api/v1/auth/password',
      body: { currentPassword: TEST_PASSWORD, newPassword: 'another long enough password' },
      ownToken: () => throwawayToken(role),
    }),

    'POST /api/v1/auth/password-reset': (role) => ({ path: '/api/v1/auth/password-reset', body: { email: staff.users[role].email } }),
    'POST /api/v1/auth/password-reset/confirm': () => ({
      path: '/api/v1/auth/password-reset/confirm',
      body: { token: 'A'.repeat(43), password: 'a long enough password' },
    }),
    'POST /api/v1/auth/invitation/accept': () => ({
      path: '/api/v1/auth/invitation/accept',
      body: { token: 'B'.repeat(43), password: 'a long enough password' },
    }),
    'POST /api/v1/auth/second-factor': () => ({
      path: '/api/v1/auth/second-factor',
      check: (response) => expect(response.body.otpauthUri).toMatch(/^otpauth:/),
    }),
    'POST /api/v1/auth/second-factor/confirm': () => ({ path: '/api/v1/auth/second-factor/confirm', body: { code: '000000' } }),

    'GET /health': () => ({ path: '/health' }),
    'GET /health/ready': () => ({ path: '/health/ready' }),
    'GET /health/delivery': () => ({ path: '/health/delivery' }),

    'POST /api/v1/agencies': () => ({
      path: '/api/v1/agencies',
      body: { name: `Sweep court ${next()}`, kind: 'court', noticeEmail: 'clerk@sweep.test' },
    }),
    'GET /api/v1/agencies': () => ({ path: '/api/v1/agencies' }),
    'GET /api/v1/agencies/{id}': () => ({ path: `/api/v1/agencies/${fx.spareAgencyId}` }),
    'PATCH /api/v1/agencies/{id}': () => ({ path: `/api/v1/agencies/${fx.spareAgencyId}`, body: { noticeEmail: 'renamed@sweep.test' } }),

    'POST /api/v1/users': () => ({
      path: '/api/v1/users',
      body: {
        email: `sweep.${next()}@program.test`,
        name: 'Sweep Facilitator',
        role: 'facilitator',
        agencyId: staff.program.id,
        password: 'a long enough password',
      },
    }),
    'GET /api/v1/users': () => ({ path: '/api/v1/users' }),
    'GET /api/v1/users/{id}': () => ({ path: `/api/v1/users/${fx.spareUserId}` }),
    'PATCH /api/v1/users/{id}': () => ({ path: `/api/v1/users/${fx.spareUserId}`, body: { name: 'Renamed Facilitator' } }),
    'POST /api/v1/users/{id}/unlock': () => ({ path: `/api/v1/users/${fx.spareUserId}/unlock` }),
    'POST /api/v1/users/{id}/invitation': () => ({ path: `/api/v1/users/${fx.invitedUserId}/invitation` }),
    'POST /api/v1/users/{id}/second-factor/reset': () => ({ path: `/api/v1/users/${fx.spareUserId}/second-factor/reset` }),

    'GET /api/v1/policies': () => ({ path: '/api/v1/policies' }),
    'GET /api/v1/policies/{id}': () => ({ path: `/api/v1/policies/${reference.duluthPolicy.id}` }),
    'POST /api/v1/policies': () => ({
      path: '/api/v1/policies',
      body: { ...POLICY_FIELDS, name: `Sweep policy ${next()}`, requiredSessions: 12 },
    }),
    'PUT /api/v1/policies/{id}': () => ({
      path: `/api/v1/policies/${fx.sparePolicyId}`,
      body: { ...POLICY_FIELDS, name: 'Spare policy', requiredSessions: 11 },
    }),

    'GET /api/v1/curricula': () => ({ path: '/api/v1/curricula' }),
    'GET /api/v1/curricula/{id}': () => ({ path: `/api/v1/curricula/${reference.duluth.id}` }),

    'POST /api/v1/referrals': () => ({
      path: '/api/v1/referrals',
      body: {
        participant: { firstName: 'Sweep', lastName: `Man${next()}`, dateOfBirth: '1980-02-02' },
        caseNumber: `CR-SWEEP-${next()}`.toUpperCase(),
        courtAgencyId: staff.court.id,
        probationOfficerId: staff.users.probation_officer.id,
        policyId: reference.duluthPolicy.id,
        orderedOn: '2026-11-20',
      },
    }),
    'GET /api/v1/referrals': (role) => ({
      // The court looks cases up by number; it does not browse.
      path: role === Role.CourtClerk ? `/api/v1/referrals?caseNumber=${fx.own.caseNumber}` : '/api/v1/referrals',
      check: async (response) => {
        expect(ids(response)).toContain(fx.own.referralId);
        if (role !== Role.Admin) expect(ids(response)).not.toContain(fx.other.referralId);
        if (role === Role.CourtClerk) {
          const elsewhere = await testApp.http
            .get(`/api/v1/referrals?caseNumber=${fx.other.caseNumber}`)
            .set(bearer(staff.tokens[role]))
            .expect(200);
          expect(elsewhere.body).toEqual({ items: [], total: 0 });
        }
      },
    }),
    'POST /api/v1/referrals/lookup': (role, scope) => ({
      path: '/api/v1/referrals/lookup',
      body: { caseNumber: scope === 'own' ? fx.own.caseNumber : fx.other.caseNumber },
      check: async (response) => {
        expect(ids(response)).toEqual([fx.own.referralId]);
        if (role !== Role.Admin) {
          const elsewhere = await testApp.http
            .post('/api/v1/referrals/lookup')
            .set(bearer(staff.tokens[role]))
            .send({ caseNumber: fx.other.caseNumber })
            .expect(200);
          expect(elsewhere.body).toEqual({ items: [], total: 0 });
        }
      },
    }),
    'GET /api/v1/referrals/{id}': (_role, scope) => ({
      path: `/api/v1/referrals/${fx[scope].referralId}`,
      check: (response) => expect(response.body.id).toBe(fx.own.referralId),
    }),
    'GET /api/v1/referrals/{id}/attendance': (_role, scope) => ({ path: `/api/v1/referrals/${fx[scope].referralId}/attendance` }),
    'GET /api/v1/referrals/{id}/progress-report': (_role, scope) => ({
      path: `/api/v1/referrals/${fx[scope].referralId}/progress-report`,
      check: (response) => expect(response.headers['content-type']).toBe('application/pdf'),
    }),
    'POST /api/v1/referrals/{id}/complete': () => ({
      path: `/api/v1/referrals/${fx.toComplete}/complete`,
      check: (response) => expect(response.body.status).toBe('completed'),
    }),
    'POST /api/v1/referrals/{id}/terminate': () => ({
      path: `/api/v1/referrals/${fx.toTerminate}/terminate`,
      body: { reason: 'Stopped coming' },
      check: (response) => expect(response.body.status).toBe('terminated'),
    }),
    'POST /api/v1/referrals/{id}/reinstate': () => ({
      path: `/api/v1/referrals/${fx.own.referralId}/reinstate`,
      body: { reason: 'Make-up plan agreed' },
      check: (response) => expect(response.body.status).toBe('active'),
    }),
    'POST /api/v1/referrals/{id}/close': () => ({
      path: `/api/v1/referrals/${fx.toClose}/close`,
      body: { reason: 'Order withdrawn' },
      check: (response) => expect(response.body.status).toBe('closed'),
    }),
    'POST /api/v1/referrals/{id}/fees': () => ({ path: `/api/v1/referrals/${fx.own.referralId}/fees`, body: { paid: true } }),
    'GET /api/v1/referrals/{id}/fees': (_role, scope) => ({
      path: `/api/v1/referrals/${fx[scope].referralId}/fees`,
      check: (response) => expect(response.body.referralId).toBe(fx.own.referralId),
    }),
    'POST /api/v1/referrals/{id}/fees/payments': () => ({
      path: `/api/v1/referrals/${fx.own.referralId}/fees/payments`,
      body: { amountCents: 100, method: 'card' },
    }),
    'POST /api/v1/referrals/{id}/fees/adjustments': () => ({
      path: `/api/v1/referrals/${fx.own.referralId}/fees/adjustments`,
      body: { amountCents: 100, reason: 'Workbook' },
    }),
    'POST /api/v1/referrals/{id}/fees/waivers': () => ({
      path: `/api/v1/referrals/${fx.fees.owingReferral}/fees/waivers`,
      body: { amountCents: 100, reason: 'Hardship' },
    }),
    'PUT /api/v1/referrals/{id}/fees/income-bracket': () => ({
      path: `/api/v1/referrals/${fx.fees.bracketReferral}/fees/income-bracket`,
      body: { bracket: 'low' },
    }),
    'GET /api/v1/referrals/{id}/fees/payments/{paymentId}/receipt.pdf': (_role, scope) => ({
      path: `/api/v1/referrals/${fx[scope].referralId}/fees/payments/${fx.fees.paymentId}/receipt.pdf`,
      check: (response) => expect(response.headers['content-type']).toBe('application/pdf'),
    }),

    'POST /api/v1/groups': () => ({
      path: '/api/v1/groups',
      body: {
        name: `Sweep group ${next()}`,
        curriculumId: reference.duluth.id,
        weekday: 4,
        startTime: '18:00',
        durationMinutes: 90,
        capacity: 10,
        location: 'Room 5',
        language: 'en',
        facilitatorIds: [staff.users.facilitator.id],
        startsOn: '2026-12-03',
      },
    }),
    'GET /api/v1/groups': (role) => ({
      path: '/api/v1/groups',
      check: (response) => {
        expect(ids(response)).toContain(fx.groupA);
        if (role === Role.Facilitator) expect(ids(response)).not.toContain(fx.groupB);
      },
    }),
    'GET /api/v1/groups/{id}': (_role, scope) => ({ path: `/api/v1/groups/${scope === 'own' ? fx.groupA : fx.groupB}` }),
    'GET /api/v1/groups/{id}/sessions': (_role, scope) => ({
      path: `/api/v1/groups/${scope === 'own' ? fx.groupA : fx.groupB}/sessions?from=2026-11-01&to=2026-11-30`,
    }),
    'POST /api/v1/groups/{id}/sessions': (role, scope) => ({
      path: `/api/v1/groups/${scope === 'own' ? fx.groupA : fx.groupB}/sessions`,
      body: { date: role === Role.Facilitator ? '2026-11-27' : '2026-11-26' },
    }),
    'POST /api/v1/groups/{id}/generate-sessions': () => ({ path: `/api/v1/groups/${fx.groupA}/generate-sessions` }),

    // Far beyond the laid-out weeks, so closing it changes no session another call aims at.
    'GET /api/v1/referrals/{id}/participant-messages': () => ({ path: `/api/v1/referrals/${fx.own.referralId}/participant-messages` }),
    'PUT /api/v1/referrals/{id}/participant-messages/preference': () => ({
      path: `/api/v1/referrals/${fx.own.referralId}/participant-messages/preference`,
      body: { optOut: false },
      check: (response) => expect(response.body).toEqual({ optOut: false }),
    }),
    'GET /api/v1/holidays': () => ({ path: '/api/v1/holidays?from=2031-01-01&to=2031-12-31' }),
    'PUT /api/v1/holidays/{date}': () => ({
      path: '/api/v1/holidays/2031-01-07',
      body: { name: 'Staff training' },
      check: (response) => expect(response.body.closed).toBe(true),
    }),
    'DELETE /api/v1/holidays/{date}': () => ({
      path: '/api/v1/holidays/2031-01-08',
      check: (response) => expect(response.body.closed).toBe(false),
    }),
    'GET /api/v1/sessions/{id}': (_role, scope) => ({ path: `/api/v1/sessions/${scope === 'own' ? fx.pastA : fx.pastB}` }),
    'GET /api/v1/sessions/{id}/roster': (_role, scope) => ({ path: `/api/v1/sessions/${scope === 'own' ? fx.pastA : fx.pastB}/roster` }),
    'POST /api/v1/sessions/{id}/cancel': (role, scope) => ({
      path: `/api/v1/sessions/${String(scope === 'own' ? (fx.futureA[role] ?? fx.futureA[Role.Admin]) : fx.futureB)}/cancel`,
      body: { reason: 'Building closed' },
      check: (response) => expect(response.body.status).toBe('cancelled'),
    }),
    'PUT /api/v1/sessions/{id}/attendance': (_role, scope) =>
      scope === 'own'
        ? {
            path: `/api/v1/sessions/${fx.attendedA}/attendance`,
            body: {
              marks: [
                { enrollmentId: fx.own.enrollmentId, status: 'present' },
                { enrollmentId: fx.completeEnrollment, status: 'present' },
              ],
            },
          }
        : {
            path: `/api/v1/sessions/${fx.attendedB}/attendance`,
            body: { marks: [{ enrollmentId: fx.other.enrollmentId, status: 'absent_unexcused' }] },
          },

    'POST /api/v1/enrollments': () => ({
      path: '/api/v1/enrollments',
      body: { referralId: fx.toEnroll, groupId: fx.groupA, startDate: '2026-11-24' },
    }),

    'GET /api/v1/notices': (role) => ({
      path: '/api/v1/notices',
      check: (response) => {
        const listed = ids(response);
        const seesAll = role === Role.Admin || role === Role.Coordinator;
        if (seesAll) expect(listed).toEqual(expect.arrayContaining([fx.own.poNotice, fx.other.courtNotice]));
        if (role === Role.ProbationOfficer) expect(listed).toContain(fx.own.poNotice);
        if (role === Role.CourtClerk) expect(listed).toContain(fx.own.courtNotice);
        if (!seesAll) expect(listed).not.toEqual(expect.arrayContaining([fx.other.poNotice]));
        if (!seesAll) expect(listed).not.toContain(fx.other.courtNotice);
      },
    }),
    'GET /api/v1/notices/summary': () => ({ path: '/api/v1/notices/summary' }),
    'GET /api/v1/notices/inbox': (role) => ({
      path: '/api/v1/notices/inbox',
      check: (response) => {
        const listed = ids(response);
        expect(listed).toContain(role === Role.CourtClerk ? fx.bulk.courtNotice : fx.bulk.poNotice);
        expect(listed).not.toContain(fx.other.poNotice);
        expect(listed).not.toContain(fx.other.courtNotice);
      },
    }),
    'POST /api/v1/notices/inbox/lookup': () => ({
      path: '/api/v1/notices/inbox/lookup',
      body: { caseNumber: fx.other.caseNumber },
      // Another court's or officer's case is simply not in the caller's inbox.
      check: (response) => expect(response.body.total).toBe(0),
    }),
    'POST /api/v1/notices/acknowledge': (role, scope) => ({
      path: '/api/v1/notices/acknowledge',
      body: { ids: scope === 'own' ? [role === Role.CourtClerk ? fx.bulk.courtNotice : fx.bulk.poNotice] : [noticeFor(role, 'other')] },
      check: (response) => expect(response.body.acknowledged).toHaveLength(1),
    }),
    'GET /api/v1/notices/{id}': (role, scope) => ({ path: `/api/v1/notices/${noticeFor(role, scope)}` }),
    'GET /api/v1/notices/{id}/letter.pdf': (role, scope) => ({
      path: `/api/v1/notices/${noticeFor(role, scope)}/letter.pdf`,
      check: (response) => expect(response.headers['content-type']).toBe('application/pdf'),
    }),
    'GET /api/v1/notices/{id}/preview': (role, scope) => ({
      path: `/api/v1/notices/${noticeFor(role, scope)}/preview`,
      check: (response) => expect(response.headers['content-type']).toMatch(/^text\/html/),
    }),
    'POST /api/v1/notices/{id}/acknowledge': (role, scope) => ({
      path: `/api/v1/notices/${noticeFor(role, scope)}/acknowledge`,
      check: (response) => expect(response.body.status).toBe('acknowledged'),
    }),
    'POST /api/v1/notices/{id}/retry': () => ({
      path: `/api/v1/notices/${fx.deadNotice}/retry`,
      check: (response) => expect(response.body.status).not.toBe('dead'),
    }),

    'POST /api/v1/events/{id}/responses': (role, scope) => ({
      path: `/api/v1/events/${fx[scope].eventId}/responses`,
      body:
        role === Role.CourtClerk
          ? { kind: 'hearing_set', date: '2026-12-09' }
          : { kind: 'warning_given', details: 'Told him at the office' },
      check: (response) => expect(response.body.agency).toBe(role === Role.CourtClerk ? 'court' : 'probation'),
    }),
    'GET /api/v1/referrals/{id}/responses': (_role, scope) => ({ path: `/api/v1/referrals/${fx[scope].referralId}/responses` }),
    'POST /api/v1/referrals/{id}/assessments': () => ({
      path: `/api/v1/referrals/${fx.toAssess}/assessments`,
      body: {
        levelKey: '3',
        assessedOn: '2026-11-24',
        assessedBy: 'Sweep Assessor',
        reason: 'Moderate risk',
        factors: [
          'Behavioral assessment and screening interview',
          'Collateral information from third-party sources',
          'Legal history',
          'Standardized test results',
          'Risk, needs and responsivity',
        ].map((factor) => ({ factor, present: false })),
      },
      check: (response) => expect(response.body.levelKey).toBe('3'),
    }),
    'GET /api/v1/referrals/{id}/assessments': (_role, scope) => ({ path: `/api/v1/referrals/${fx[scope].referralId}/assessments` }),

    'GET /api/v1/compliance/caseload': (role) => ({
      path:
        role === Role.Admin
          ? `/api/v1/compliance/caseload?probationOfficerId=${staff.users.probation_officer.id}`
          : '/api/v1/compliance/caseload',
      check: (response) => {
        const referralIds = JSON.stringify(response.body);
        expect(referralIds).toContain(fx.own.referralId);
        expect(referralIds).not.toContain(fx.other.referralId);
      },
    }),
    'POST /api/v1/compliance/sweep': () => ({ path: '/api/v1/compliance/sweep' }),

    'GET /api/v1/accountability/summary': (role) => ({
      path: '/api/v1/accountability/summary?from=2026-11-01&to=2026-12-31',
      check: (response) => {
        const agencyOnly = role === Role.ProbationOfficer || role === Role.CourtClerk;
        expect(response.body.scope).toBe(agencyOnly ? 'agency' : 'program');
        expect(response.body.violations).toBeGreaterThan(0);
        // A clerk's figures are her court's: the other court's man is in no list of hers.
        if (role === Role.CourtClerk) expect(JSON.stringify(response.body)).not.toContain(fx.other.caseNumber);
      },
    }),
    'GET /api/v1/accountability/export/{table}': (role) => ({
      path: '/api/v1/accountability/export/violations?from=2026-11-01&to=2026-12-31',
      check: (response) => {
        expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(response.text).toContain(fx.own.caseNumber);
        if (role === Role.CourtClerk) expect(response.text).not.toContain(fx.other.caseNumber);
        else expect(response.text).toContain(fx.other.caseNumber);
      },
    }),

    'GET /api/v1/referrals/{id}/protected-parties': (_role, scope) => ({
      path: `/api/v1/referrals/${scope === 'own' ? fx.pp.openReferral : fx.pp.sealedReferral}/protected-parties`,
      check: (response) => expect(response.body).toEqual([expect.objectContaining({ id: fx.pp.openParty, name: 'Jane OPEN' })]),
    }),
    'POST /api/v1/referrals/{id}/protected-parties': () => ({
      path: `/api/v1/referrals/${fx.pp.openReferral}/protected-parties`,
      body: partyBody(`P${next()}`),
    }),
    'PATCH /api/v1/protected-parties/{id}': (_role, scope) => ({
      path: `/api/v1/protected-parties/${scope === 'own' ? fx.pp.openParty : fx.pp.sealedParty}`,
      body: { safetyNotes: 'Call only after 7pm' },
    }),
    'GET /api/v1/advocate/referrals': () => ({
      path: '/api/v1/advocate/referrals',
      check: (response) => expect(ids(response)).toContain(fx.pp.openReferral),
    }),
    'POST /api/v1/advocate/referrals/lookup': () => ({
      path: '/api/v1/advocate/referrals/lookup',
      body: { caseNumber: fx.pp.openCase },
      check: (response) => expect(ids(response)).toEqual([fx.pp.openReferral]),
    }),
    'GET /api/v1/victim-notifications': () => ({
      path: '/api/v1/victim-notifications',
      check: (response) => expect(ids(response)).toEqual(expect.arrayContaining(fx.pp.notifications)),
    }),
    'POST /api/v1/victim-notifications/{id}/send': () => ({
      path: `/api/v1/victim-notifications/${fx.pp.notifications[0]}/send`,
      body: { message: 'I will call you on Thursday.' },
    }),
    'POST /api/v1/victim-notifications/{id}/record': () => ({
      path: `/api/v1/victim-notifications/${fx.pp.notifications[1]}/record`,
      body: { channel: 'phone', note: 'Told her by phone at 6.30pm' },
    }),
    'POST /api/v1/victim-notifications/{id}/skip': () => ({
      path: `/api/v1/victim-notifications/${fx.pp.notifications[2]}/skip`,
      body: { note: 'She asked not to be told' },
    }),
  };

  /** The notice of the caller's own scope (his, or his court's), or the same kind in another's. */
  function noticeFor(role: Role, scope: Scope): string {
    const kind = role === Role.CourtClerk ? 'courtNotice' : 'poNotice';
    return fx[scope][kind];
  }

  return calls;
}
