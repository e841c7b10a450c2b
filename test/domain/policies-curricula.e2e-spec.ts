import { Role } from '../../src/common/auth/role.enum';
import { bearer, Staff } from '../helpers/fixtures';
import { createReferral, Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';

/** The eight Equality Wheel themes, in teaching order, as the seed writes them. */
const DULUTH_THEMES = [
  'Non-violence',
  'Non-threatening behaviour',
  'Respect',
  'Support and trust',
  'Accountability and honesty',
  'Sexual respect',
  'Partnership',
  'Negotiation and fairness',
];

const NON_ADMIN_ROLES = [Role.Facilitator, Role.ProbationOfficer, Role.CourtClerk, Role.Advocate];

let policyCounter = 0;

/** A complete, consistent policy body; every call gets a name (and so a key) of its own. */
function policyBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  policyCounter += 1;
  return {
    name: `County pilot program ${policyCounter} ${Math.random().toString(36).slice(2, 6)}`,
    source: 'County standard 12.4',
    requiredSessions: 26,
    sessionMinutes: 90,
    enrollWithinDays: 21,
    completeWithinMonths: 10,
    maxAbsences: 4,
    maxUnexcusedAbsences: 2,
    maxConsecutiveAbsences: 2,
    noAttendanceDays: 21,
    progressReportEveryDays: 60,
    violationReportBusinessDays: 3,
    feesRequired: false,
    ...overrides,
  };
}

