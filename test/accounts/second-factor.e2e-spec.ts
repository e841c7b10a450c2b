import { Role } from '../../src/common/auth/role.enum';
import { UsersService } from '../../src/modules/user-admin/users.service';
import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { bearer, createAgency, createStaff, createUser, signIn, Staff, TEST_PASSWORD } from '../helpers/fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';
import { freshStep, totpCode } from './account-helpers';

/** The cookie named `name` among a response's Set-Cookie lines ("name=value"), or null. */
function cookieOf(response: { headers: Record<string, unknown> }, name: string): string | null {
  const lines = (response.headers['set-cookie'] as string[] | undefined) ?? [];
  const line = lines.find((entry) => entry.startsWith(`${name}=`) && !entry.startsWith(`${name}=;`));
  return line ? line.split(';')[0] : null;
}
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

describe('second factor (TOTP)', () => {
  let testApp: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    testApp = await startTestApp();
    staff = await createStaff(testApp);
  });
  afterAll(async () => {
    await testApp.close();
  });

  const login = (email: string, code?: string, password = TEST_PASSWORD) =>
    testApp.http.post('/api/v1/auth/login').send({ email, password, ...(code ? { code } : {}) });

  /** Enrols through the API with a code computed from the secret; answers the secret and the recovery codes. */
  async function enrol(role: Role): Promise<{ secret: string; recoveryCodes: string[] }> {
    const token = staff.tokens[role];
    const started = await testApp.http.post('/api/v1/auth/second-factor').set(bearer(token)).expect(200);
    expect(started.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Throughline:/);
    expect(started.body.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(started.body.qrCode.split(',')[1], 'base64').toString()).toContain('<svg');
    const secret = started.body.secret as string;
    await freshStep();
    const confirmed = await testApp.http
      .post('/api/v1/auth/second-factor/confirm')
      .set(bearer(token))
      .send({ code: totpCode(secret) })
      .expect(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.body.recoveryCodes).size).toBe(10);
    return { secret, recoveryCodes: confirmed.body.recoveryCodes };
  }

  it('enrols, then signs in only with a right code; a wrong one and a replayed one are refused', async () => {
    const { email } = staff.users.facilitator;
    const started = await testApp.http.post('/api/v1/auth/second-factor').set(bearer(staff.tokens.facilitator)).expect(200);
    await testApp.http
      .post('/api/v1/auth/second-factor/confirm')
      .set(bearer(staff.tokens.facilitator))
      .send({ code: '000000' })
      .expect(422)
      .expect((response) => expect(response.body.details.fields.code).toHaveLength(1));
    // Not yet confirmed: sign-in needs no code.
    await login(email).expect(200);
    await freshStep();
    const { recoveryCodes } = await testApp.http
      .post('/api/v1/auth/second-factor/confirm')
      .set(bearer(staff.tokens.facilitator))
      .send({ code: totpCode(started.body.secret) })
      .expect(200)
      .then((r) => r.body);
    expect(recoveryCodes).toHaveLength(10);
    // Only hashes and a sealed secret are stored.
    const [factor] = await testApp.dataSource.query(`SELECT ciphertext::text AS sealed FROM second_factors WHERE user_id = $1`, [
      staff.users.facilitator.id,
    ]);
    expect(factor.sealed).not.toContain(started.body.secret);
    const codes = await testApp.dataSource.query(`SELECT code_hash FROM recovery_codes WHERE user_id = $1`, [staff.users.facilitator.id]);
    expect(codes.map((row: { code_hash: string }) => row.code_hash)).not.toContain(recoveryCodes[0]);

    await login(email)
      .expect(401)
      .expect((response) => expect(response.body.code).toBe('SECOND_FACTOR_REQUIRED'));
    await login(email, '123456')
      .expect(401)
      .expect((response) => expect(response.body.code).toBe('SECOND_FACTOR_WRONG'));
    // The code used to confirm is spent; the next step's code works once.
    const next = totpCode(started.body.secret, 1);
    const signedIn = await login(email, next).expect(200);
    await testApp.http.get('/api/v1/auth/me').set(bearer(signedIn.body.accessToken)).expect(200);
    await login(email, next).expect(401);
    // A right code with a wrong password is still a wrong password.
    await login(email, totpCode(started.body.secret, 1), 'not the password at all')
      .expect(401)
      .expect((response) => expect(response.body.code).toBe('INVALID_CREDENTIALS'));
  });

  it('accepts each recovery code once', async () => {
    const { recoveryCodes } = await enrol(Role.Advocate);
    const { email } = staff.users.advocate;
    await login(email, recoveryCodes[3].toUpperCase()).expect(200);
    await login(email, recoveryCodes[3]).expect(401);
    await login(email, recoveryCodes[4].replace(/-/g, ' ')).expect(200);
    const [left] = await testApp.dataSource.query(`SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, [
      staff.users.advocate.id,
    ]);
    expect(left.n).toBe(8);
    const audit = await testApp.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'auth.recovery_code_used' AND record_id = $1`,
      [staff.users.advocate.id],
    );
    expect(audit[0].n).toBe(2);
  });

  it('locks the address after five wrong codes, as after five wrong passwords; a right code is refused then too', async () => {
    const { secret } = await enrol(Role.CourtClerk);
    const { email } = staff.users.court_clerk;
    for (let attempt = 1; attempt < 5; attempt++) await login(email, '111111').expect(401);
    await login(email, '111111')
      .expect(423)
      .expect((response) => expect(response.body.code).toBe('ACCOUNT_LOCKED'));
    await login(email, totpCode(secret, 1)).expect(423);
    // The admin's unlock ends it.
    await testApp.http.post(`/api/v1/users/${staff.users.court_clerk.id}/unlock`).set(bearer(staff.tokens.admin)).expect(204);
    await login(email, totpCode(secret, 1)).expect(200);
  });

  it('lets an admin reset a user’s factor (audited): his sessions end and he signs in without a code', async () => {
    const { email, id } = staff.users.coordinator;
    await enrol(Role.Coordinator);
    const before = await login(email).expect(401);
    expect(before.body.code).toBe('SECOND_FACTOR_REQUIRED');
    await testApp.http.post(`/api/v1/users/${id}/second-factor/reset`).set(bearer(staff.tokens.admin)).expect(204);
    await testApp.http.get('/api/v1/auth/me').set(bearer(staff.tokens.coordinator)).expect(401);
    await login(email).expect(200);
    const [entry] = await testApp.dataSource.query(
      `SELECT actor_user_id, details FROM audit_entries WHERE action = 'user.second_factor_reset' AND record_id = $1`,
      [id],
    );
    expect(entry).toMatchObject({ actor_user_id: staff.users.admin.id, details: { hadFactor: true } });
    // The users page's view of him: no factor now; the admin's still there.
    const users = testApp.app.get(UsersService);
    const states = await users.accountStates([id, staff.users.advocate.id]);
    expect(states.get(id)).toEqual({ invited: false, invitationExpiresAt: null, secondFactor: false });
    expect(states.get(staff.users.advocate.id)?.secondFactor).toBe(true);
    // He may enrol again.
    staff.tokens.coordinator = await signIn(testApp, email);
    await enrol(Role.Coordinator);
  });
});

