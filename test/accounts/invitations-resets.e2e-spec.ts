import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { Role } from '../../src/common/auth/role.enum';
import { UsersService } from '../../src/modules/user-admin/users.service';
import { bearer, createAgency, createStaff, signIn, Staff, TEST_PASSWORD } from '../helpers/fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';
import { mailsTo, mailWithLink } from './account-helpers';

/**
 * Invitations and password resets through the API, with the links taken from the e-mails the
 * in-process SMTP server received (the outbox sends them after commit, never inside the request).
 */
describe('invitations and password resets', () => {
  let testApp: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    testApp = await startTestApp();
    staff = await createStaff(testApp);
  });
  afterAll(async () => {
    await testApp.close();
  });

  const invite = (email: string, role = Role.Facilitator, agencyId = staff.program.id) =>
    testApp.http.post('/api/v1/users').set(bearer(staff.tokens.admin)).send({ email, name: 'Sam Invited', role, agencyId });

  const tokenOf = (link: URL) => link.hash.slice(1);

  describe('invitation', () => {
    it('creates the user inactive, e-mails a single-use link that sets his password, and he signs in', async () => {
      const created = await invite('sam.invited@program.test').expect(201);
      expect(created.body).toMatchObject({ email: 'sam.invited@program.test', active: false });
      // Not yet: no password, no sign-in.
      await testApp.http
        .post('/api/v1/auth/login')
        .send({ email: 'sam.invited@program.test', password: 'anything at all 123' })
        .expect(401);

      const { link } = await mailWithLink(testApp, 'sam.invited@program.test', '/invitation');
      expect(link.origin + link.pathname).toBe(`${testApp.config.publicUrl}/invitation`);
      // The token is in the fragment: the page's address as a server (or its log) sees it holds none.
      const page = await testApp.http.get(link.pathname + link.search).expect(200);
      expect(page.text).toContain('Choose your password');
      // Only a hash is stored.
      const [stored] = await testApp.dataSource.query(`SELECT token_hash, expires_at FROM account_links WHERE user_id = $1`, [
        created.body.id,
      ]);
      expect(stored.token_hash).not.toContain(tokenOf(link));
      expect(new Date(stored.expires_at).getTime() - Date.now()).toBeGreaterThan(71.9 * 3600_000);

      await testApp.http
        .post('/api/v1/auth/invitation/accept')
        .send({ token: tokenOf(link), password: 'password1234' })
        .expect(422)
        .expect((response) => expect(response.body.details.fields.password[0]).toMatch(/common/));
      await testApp.http
        .post('/api/v1/auth/invitation/accept')
        .send({ token: tokenOf(link), password: 'lake superior in november' })
        .expect(200);
      const token = await signIn(testApp, 'sam.invited@program.test', 'lake superior in november');
      const me = await testApp.http.get('/api/v1/auth/me').set(bearer(token)).expect(200);
      expect(me.body.role).toBe('facilitator');
      // Single use.
      await testApp.http
        .post('/api/v1/auth/invitation/accept')
        .send({ token: tokenOf(link), password: 'another fine password' })
        .expect(422)
        .expect((response) => expect(response.body.code).toBe('LINK_INVALID'));
      expect(testApp.logs.join('')).not.toContain(tokenOf(link));
    });

    it('re-sends with a new link; the first one no longer works; refused once accepted', async () => {
      const created = await invite('kim.resend@program.test').expect(201);
      const first = await mailWithLink(testApp, 'kim.resend@program.test', '/invitation');
      const state = (await testApp.app.get(UsersService).accountStates([created.body.id])).get(created.body.id)!;
      expect(state.invited).toBe(true);
      expect(state.invitationExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 71 * 3600_000);
      await testApp.http.post(`/api/v1/users/${created.body.id}/invitation`).set(bearer(staff.tokens.admin)).expect(200);
      const second = await mailWithLink(testApp, 'kim.resend@program.test', '/invitation', 1);
      expect(tokenOf(second.link)).not.toBe(tokenOf(first.link));
      await testApp.http
        .post('/api/v1/auth/invitation/accept')
        .send({ token: tokenOf(first.link), password: 'a walk along the lake' })
        .expect(422);
      await testApp.http
        .post('/api/v1/auth/invitation/accept')
        .send({ token: tokenOf(second.link), password: 'a walk along the lake' })
        .expect(200);
      await testApp.http.post(`/api/v1/users/${created.body.id}/invitation`).set(bearer(staff.tokens.admin)).expect(409);
      expect((await testApp.app.get(UsersService).accountStates([created.body.id])).get(created.body.id)).toMatchObject({
        invited: false,
        invitationExpiresAt: null,
      });
    });

    it('refuses the invitation of a user the admin deactivated meanwhile', async () => {
      const created = await invite('changed.mind@program.test').expect(201);
      const { link } = await mailWithLink(testApp, 'changed.mind@program.test', '/invitation');
      await testApp.http.patch(`/api/v1/users/${created.body.id}`).set(bearer(staff.tokens.admin)).send({ active: false }).expect(200);
      await testApp.http
        .post('/api/v1/auth/invitation/accept')
        .send({ token: tokenOf(link), password: 'a walk along the lake' })
        .expect(422);
    });

    it('refuses an expired invitation', async () => {
      const created = await invite('lee.late@program.test').expect(201);
      const { link } = await mailWithLink(testApp, 'lee.late@program.test', '/invitation');
      await testApp.dataSource.query(`UPDATE account_links SET expires_at = now() - interval '1 minute' WHERE user_id = $1`, [
        created.body.id,
      ]);
      await testApp.http
        .post('/api/v1/auth/invitation/accept')
        .send({ token: tokenOf(link), password: 'a walk along the lake' })
        .expect(422);
    });

    it('still creates an active user at once when the admin gives a password, and refuses a weak one', async () => {
      const body = { email: 'scripted@program.test', name: 'Scripted User', role: Role.Facilitator, agencyId: staff.program.id };
      await testApp.http
        .post('/api/v1/users')
        .set(bearer(staff.tokens.admin))
        .send({ ...body, password: 'qwertyuiopasdf' })
        .expect(422)
        .expect((response) => expect(response.body.details.fields.password).toHaveLength(1));
      await testApp.http
        .post('/api/v1/users')
        .set(bearer(staff.tokens.admin))
        .send({ ...body, password: 'short' })
        .expect(400);
      const created = await testApp.http
        .post('/api/v1/users')
        .set(bearer(staff.tokens.admin))
        .send({ ...body, password: TEST_PASSWORD })
        .expect(201);
      expect(created.body.active).toBe(true);
      expect(mailsTo(testApp, 'scripted@program.test')).toBe(0);
    });

    it('refuses a weak new password on change-password too', async () => {
      const response = await testApp.http
        .post('/api/v1/auth/password')
        .set(bearer(await signIn(testApp, staff.users.court_clerk.email)))
        .send({ currentPassword: TEST_PASSWORD, newPassword: 'iloveyou1234567' })
        .expect(422);
      expect(response.body.details.fields.newPassword).toHaveLength(1);
    });
  });

  describe('password reset', () => {
    it('answers the same for an unknown address, and sends nothing there', async () => {
      const known = await testApp.http.post('/api/v1/auth/password-reset').send({ email: staff.users.advocate.email }).expect(202);
      const unknown = await testApp.http.post('/api/v1/auth/password-reset').send({ email: 'nobody@nowhere.test' }).expect(202);
      expect(unknown.body).toEqual(known.body);
      await mailWithLink(testApp, staff.users.advocate.email, '/password-reset/new');
      expect(mailsTo(testApp, 'nobody@nowhere.test')).toBe(0);
    });

    it('sets a new password once, ends every session, and refuses the link again', async () => {
      const po = staff.users.probation_officer;
      const before = await signIn(testApp, po.email);
      await testApp.http.post('/api/v1/auth/password-reset').send({ email: po.email }).expect(202);
      const { link } = await mailWithLink(testApp, po.email, '/password-reset/new');
      expect(link.pathname).toBe('/password-reset/new');
      await testApp.http
        .post('/api/v1/auth/password-reset/confirm')
        .send({ token: link.hash.slice(1), password: 'probation office coffee' })
        .expect(200);
      await testApp.http.get('/api/v1/auth/me').set(bearer(before)).expect(401);
      await testApp.http.get('/api/v1/auth/me').set(bearer(staff.tokens.probation_officer)).expect(401);
      const [ended] = await testApp.dataSource.query(
        `SELECT count(*)::int AS n FROM auth_sessions WHERE user_id = $1 AND end_reason = 'password_reset'`,
        [po.id],
      );
      expect(ended.n).toBeGreaterThanOrEqual(2);
      await signIn(testApp, po.email, 'probation office coffee');
      await testApp.http.post('/api/v1/auth/login').send({ email: po.email, password: TEST_PASSWORD }).expect(401);
      await testApp.http
        .post('/api/v1/auth/password-reset/confirm')
        .send({ token: link.hash.slice(1), password: 'yet another new password' })
        .expect(422);
    });

    it('refuses an expired link (30 minutes)', async () => {
      const program = await createAgency(testApp.dataSource, AgencyKind.Program);
      const user = (
        await testApp.http
          .post('/api/v1/users')
          .set(bearer(staff.tokens.admin))
          .send({
            email: 'forgetful@program.test',
            name: 'Forgetful Fran',
            role: Role.Facilitator,
            agencyId: program.id,
            password: TEST_PASSWORD,
          })
          .expect(201)
      ).body;
      await testApp.http.post('/api/v1/auth/password-reset').send({ email: 'forgetful@program.test' }).expect(202);
      const { link } = await mailWithLink(testApp, 'forgetful@program.test', '/password-reset/new');
      const [row] = await testApp.dataSource.query(`SELECT expires_at - created_at AS lifetime FROM account_links WHERE user_id = $1`, [
        user.id,
      ]);
      expect(row.lifetime).toMatchObject({ minutes: 30 });
      await testApp.dataSource.query(`UPDATE account_links SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
      await testApp.http
        .post('/api/v1/auth/password-reset/confirm')
        .send({ token: link.hash.slice(1), password: 'a walk along the lake' })
        .expect(422);
      await signIn(testApp, 'forgetful@program.test');
    });

    it('limits requests per address, counting unknown addresses the same', async () => {
      for (const email of ['limit.me@nowhere.test', staff.users.coordinator.email]) {
        for (let i = 0; i < 3; i++) await testApp.http.post('/api/v1/auth/password-reset').send({ email }).expect(202);
        const limited = await testApp.http.post('/api/v1/auth/password-reset').send({ email }).expect(429);
        expect(limited.body.code).toBe('RESET_RATE_LIMITED');
      }
    });
  });
});

describe('the reset and invitation pages, as a person uses them', () => {
  let testApp: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    testApp = await startTestApp();
    staff = await createStaff(testApp);
  });
  afterAll(async () => {
    await testApp.close();
  });

  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
  const nonceOf = (response: { headers: Record<string, unknown> }) =>
    ((response.headers['set-cookie'] as string[] | undefined) ?? []).find((line) => line.startsWith('tl_login='))?.split(';')[0];

  it('Forgot password? → e-mail → the link’s page → a new password → sign in; the old sessions have ended', async () => {
    const clerk = staff.users.court_clerk;
    const login = await testApp.http.get('/login').expect(200);
    expect(login.text).toContain('href="/password-reset"');
    const nonce = nonceOf(login)!;
    const form = await testApp.http.get('/password-reset').set('Cookie', nonce).expect(200);
    const sent = await testApp.http
      .post('/password-reset')
      .set('Cookie', nonce)
      .type('form')
      .send({ _csrf: csrfOf(form.text), email: clerk.email })
      .expect(200);
    expect(sent.text).toContain('an e-mail with a link is on its way');
    const unknown = await testApp.http
      .post('/password-reset')
      .set('Cookie', nonce)
      .type('form')
      .send({ _csrf: csrfOf(form.text), email: 'nobody@nowhere.test' })
      .expect(200);
    expect(unknown.text.replace('nobody@nowhere.test', clerk.email)).toBe(sent.text);

    const { link } = await mailWithLink(testApp, clerk.email, '/password-reset/new');
    const page = await testApp.http.get(link.pathname).set('Cookie', nonce).expect(200);
    expect(page.text).toContain('Choose a new password');
    expect(page.text).toContain('data-link-token');
    const token = link.hash.slice(1);
    const mismatch = await testApp.http
      .post('/password-reset/new')
      .set('Cookie', nonce)
      .type('form')
      .send({ _csrf: csrfOf(page.text), token, password: 'court house steps at noon', passwordConfirm: 'court house steps at one' })
      .expect(400);
    expect(mismatch.text).toContain('The two passwords are not the same');
    const weak = await testApp.http
      .post('/password-reset/new')
      .set('Cookie', nonce)
      .type('form')
      .send({ _csrf: csrfOf(page.text), token, password: 'password12345', passwordConfirm: 'password12345' })
      .expect(422);
    expect(weak.text).toContain('most common');
    const done = await testApp.http
      .post('/password-reset/new')
      .set('Cookie', nonce)
      .type('form')
      .send({ _csrf: csrfOf(page.text), token, password: 'court house steps at noon', passwordConfirm: 'court house steps at noon' })
      .expect(303);
    expect(done.headers.location).toBe('/login?reason=passwordReset');
    await testApp.http.get('/api/v1/auth/me').set(bearer(staff.tokens.court_clerk)).expect(401);
    const again = await testApp.http
      .post('/password-reset/new')
      .set('Cookie', nonce)
      .type('form')
      .send({ _csrf: csrfOf(page.text), token, password: 'court house steps at one', passwordConfirm: 'court house steps at one' })
      .expect(422);
    expect(again.text).toContain('This link no longer works');
    await signIn(testApp, clerk.email, 'court house steps at noon');
    // Neither the token nor the address reached the request log.
    const logs = testApp.logs.join('');
    expect(logs).not.toContain(token);
    expect(logs).toContain('/password-reset/new');
  });

  it('an invited user sets his password on the invitation page and signs in there', async () => {
    await testApp.http
      .post('/api/v1/users')
      .set(bearer(staff.tokens.admin))
      .send({ email: 'new.facilitator@program.test', name: 'Nate Newman', role: Role.Facilitator, agencyId: staff.program.id })
      .expect(201);
    const { link } = await mailWithLink(testApp, 'new.facilitator@program.test', '/invitation');
    const page = await testApp.http.get(link.pathname).expect(200);
    const nonce = nonceOf(page)!;
    const done = await testApp.http
      .post('/invitation')
      .set('Cookie', nonce)
      .type('form')
      .send({
        _csrf: csrfOf(page.text),
        token: link.hash.slice(1),
        password: 'tuesday night group room',
        passwordConfirm: 'tuesday night group room',
      })
      .expect(303);
    expect(done.headers.location).toBe('/login?reason=passwordSet');
    const login = await testApp.http.get(done.headers.location).set('Cookie', nonce).expect(200);
    expect(login.text).toContain('Your password is set');
    const signedIn = await testApp.http
      .post('/login')
      .set('Cookie', nonce)
      .type('form')
      .send({ _csrf: csrfOf(login.text), email: 'new.facilitator@program.test', password: 'tuesday night group room' })
      .expect(303);
    expect(signedIn.headers.location).toBe('/sessions');
  });
});
