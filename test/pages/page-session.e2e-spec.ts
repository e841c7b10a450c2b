import { JwtService } from '@nestjs/jwt';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { Role } from '../../src/common/auth/role.enum';
import { User } from '../../src/modules/users/user.entity';
import { createStaff, createUser, Staff, TEST_PASSWORD } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, pinToday, seedReference, sessionsOf, TODAY } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { closeBrowserApp, screenshot, signIn, startBrowserApp } from './browser-harness';

describe('page sessions: cookie, idle timeout, CSRF, sign-out (Chromium)', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let staff: Staff;
  let sessionId: string;
  let enrollmentId: string;

  beforeAll(async () => {
    // As deployed behind its TLS proxy on the same host: the proxy says the request came over HTTPS.
    ({ testApp, baseUrl, browser } = await startBrowserApp({ env: { TRUST_PROXY: 'loopback' } }));
    staff = await createStaff(testApp);
    const reference = await seedReference(testApp);
    pinToday(testApp);
    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 3,
    });
    const [today] = await sessionsOf(testApp, staff, group.id, TODAY, TODAY);
    sessionId = today.id;
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id });
    ({
      enrollment: { id: enrollmentId },
    } = await enroll(testApp, staff, referral.id, group.id, TODAY));
  });

  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  async function signedIn(user: User): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    await signIn(page, baseUrl, user.email);
    return { context, page };
  }

  async function sessionCookie(context: BrowserContext) {
    return (await context.cookies()).find((cookie) => cookie.name === 'tl_session');
  }

  /** A page session as the app would have opened it (server-side row and cookie token), with a chosen age. */
  async function forgeSession(
    user: User,
    ages: { issuedSecondsAgo: number; startedSecondsAgo: number; ttlSeconds?: number },
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const iat = now - ages.issuedSecondsAgo;
    const [session] = await testApp.dataSource.query<Array<{ id: string }>>(
      `INSERT INTO auth_sessions (user_id, kind, started_at, last_seen_at)
       VALUES ($1, 'page', now() - make_interval(secs => $2), now() - make_interval(secs => $3)) RETURNING id`,
      [user.id, ages.startedSecondsAgo, ages.issuedSecondsAgo],
    );
    return new JwtService().sign(
      {
        typ: 'page',
        sid: session.id,
        sub: user.id,
        ver: 0,
        role: user.role,
        agencyId: user.agencyId,
        iat,
        exp: iat + (ages.ttlSeconds ?? 30 * 60),
      },
      { secret: testApp.config.jwtSecret, algorithm: 'HS256' },
    );
  }

  async function contextWithCookie(token: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    await context.addCookies([{ name: 'tl_session', value: token, url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    return { context, page };
  }

  const markCount = async () =>
    (
      await testApp.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM attendance_marks WHERE session_id = $1`, [
        sessionId,
      ])
    )[0].n;

  it('keeps the session in an HttpOnly, SameSite=Lax cookie that is not Secure over plain HTTP', async () => {
    const { context } = await signedIn(staff.users.facilitator);
    const cookie = await sessionCookie(context);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
    await context.close();
  });

  it('marks the cookie Secure when the request came over HTTPS through the trusted proxy', async () => {
    const form = await testApp.http.get('/login').set('X-Forwarded-Proto', 'https').expect(200);
    const nonce = form.headers['set-cookie'][0].split(';')[0];
    expect(form.headers['set-cookie'][0]).toMatch(/; Secure/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const signedIn = await testApp.http
      .post('/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', nonce)
      .type('form')
      .send({ _csrf: csrf, email: staff.users.facilitator.email, password: TEST_PASSWORD })
      .expect(303);
    const session = (signedIn.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('tl_session='))!;
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; Secure/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).toMatch(/; Max-Age=1800/);
  });

  it('refuses a form post without the CSRF token, or with a wrong one, and saves nothing', async () => {
    const { context, page } = await signedIn(staff.users.facilitator);
    const post = (form: Record<string, string>) => page.request.post(`${baseUrl}/sessions/${sessionId}/roster`, { form, maxRedirects: 0 });
    const marks = { enrollment: enrollmentId, [`status:${enrollmentId}`]: 'present' };
    const missing = await post(marks);
    expect(missing.status()).toBe(403);
    expect(await missing.text()).toContain('This form could not be accepted');
    expect((await post({ ...marks, _csrf: 'forged' })).status()).toBe(403);
    expect(await markCount()).toBe(0);
    // The same post with the page's own token goes through.
    await page.goto(`${baseUrl}/sessions/${sessionId}/roster`);
    const token = await page.locator('form.roster input[name=_csrf]').inputValue();
    expect((await post({ ...marks, _csrf: token })).status()).toBe(303);
    expect(await markCount()).toBe(1);
    await context.close();
  });

  it('refuses a sign-in post without the sign-in form’s token', async () => {
    const response = await testApp.http.post('/login').type('form').send({ email: staff.users.admin.email, password: TEST_PASSWORD });
    expect(response.status).toBe(403);
    expect(((response.headers['set-cookie'] as unknown as string[] | undefined) ?? []).some((line) => line.startsWith('tl_session='))).toBe(
      false,
    );
  });

  it('signs out after 30 minutes without activity, saying why', async () => {
    const stale = await forgeSession(staff.users.facilitator, { issuedSecondsAgo: 31 * 60, startedSecondsAgo: 40 * 60 });
    const { context, page } = await contextWithCookie(stale);
    await page.goto(`${baseUrl}/sessions`);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/login');
    expect(url.searchParams.get('reason')).toBe('idle');
    expect(url.searchParams.get('next')).toBe('/sessions');
    await expect(page.getByRole('status').innerText()).resolves.toContain('signed out after 30 minutes without activity');
    expect(await sessionCookie(context)).toBeUndefined();
    await screenshot(page, 'sign-in-after-idle');
    await context.close();
  });

  it('slides the idle timeout forward on activity', async () => {
    const aging = await forgeSession(staff.users.facilitator, { issuedSecondsAgo: 25 * 60, startedSecondsAgo: 60 * 60 });
    const { context, page } = await contextWithCookie(aging);
    const response = await page.goto(`${baseUrl}/sessions`);
    expect(response!.status()).toBe(200);
    const renewed = await sessionCookie(context);
    expect(renewed!.value).not.toBe(aging);
    const { exp } = new JwtService().decode<{ exp: number }>(renewed!.value);
    expect(exp * 1000 - Date.now()).toBeGreaterThan(29 * 60 * 1000);
    await context.close();
  });

  it('ends a session after twelve hours however active it was', async () => {
    const long = await forgeSession(staff.users.facilitator, { issuedSecondsAgo: 10, startedSecondsAgo: 13 * 60 * 60 });
    const { context, page } = await contextWithCookie(long);
    await page.goto(`${baseUrl}/sessions`);
    expect(new URL(page.url()).searchParams.get('reason')).toBe('ended');
    await context.close();
  });

  it('signs out with the button, and the old cookie no longer opens anything', async () => {
    const user = await createUser(testApp.dataSource, Role.Facilitator, staff.program.id);
    const { context, page } = await signedIn(user);
    const before = (await sessionCookie(context))!.value;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe('You have signed out.');
    const { context: replay, page: replayPage } = await contextWithCookie(before);
    await replayPage.goto(`${baseUrl}/sessions`);
    expect(new URL(replayPage.url()).pathname).toBe('/login');
    await replay.close();
    await context.close();
  });

  it('shows sign-in errors beside the fields and a wrong password plainly', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    await page.goto(`${baseUrl}/login`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('#f-email-error').innerText()).resolves.toBe('Enter your e-mail address');
    await expect(page.locator('#f-password-error').innerText()).resolves.toBe('Enter your password');
    await page.getByLabel('E-mail').fill(staff.users.admin.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toBe('E-mail or password is wrong');
    await screenshot(page, 'sign-in-error');
    await context.close();
  });

  it('sends each role home from / and refuses pages of another role with a 403 page', async () => {
    const { context, page } = await signedIn(staff.users.facilitator);
    await page.goto(`${baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/sessions');
    const refused = await page.goto(`${baseUrl}/caseload`);
    expect(refused!.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Not part of your role');
    await context.close();
  });
});
