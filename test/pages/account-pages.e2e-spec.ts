import { Browser, Page } from 'playwright-core';
import { Role } from '../../src/common/auth/role.enum';
import { mailWithLink, totpCode, freshStep } from '../accounts/account-helpers';
import { bearer, createStaff, Staff, TEST_PASSWORD } from '../helpers/fixtures';
import { TestApp } from '../helpers/test-app';
import { closeBrowserApp, screenshot, sidewaysOverflow, signIn, startBrowserApp, WIDTHS, navigatedBy } from './browser-harness';

describe('accounts in Chromium: an invitation, the second factor', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let staff: Staff;

  beforeAll(async () => {
    ({ testApp, baseUrl, browser } = await startBrowserApp());
    staff = await createStaff(testApp);
  });
  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  /** Records every Content-Security-Policy violation the browser reports on the context's pages. */
  const WATCH_CSP = `window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI));`;
  const violations = (page: Page) => page.evaluate<string[]>('window.__violations');

  /** The page fits the screen: nothing wider than the viewport. */
  async function fits(page: Page): Promise<void> {
    const overflow = await sidewaysOverflow(page);
    expect(overflow).toBeLessThanOrEqual(0);
  }

  it('an invited facilitator opens the e-mail’s link, sets his password and signs in', async () => {
    await testApp.http
      .post('/api/v1/users')
      .set(bearer(staff.tokens.admin))
      .send({ email: 'dana.new@program.test', name: 'Dana Newcomb', role: Role.Facilitator, agencyId: staff.program.id })
      .expect(201);
    const { link } = await mailWithLink(testApp, 'dana.new@program.test', '/invitation');
    // The mail's link, on the port this test app listens on.
    const opened = `${baseUrl}${link.pathname}${link.hash}`;

    for (const width of WIDTHS.slice(1)) {
      const glance = await browser.newPage({ viewport: { width, height: 900 } });
      await glance.goto(opened);
      await fits(glance);
      await screenshot(glance, `invitation-${width}`);
      await glance.close();
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(WATCH_CSP);
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    await page.goto(opened);
    await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
    // The script moved the token into the form and out of the address bar.
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.getByLabel('Code from the link in your e-mail').isVisible()).toBe(false);
    expect(await page.locator('input[name=token]').inputValue()).toBe(link.hash.slice(1));
    // The script ran (it filled the form) and the strict policy refused nothing.
    expect(await violations(page)).toEqual([]);
    await screenshot(page, 'invitation-1280');

    await page.locator('input[name=password]').fill('password1234');
    await page.locator('input[name=passwordConfirm]').fill('password1234');
    await navigatedBy(page, () => page.getByRole('button', { name: 'Set my password' }).click());
    await page.getByText('one of the most common ones').first().waitFor();
    await page.locator('input[name=password]').fill('wednesday circle by the lake');
    await page.locator('input[name=passwordConfirm]').fill('wednesday circle by the lake');
    await navigatedBy(page, () => page.getByRole('button', { name: 'Set my password' }).click());
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByText('Your password is set').waitFor();

    await page.getByLabel('E-mail').fill('dana.new@program.test');
    await page.getByLabel('Password').fill('wednesday circle by the lake');
    await navigatedBy(page, () => page.getByRole('button', { name: 'Sign in' }).click());
    expect(new URL(page.url()).pathname).toBe('/sessions');
    await page.getByText('Dana Newcomb').waitFor();
    await context.close();
  });

  it('an admin sets up the second factor with a code computed from the secret, then signs in with the code', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(WATCH_CSP);
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    await signIn(page, baseUrl, staff.users.admin.email);
    await navigatedBy(page, () => page.getByRole('link', { name: 'Second factor' }).click());
    const qr = page.locator('img.qr-code');
    await qr.waitFor();
    // The QR code is drawn (an SVG image the CSP allows), and the key is shown for typing by hand.
    expect(
      await qr.evaluate(
        (img) =>
          (img as unknown as { complete: boolean; naturalWidth: number }).complete &&
          (img as unknown as { naturalWidth: number }).naturalWidth > 0,
      ),
    ).toBe(true);
    const secret = (await page.locator('[data-secret]').innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    // The QR code is a data: image, which the strict policy allows; nothing was refused.
    expect(await violations(page)).toEqual([]);
    await screenshot(page, 'second-factor-setup-1280');

    await page.getByLabel('Code from the app').fill('000000');
    await navigatedBy(page, () => page.getByRole('button', { name: 'Turn on the second factor' }).click());
    await page.getByText('That code is not right').first().waitFor();
    await freshStep();
    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await navigatedBy(page, () => page.getByRole('button', { name: 'Turn on the second factor' }).click());
    await page.getByText('The second factor is set up').waitFor();
    const codes = await page.locator('[data-recovery-codes] code').allInnerTexts();
    expect(codes).toHaveLength(10);
    await screenshot(page, 'second-factor-recovery-codes-1280');
    await navigatedBy(page, () => page.getByRole('link', { name: /continue/ }).click());
    expect(new URL(page.url()).pathname).toBe('/referrals');

    // Sign out, and in again: the password, then the code.
    await navigatedBy(page, () => page.getByRole('button', { name: 'Sign out' }).click());
    await page.getByLabel('E-mail').fill(staff.users.admin.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await navigatedBy(page, () => page.getByRole('button', { name: 'Sign in' }).click());
    expect(new URL(page.url()).pathname).toBe('/login/code');
    await screenshot(page, 'second-factor-code-1280');
    await page.getByLabel('Code').fill(totpCode(secret, 1));
    await navigatedBy(page, () => page.getByRole('button', { name: 'Sign in' }).click());
    expect(new URL(page.url()).pathname).toBe('/referrals');

    for (const width of WIDTHS.slice(1)) {
      const narrow = await context.newPage();
      await narrow.setViewportSize({ width, height: 900 });
      await narrow.goto(`${baseUrl}/account/second-factor`);
      await narrow.getByText('Recovery codes left: 10').waitFor();
      await fits(narrow);
      await screenshot(narrow, `second-factor-status-${width}`);
      await narrow.close();
    }
    await context.close();
  });

  it('a forgotten password: the link on the sign-in page leads to the request form', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${baseUrl}/login`);
    await navigatedBy(page, () => page.getByRole('link', { name: 'Forgot password?' }).click());
    await page.getByLabel('E-mail').fill(staff.users.probation_officer.email);
    await navigatedBy(page, () => page.getByRole('button', { name: 'Send the link' }).click());
    await page.getByText('an e-mail with a link is on its way').waitFor();
    await fits(page);
    await screenshot(page, 'password-reset-sent-390');
    const { link } = await mailWithLink(testApp, staff.users.probation_officer.email, '/password-reset/new');
    await page.goto(`${baseUrl}${link.pathname}${link.hash}`);
    await page.locator('input[name=password]').fill('probation office on superior street');
    await page.locator('input[name=passwordConfirm]').fill('probation office on superior street');
    await navigatedBy(page, () => page.getByRole('button', { name: 'Set the new password' }).click());
    await page.getByText('Your new password is set').waitFor();
    await page.close();
  });
});