describe('policies and curricula', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;

  beforeAll(async () => ({ testApp, staff, reference } = await startProgramApp()));
  afterAll(() => testApp.close());

  async function policyCount(): Promise<number> {
    const [{ n }] = await testApp.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM policies`);
    return n;
  }

  describe('policies', () => {
    it('lists the three seeded presets, current version 1 each, with the numbers of their rules', async () => {
      const response = await testApp.http.get('/api/v1/policies?limit=200').set(bearer(staff.tokens.admin)).expect(200);
      const items = response.body.items as Array<Record<string, unknown>>;
      const presets = items.filter((policy) => ['ca-pc-1203-097', 'duluth-24', 'tx-bipp'].includes(policy.key as string));
      expect(presets.map((policy) => policy.key).sort()).toEqual(['ca-pc-1203-097', 'duluth-24', 'tx-bipp']);
      expect(response.body.total).toBeGreaterThanOrEqual(3);

      const byKey = (key: string) => presets.find((policy) => policy.key === key);
      expect(byKey('ca-pc-1203-097')).toMatchObject({
        id: reference.caPolicy.id,
        version: 1,
        isCurrent: true,
        requiredSessions: 52,
        sessionMinutes: 120,
        enrollWithinDays: 30,
        completeWithinMonths: 18,
        maxAbsences: 3,
        maxUnexcusedAbsences: 3,
        maxConsecutiveAbsences: 2,
        noAttendanceDays: 14,
        progressReportEveryDays: 90,
        violationReportBusinessDays: 0,
        feesRequired: true,
      });
      expect(byKey('duluth-24')).toMatchObject({
        id: reference.duluthPolicy.id,
        version: 1,
        isCurrent: true,
        requiredSessions: 24,
        sessionMinutes: 90,
        enrollWithinDays: 14,
        completeWithinMonths: 9,
        maxAbsences: 3,
        maxUnexcusedAbsences: 2,
        maxConsecutiveAbsences: 2,
        progressReportEveryDays: 30,
        violationReportBusinessDays: 2,
        feesRequired: false,
      });
      expect(byKey('tx-bipp')).toMatchObject({
        id: reference.txPolicy.id,
        version: 1,
        isCurrent: true,
        requiredSessions: 24,
        sessionMinutes: 90,
        enrollWithinDays: 10,
        completeWithinMonths: 12,
        progressReportDayOfMonth: 10,
        feesRequired: false,
      });
    });

    it('lets an admin create a policy, which becomes version 1 and current, readable by id', async () => {
      const body = policyBody({ key: 'county-pilot-26' });
      const created = await testApp.http.post('/api/v1/policies').set(bearer(staff.tokens.admin)).send(body).expect(201);
      const { key: _key, ...numbers } = body;
      expect(created.body).toMatchObject({
        ...numbers,
        key: 'county-pilot-26',
        version: 1,
        isCurrent: true,
        createdById: staff.users.admin.id,
      });

      const fetched = await testApp.http.get(`/api/v1/policies/${created.body.id}`).set(bearer(staff.tokens.admin)).expect(200);
      expect(fetched.body).toMatchObject({ id: created.body.id, key: 'county-pilot-26', version: 1, requiredSessions: 26 });
      const listed = await testApp.http.get('/api/v1/policies?limit=200').set(bearer(staff.tokens.admin)).expect(200);
      expect(listed.body.items.map((policy: { id: string }) => policy.id)).toContain(created.body.id);
    });

    it('answers 409 when a new policy takes the key of an existing one', async () => {
      const before = await policyCount();
      const response = await testApp.http
        .post('/api/v1/policies')
        .set(bearer(staff.tokens.admin))
        .send(policyBody({ key: 'duluth-24' }))
        .expect(409);
      expect(response.body.code).toBe('POLICY_KEY_TAKEN');
      expect(await policyCount()).toBe(before);
    });

    const requiredFields = [
      'completeWithinMonths',
      'enrollWithinDays',
      'feesRequired',
      'maxAbsences',
      'maxConsecutiveAbsences',
      'maxUnexcusedAbsences',
      'name',
      'noAttendanceDays',
      'progressReportEveryDays',
      'requiredSessions',
      'sessionMinutes',
      'violationReportBusinessDays',
    ];

    it.each<[string, () => Record<string, unknown>, string[], Record<string, string[]> | null]>([
      [
        'a negative requiredSessions',
        () => policyBody({ requiredSessions: -4 }),
        ['requiredSessions'],
        {
          requiredSessions: ['requiredSessions must not be less than 1'],
        },
      ],
      ['an empty body (every required field missing)', () => ({}), requiredFields, null],
      [
        'a body missing name and sessionMinutes',
        () => {
          const { name: _name, sessionMinutes: _minutes, ...rest } = policyBody();
          return rest;
        },
        ['name', 'sessionMinutes'],
        null,
      ],
      ['an unknown field', () => policyBody({ colour: 'red' }), ['colour'], { colour: ['colour is not an allowed field'] }],
      ['a string where an integer belongs', () => policyBody({ requiredSessions: '24' }), ['requiredSessions'], null],
      [
        'a fraction where an integer belongs',
        () => policyBody({ maxAbsences: 2.5 }),
        ['maxAbsences'],
        {
          maxAbsences: ['maxAbsences must be an integer number'],
        },
      ],
      ['a string where a boolean belongs', () => policyBody({ feesRequired: 'yes' }), ['feesRequired'], null],
    ])('refuses a policy with %s: 400 naming each bad field, nothing written', async (_case, makeBody, badFields, exact) => {
      const before = await policyCount();
      const response = await testApp.http.post('/api/v1/policies').set(bearer(staff.tokens.admin)).send(makeBody()).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
      expect(Object.keys(response.body.fields).sort()).toEqual([...badFields].sort());
      for (const field of badFields) expect(response.body.fields[field].length).toBeGreaterThan(0);
      if (exact) expect(response.body.fields).toEqual(exact);
      expect(await policyCount()).toBe(before);
    });

    it('says which integer field got a string', async () => {
      const response = await testApp.http
        .post('/api/v1/policies')
        .set(bearer(staff.tokens.admin))
        .send(policyBody({ requiredSessions: '24' }))
        .expect(400);
      expect(response.body.fields.requiredSessions).toContain('requiredSessions must be an integer number');
    });

    it('refuses maxUnexcusedAbsences above maxAbsences with 422 naming the field, nothing written', async () => {
      const before = await policyCount();
      const response = await testApp.http
        .post('/api/v1/policies')
        .set(bearer(staff.tokens.admin))
        .send(policyBody({ maxAbsences: 2, maxUnexcusedAbsences: 3 }))
        .expect(422);
      expect(response.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity', code: 'POLICY_INCONSISTENT' });
      expect(response.body.details.fields).toEqual({ maxUnexcusedAbsences: ['maxUnexcusedAbsences cannot exceed maxAbsences'] });
      expect(await policyCount()).toBe(before);
    });

    it('accepts maxUnexcusedAbsences equal to maxAbsences (the limit is "not above", not "below")', async () => {
      await testApp.http
        .post('/api/v1/policies')
        .set(bearer(staff.tokens.admin))
        .send(policyBody({ maxAbsences: 3, maxUnexcusedAbsences: 3 }))
        .expect(201);
    });

    it('edits by writing version 2 under the same key; version 1 stays readable and keeps the referrals ordered under it', async () => {
      const original = policyBody({ requiredSessions: 26, enrollWithinDays: 21 });
      const v1 = (await testApp.http.post('/api/v1/policies').set(bearer(staff.tokens.admin)).send(original).expect(201)).body;
      const referral = await createReferral(testApp, staff, { policyId: v1.id, orderedOn: '2026-11-10' });
      expect(referral.enrollBy).toBe('2026-12-01');

      const edited = { ...original, requiredSessions: 30, enrollWithinDays: 7 };
      const v2 = (await testApp.http.put(`/api/v1/policies/${v1.id}`).set(bearer(staff.tokens.admin)).send(edited).expect(200)).body;
      expect(v2).toMatchObject({ key: v1.key, version: 2, isCurrent: true, requiredSessions: 30, enrollWithinDays: 7 });
      expect(v2.id).not.toBe(v1.id);

      const oldVersion = await testApp.http.get(`/api/v1/policies/${v1.id}`).set(bearer(staff.tokens.admin)).expect(200);
      expect(oldVersion.body).toMatchObject({
        id: v1.id,
        key: v1.key,
        version: 1,
        isCurrent: false,
        requiredSessions: 26,
        enrollWithinDays: 21,
      });

      const current = await testApp.http.get('/api/v1/policies?limit=200').set(bearer(staff.tokens.admin)).expect(200);
      const currentOfKey = current.body.items.filter((policy: { key: string }) => policy.key === v1.key);
      expect(currentOfKey.map((policy: { id: string }) => policy.id)).toEqual([v2.id]);

      const history = await testApp.http.get(`/api/v1/policies?key=${v1.key}`).set(bearer(staff.tokens.admin)).expect(200);
      expect(history.body.items.map((policy: { version: number }) => policy.version)).toEqual([2, 1]);
      expect(history.body.total).toBe(2);

      const read = await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(bearer(staff.tokens.admin)).expect(200);
      expect(read.body.policy).toMatchObject({ id: v1.id, key: v1.key, version: 1, requiredSessions: 26 });
      expect(read.body.enrollBy).toBe('2026-12-01');
      expect(read.body.compliance.sessionsRequired).toBe(26);
    });

    it('numbers a further edit version 3 even when made from version 1', async () => {
      const fields = policyBody();
      const v1 = (await testApp.http.post('/api/v1/policies').set(bearer(staff.tokens.admin)).send(fields).expect(201)).body;
      await testApp.http.put(`/api/v1/policies/${v1.id}`).set(bearer(staff.tokens.admin)).send(fields).expect(200);
      const v3 = await testApp.http
        .put(`/api/v1/policies/${v1.id}`)
        .set(bearer(staff.tokens.admin))
        .send({ ...fields, requiredSessions: 20 })
        .expect(200);
      expect(v3.body).toMatchObject({ key: v1.key, version: 3, isCurrent: true, requiredSessions: 20 });
      const history = await testApp.http.get(`/api/v1/policies?key=${v1.key}`).set(bearer(staff.tokens.admin)).expect(200);
      expect(history.body.items.map((policy: { version: number; isCurrent: boolean }) => [policy.version, policy.isCurrent])).toEqual([
        [3, true],
        [2, false],
        [1, false],
      ]);
    });

    it('validates an edit like a creation: 400 per field, 422 when inconsistent, 404 for an unknown policy', async () => {
      const v1 = (await testApp.http.post('/api/v1/policies').set(bearer(staff.tokens.admin)).send(policyBody()).expect(201)).body;
      const fields = policyBody();
      const before = await policyCount();

      const bad = await testApp.http
        .put(`/api/v1/policies/${v1.id}`)
        .set(bearer(staff.tokens.admin))
        .send({ ...fields, requiredSessions: 0, key: 'renamed' })
        .expect(400);
      expect(bad.body.fields).toEqual({
        key: ['key is not an allowed field'],
        requiredSessions: ['requiredSessions must not be less than 1'],
      });

      const inconsistent = await testApp.http
        .put(`/api/v1/policies/${v1.id}`)
        .set(bearer(staff.tokens.admin))
        .send({ ...fields, maxAbsences: 1, maxUnexcusedAbsences: 2 })
        .expect(422);
      expect(inconsistent.body.details.fields.maxUnexcusedAbsences).toEqual(['maxUnexcusedAbsences cannot exceed maxAbsences']);

      await testApp.http
        .put('/api/v1/policies/00000000-0000-4000-8000-000000000000')
        .set(bearer(staff.tokens.admin))
        .send(fields)
        .expect(404);
      expect(await policyCount()).toBe(before);
      const fetched = await testApp.http.get(`/api/v1/policies/${v1.id}`).set(bearer(staff.tokens.admin)).expect(200);
      expect(fetched.body).toMatchObject({ version: 1, isCurrent: true });
    });

    it('answers 404 for an unknown policy id and 400 for a malformed one', async () => {
      const unknown = await testApp.http
        .get('/api/v1/policies/00000000-0000-4000-8000-000000000000')
        .set(bearer(staff.tokens.admin))
        .expect(404);
      expect(unknown.body.code).toBe('POLICY_NOT_FOUND');
      await testApp.http.get('/api/v1/policies/not-a-uuid').set(bearer(staff.tokens.admin)).expect(400);
    });

    it.each(NON_ADMIN_ROLES)('lets the %s role read policies but answers 403 to creating or editing one', async (role) => {
      const token = staff.tokens[role];
      const list = await testApp.http.get('/api/v1/policies').set(bearer(token)).expect(200);
      expect(list.body.items.map((policy: { key: string }) => policy.key)).toEqual(expect.arrayContaining(['duluth-24']));
      const one = await testApp.http.get(`/api/v1/policies/${reference.duluthPolicy.id}`).set(bearer(token)).expect(200);
      expect(one.body.key).toBe('duluth-24');

      const before = await policyCount();
      const created = await testApp.http.post('/api/v1/policies').set(bearer(token)).send(policyBody()).expect(403);
      expect(created.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      const fields = policyBody();
      await testApp.http.put(`/api/v1/policies/${reference.duluthPolicy.id}`).set(bearer(token)).send(fields).expect(403);
      expect(await policyCount()).toBe(before);
    });

    it('answers 401 without a token, to reading as to writing', async () => {
      const response = await testApp.http.get('/api/v1/policies').expect(401);
      expect(response.body.code).toBe('SIGN_IN_REQUIRED');
      await testApp.http.get(`/api/v1/policies/${reference.caPolicy.id}`).expect(401);
      await testApp.http.post('/api/v1/policies').send(policyBody()).expect(401);
      const fields = policyBody();
      await testApp.http.put(`/api/v1/policies/${reference.caPolicy.id}`).send(fields).expect(401);
    });
  });

  describe('curricula', () => {
    it('lists the seeded Duluth curriculum with 24 units and the eight Equality Wheel themes in teaching order', async () => {
      const response = await testApp.http.get('/api/v1/curricula').set(bearer(staff.tokens.admin)).expect(200);
      expect(response.body.total).toBe(1);
      expect(response.body.items).toHaveLength(1);
      expect(response.body.items[0]).toEqual({
        id: reference.duluth.id,
        name: 'Duluth Model — Creating a Process of Change for Men Who Batter',
        description: expect.any(String),
        unitCount: 24,
        themes: DULUTH_THEMES,
      });
    });

    it('shows one curriculum with its 24 units at positions 1 to 24, three per theme in order', async () => {
      const response = await testApp.http.get(`/api/v1/curricula/${reference.duluth.id}`).set(bearer(staff.tokens.admin)).expect(200);
      const units = response.body.units as Array<{ id: string; position: number; theme: string; title: string }>;
      expect(response.body).toMatchObject({ id: reference.duluth.id, name: expect.stringContaining('Duluth') });
      expect(units).toHaveLength(24);
      expect(units.map((unit) => unit.position)).toEqual(Array.from({ length: 24 }, (_, index) => index + 1));
      expect(units.map((unit) => unit.theme)).toEqual(DULUTH_THEMES.flatMap((theme) => [theme, theme, theme]));
      expect(new Set(units.map((unit) => unit.id)).size).toBe(24);
      expect(new Set(units.map((unit) => unit.title)).size).toBe(24);
      expect(units[0].title).toBe('What is violence: the Power and Control Wheel');
      expect(units[23].title).toBe('Accepting change and compromise');
    });

    it('answers 404 for an unknown curriculum and 400 for a malformed id', async () => {
      const unknown = await testApp.http
        .get('/api/v1/curricula/00000000-0000-4000-8000-000000000000')
        .set(bearer(staff.tokens.admin))
        .expect(404);
      expect(unknown.body).toMatchObject({ statusCode: 404, code: 'CURRICULUM_NOT_FOUND' });
      const malformed = await testApp.http.get('/api/v1/curricula/duluth').set(bearer(staff.tokens.admin)).expect(400);
      expect(malformed.body.statusCode).toBe(400);
    });

    it.each(NON_ADMIN_ROLES)('lets the %s role read the curriculum', async (role) => {
      const list = await testApp.http.get('/api/v1/curricula').set(bearer(staff.tokens[role])).expect(200);
      expect(list.body.items[0].unitCount).toBe(24);
      const one = await testApp.http.get(`/api/v1/curricula/${reference.duluth.id}`).set(bearer(staff.tokens[role])).expect(200);
      expect(one.body.units).toHaveLength(24);
    });

    it('answers 401 to reading curricula without a token', async () => {
      await testApp.http.get('/api/v1/curricula').expect(401);
      await testApp.http.get(`/api/v1/curricula/${reference.duluth.id}`).expect(401);
    });
  });
});
