import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, createStaff, Staff, TEST_PASSWORD } from '../helpers/fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('agencies and users (admin only)', () => {
  let testApp: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    testApp = await startTestApp();
    staff = await createStaff(testApp);
  });
  afterAll(() => testApp.close());

  it('lets an admin create a court with its notice address and list it', async () => {
    const created = await testApp.http
      .post('/api/v1/agencies')
      .set(bearer(staff.tokens.admin))
      .send({ name: 'Lake County Court', kind: 'court', noticeEmail: 'Clerk@Lake.example.gov' })
      .expect(201);
    expect(created.body).toMatchObject({ name: 'Lake County Court', kind: 'court', noticeEmail: 'clerk@lake.example.gov' });

    const list = await testApp.http.get('/api/v1/agencies?kind=court&limit=50').set(bearer(staff.tokens.admin)).expect(200);
    expect(list.body.total).toBe(2);
    expect(list.body.items.map((agency: { name: string }) => agency.name)).toContain('Lake County Court');
  });

  it.each([Role.Facilitator, Role.ProbationOfficer, Role.CourtClerk, Role.Advocate])(
    'answers 403 when a %s tries to list or create agencies and users',
    async (role) => {
      const token = staff.tokens[role];
      await testApp.http.get('/api/v1/agencies').set(bearer(token)).expect(403);
      await testApp.http
        .post('/api/v1/agencies')
        .set(bearer(token))
        .send({ name: 'X court', kind: 'court', noticeEmail: 'x@x.test' })
        .expect(403);
      await testApp.http.get('/api/v1/users').set(bearer(token)).expect(403);
      const response = await testApp.http
        .post('/api/v1/users')
        .set(bearer(token))
        .send({ email: 'new@x.test', name: 'New', role: 'admin', agencyId: staff.program.id, password: TEST_PASSWORD })
        .expect(403);
      expect(response.body).toEqual({ statusCode: 403, error: 'Forbidden', message: 'Your role may not do this', code: 'FORBIDDEN' });
    },
  );

  it('answers 401 without a token', async () => {
    const response = await testApp.http.get('/api/v1/users').expect(401);
    expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'SIGN_IN_REQUIRED' });
  });

  it('gives field-level messages for a bad agency and writes nothing', async () => {
    const before = await testApp.http.get('/api/v1/agencies').set(bearer(staff.tokens.admin));
    const response = await testApp.http
      .post('/api/v1/agencies')
      .set(bearer(staff.tokens.admin))
      .send({ name: '', kind: 'jail', noticeEmail: 'not-an-email', color: 'red' })
      .expect(400);
    expect(response.body.statusCode).toBe(400);
    expect(response.body.error).toBe('Bad Request');
    expect(response.body.fields).toEqual({
      color: ['color is not an allowed field'],
      name: ['name must be longer than or equal to 2 characters'],
      kind: ['kind must be one of: court, probation, program, advocacy'],
      noticeEmail: ['noticeEmail must be an e-mail address'],
    });
    expect(response.body.fields.kind).toEqual(['kind must be one of: court, probation, program, advocacy']);
    expect(response.body.fields.color).toEqual(['color is not an allowed field']);
    const after = await testApp.http.get('/api/v1/agencies').set(bearer(staff.tokens.admin));
    expect(after.body.total).toBe(before.body.total);
  });

  it('refuses a court without a notice address with 422', async () => {
    const response = await testApp.http
      .post('/api/v1/agencies')
      .set(bearer(staff.tokens.admin))
      .send({ name: 'Silent Court', kind: AgencyKind.Court })
      .expect(422);
    expect(response.body.code).toBe('NOTICE_EMAIL_REQUIRED');
  });

  it('creates a user who can then sign in, never showing the password hash', async () => {
    const created = await testApp.http
      .post('/api/v1/users')
      .set(bearer(staff.tokens.admin))
      .send({
        email: 'New.PO@Probation.test',
        name: 'New Officer',
        role: 'probation_officer',
        agencyId: staff.probation.id,
        password: 'a long enough password',
      })
      .expect(201);
    expect(created.body).toMatchObject({ email: 'new.po@probation.test', role: 'probation_officer', agencyId: staff.probation.id });
    expect(JSON.stringify(created.body)).not.toMatch(/hash|argon/i);

    const login = await testApp.http
      .post('/api/v1/auth/login')
      .send({ email: 'new.po@probation.test', password: 'a long enough password' })
      .expect(200);
    expect(login.body.user).toMatchObject({ id: created.body.id, role: 'probation_officer', agencyId: staff.probation.id });

    const fetched = await testApp.http.get(`/api/v1/users/${created.body.id}`).set(bearer(staff.tokens.admin)).expect(200);
    expect(fetched.body.email).toBe('new.po@probation.test');
  });

  it('answers 409 for an e-mail already in use', async () => {
    const response = await testApp.http
      .post('/api/v1/users')
      .set(bearer(staff.tokens.admin))
      .send({
        email: staff.users.admin.email.toUpperCase(),
        name: 'Twin',
        role: 'admin',
        agencyId: staff.program.id,
        password: TEST_PASSWORD,
      })
      .expect(409);
    expect(response.body.code).toBe('EMAIL_TAKEN');
  });

  it('answers 422 when the role does not fit the agency', async () => {
    const response = await testApp.http
      .post('/api/v1/users')
      .set(bearer(staff.tokens.admin))
      .send({ email: 'clerk@wrong.test', name: 'Wrong Place', role: 'court_clerk', agencyId: staff.probation.id, password: TEST_PASSWORD })
      .expect(422);
    expect(response.body.code).toBe('ROLE_AGENCY_MISMATCH');
    expect(response.body.details.fields.agencyId).toEqual(['a court_clerk belongs to a court agency']);
  });

  it('gives field messages for a bad user, a short password included', async () => {
    const response = await testApp.http
      .post('/api/v1/users')
      .set(bearer(staff.tokens.admin))
      .send({ email: 'nope', name: 'N', role: 'judge', agencyId: 'not-a-uuid', password: 'short' })
      .expect(400);
    expect(response.body.fields).toMatchObject({
      email: ['email must be an e-mail address'],
      role: ['role must be one of: admin, facilitator, probation_officer, court_clerk, advocate'],
      agencyId: ['agencyId must be a UUID'],
      password: ['password must be at least 12 characters'],
    });
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    await testApp.http.get('/api/v1/users/12345').set(bearer(staff.tokens.admin)).expect(400);
    await testApp.http.get('/api/v1/agencies/00000000-0000-4000-8000-000000000000').set(bearer(staff.tokens.admin)).expect(404);
  });

  it('pages lists with limit and offset and refuses a limit over 200', async () => {
    const page = await testApp.http.get('/api/v1/users?limit=2&offset=1').set(bearer(staff.tokens.admin)).expect(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThanOrEqual(5);
    const bad = await testApp.http.get('/api/v1/users?limit=5000').set(bearer(staff.tokens.admin)).expect(400);
    expect(bad.body.fields.limit).toEqual(['limit must not be greater than 200']);
  });

  it('lets an admin correct an agency’s notice address and a user’s e-mail, audited; others get 403', async () => {
    const patched = await testApp.http
      .patch(`/api/v1/agencies/${staff.court.id}`)
      .set(bearer(staff.tokens.admin))
      .send({ noticeEmail: 'New-Clerk@Court.test' })
      .expect(200);
    expect(patched.body.noticeEmail).toBe('new-clerk@court.test');
    // The kind is a correction for an agency nothing depends on yet; this court has a clerk.
    const kind = await testApp.http
      .patch(`/api/v1/agencies/${staff.court.id}`)
      .set(bearer(staff.tokens.admin))
      .send({ kind: 'program' })
      .expect(422);
    expect(kind.body.code).toBe('AGENCY_KIND_IN_USE');
    expect(kind.body.message).toMatch(/^The kind cannot change: 1 user depends on /);
    await testApp.http
      .patch(`/api/v1/agencies/${staff.court.id}`)
      .set(bearer(staff.tokens.court_clerk))
      .send({ name: 'Mine now' })
      .expect(403);
    const [audit] = await testApp.dataSource.query(`SELECT details FROM audit_entries WHERE action = 'agency.update' AND record_id = $1`, [
      staff.court.id,
    ]);
    expect(audit.details).toEqual({ fields: ['noticeEmail'] });

    const user = await testApp.http
      .patch(`/api/v1/users/${staff.users.advocate.id}`)
      .set(bearer(staff.tokens.admin))
      .send({ name: 'Renamed Advocate' })
      .expect(200);
    expect(user.body.name).toBe('Renamed Advocate');
    const taken = await testApp.http
      .patch(`/api/v1/users/${staff.users.advocate.id}`)
      .set(bearer(staff.tokens.admin))
      .send({ email: staff.users.admin.email })
      .expect(409);
    expect(taken.body.code).toBe('EMAIL_TAKEN');
  });

  it('signs a deactivated user out at once and refuses his sign-in', async () => {
    await testApp.http.get('/api/v1/auth/me').set(bearer(staff.tokens.advocate)).expect(200);
    await testApp.http
      .patch(`/api/v1/users/${staff.users.advocate.id}`)
      .set(bearer(staff.tokens.admin))
      .send({ active: false })
      .expect(200);
    await testApp.http.get('/api/v1/auth/me').set(bearer(staff.tokens.advocate)).expect(401);
    await testApp.http.post('/api/v1/auth/login').send({ email: staff.users.advocate.email, password: TEST_PASSWORD }).expect(401);
  });
});