describe('second factor required for a role (SECOND_FACTOR_ROLES)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ env: { SECOND_FACTOR_ROLES: 'admin,probation_officer' } });
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('issues no API token before the factor is set up, and none without its code after', async () => {
    const program = await createAgency(testApp.dataSource, AgencyKind.Program);
    const users = {
      admin: await createUser(testApp.dataSource, Role.Admin, program.id),
      facilitator: await createUser(testApp.dataSource, Role.Facilitator, program.id),
    };
    const response = await testApp.http.post('/api/v1/auth/login').send({ email: users.admin.email, password: TEST_PASSWORD }).expect(403);
    expect(response.body.code).toBe('SECOND_FACTOR_SETUP_REQUIRED');
    // A role that does not require it signs in as before.
    await testApp.http.post('/api/v1/auth/login').send({ email: users.facilitator.email, password: TEST_PASSWORD }).expect(200);

    // On the pages: the sign-in leads to setting it up, and no other page opens meanwhile.
    const form = await testApp.http.get('/login').expect(200);
    const nonce = cookieOf(form, 'tl_login')!;
    const signedIn = await testApp.http
      .post('/login')
      .set('Cookie', nonce)
      .type('form')
      .send({ _csrf: csrfOf(form.text), email: users.admin.email, password: TEST_PASSWORD })
      .expect(303);
    expect(signedIn.headers.location).toBe('/account/second-factor');
    const session = cookieOf(signedIn, 'tl_session')!;
    await testApp.http.get('/referrals').set('Cookie', session).expect(303).expect('Location', '/account/second-factor');
    const setup = await testApp.http.get('/account/second-factor').set('Cookie', session).expect(200);
    expect(setup.text).toContain('Your role signs in with a second factor');
    const secret = /data-secret>([A-Z2-7]+)</.exec(setup.text)![1];
    expect(setup.text).toMatch(/<img class="qr-code" src="data:image\/svg\+xml;base64,/);
    await testApp.http
      .post('/account/second-factor')
      .set('Cookie', session)
      .type('form')
      .send({ _csrf: csrfOf(setup.text), code: '000000' })
      .expect(422);
    await freshStep();
    const done = await testApp.http
      .post('/account/second-factor')
      .set('Cookie', session)
      .type('form')
      .send({ _csrf: csrfOf(setup.text), code: totpCode(secret) })
      .expect(200);
    expect(done.text.match(/<li><code>[a-z0-9-]{14}<\/code><\/li>/g)).toHaveLength(10);
    const renewed = cookieOf(done, 'tl_session')!;
    await testApp.http.get('/referrals').set('Cookie', renewed).expect(200);

    // Next sign-in: password, then the code.
    const again = await testApp.http.get('/login').expect(200);
    const nonce2 = cookieOf(again, 'tl_login')!;
    const step1 = await testApp.http
      .post('/login')
      .set('Cookie', nonce2)
      .type('form')
      .send({ _csrf: csrfOf(again.text), email: users.admin.email, password: TEST_PASSWORD, next: '/groups' })
      .expect(303);
    expect(step1.headers.location).toBe('/login/code?next=%2Fgroups');
    expect(cookieOf(step1, 'tl_session')).toBeNull();
    const pending = cookieOf(step1, 'tl_factor')!;
    const codePage = await testApp.http.get(step1.headers.location).set('Cookie', [nonce2, pending]).expect(200);
    await testApp.http
      .post('/login/code')
      .set('Cookie', [nonce2, pending])
      .type('form')
      .send({ _csrf: csrfOf(codePage.text), code: '999999', next: '/groups' })
      .expect(401);
    const step2 = await testApp.http
      .post('/login/code')
      .set('Cookie', [nonce2, pending])
      .type('form')
      .send({ _csrf: csrfOf(codePage.text), code: totpCode(secret, 1), next: '/groups' })
      .expect(303);
    expect(step2.headers.location).toBe('/groups');
    await testApp.http.get('/groups').set('Cookie', cookieOf(step2, 'tl_session')!).expect(200);
    // And the API now issues a token with the code.
    await testApp.http.post('/api/v1/auth/login').send({ email: users.admin.email, password: TEST_PASSWORD }).expect(401);

    // A password changed (or the account deactivated) between the two steps: the code step starts over.
    const third = await testApp.http.get('/login').expect(200);
    const nonce3 = cookieOf(third, 'tl_login')!;
    const step1again = await testApp.http
      .post('/login')
      .set('Cookie', nonce3)
      .type('form')
      .send({ _csrf: csrfOf(third.text), email: users.admin.email, password: TEST_PASSWORD })
      .expect(303);
    const pendingAgain = cookieOf(step1again, 'tl_factor')!;
    const codePageAgain = await testApp.http.get(step1again.headers.location).set('Cookie', [nonce3, pendingAgain]).expect(200);
    await testApp.dataSource.query(`UPDATE users SET token_version = token_version + 1 WHERE id = $1`, [users.admin.id]);
    await testApp.http
      .post('/login/code')
      .set('Cookie', [nonce3, pendingAgain])
      .type('form')
      .send({ _csrf: csrfOf(codePageAgain.text), code: totpCode(secret, 2) })
      .expect(303)
      .expect('Location', '/login?reason=ended');
  });
});

describe('API_DOCS=false closes the API documentation', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({ env: { API_DOCS: 'false' } });
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('answers /docs and /docs-json with 404, and the API still works', async () => {
    await testApp.http.get('/docs').expect(404);
    await testApp.http.get('/docs-json').expect(404);
    await testApp.http.get('/health').expect(200);
  });
});
