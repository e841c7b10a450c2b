import { Browser, Page } from 'playwright-core';
import { Staff, createStaff } from '../helpers/fixtures';
import { pinToday, Reference, seedReference } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { acknowledgeLink, groupWithSessions, mailOf, violation } from '../recipients/recipient-helpers';
import { closeBrowserApp, MEN, screenshot, signIn, startBrowserApp, navigatedBy } from './browser-harness';

/** The recipients' side in a real browser: the e-mail's link, the inbox, the coordinator's view. */
describe('notice page, inbox and the coordinator (Chromium)', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let staff: Staff;
  let reference: Reference;
  let men: Array<Awaited<ReturnType<typeof violation>>>;

  beforeAll(async () => {
    ({ testApp, baseUrl, browser } = await startBrowserApp());
    staff = await createStaff(testApp);
    reference = await seedReference(testApp);
    pinToday(testApp);
    await testApp.dataSource.query(`UPDATE agencies SET name = 'St. Louis County District Court' WHERE id = $1`, [staff.court.id]);
    await testApp.dataSource.query(`UPDATE users SET name = 'Maria Santos' WHERE id = $1`, [staff.users.probation_officer.id]);
    await testApp.dataSource.query(`UPDATE users SET name = 'Joan Becker' WHERE id = $1`, [staff.users.court_clerk.id]);
    await testApp.dataSource.query(`UPDATE users SET name = 'Ruth Lindahl' WHERE id = $1`, [staff.users.coordinator.id]);
    const group = await groupWithSessions(testApp, staff, reference);
    men = [];
    for (const [firstName, lastName] of MEN.slice(0, 3))
      men.push(await violation(testApp, staff, group, { policyId: reference.duluthPolicy.id, firstName, lastName }));
  });
  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  async function newPage(width = 1280): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.setDefaultTimeout(8_000);
    return page;
  }

  it('a clerk follows the e-mail’s link, signs in, lands on the notice, acknowledges it and records the hearing date', async () => {
    const link = acknowledgeLink(await mailOf(testApp, men[0].courtNotice));
    const page = await newPage();
    await page.goto(`${baseUrl}${link.pathname}`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('E-mail').fill(staff.users.court_clerk.email);
    await page.getByLabel('Password').fill('correct horse battery staple');
    await navigatedBy(page, () => page.getByRole('button', { name: 'Sign in' }).click());
    expect(new URL(page.url()).pathname).toBe(`/notices/${men[0].courtNotice}`);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Removed from a session for behavior');
    await expect(page.getByRole('region', { name: 'The notice' }).innerText()).resolves.toContain(
      'James Whitfield was removed from the session of Nov 24, 2026 for behavior.',
    );
    await screenshot(page, 'court-notice');

    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe('Notice acknowledged.');
    await page.getByRole('radio', { name: 'Hearing set' }).check();
    await page.getByLabel(/^Date/).fill('2026-12-09');
    await page.getByRole('button', { name: 'Record the response' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe('Response recorded.');
    await expect(page.getByRole('region', { name: 'Responses' }).innerText()).resolves.toMatch(/Court: Hearing set — Dec 9, 2026/);
    const [row] = await testApp.dataSource.query(`SELECT status FROM notices WHERE id = $1`, [men[0].courtNotice]);
    expect(row.status).toBe('acknowledged');
    await screenshot(page, 'court-notice-responded');
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.locator('html').evaluate((root) => root.scrollWidth - root.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'court-notice-phone');
    await page.close();
  });

  it('a probation officer acknowledges three notices at once from his inbox', async () => {
    const page = await newPage();
    await signIn(page, baseUrl, staff.users.probation_officer.email);
    await expect(page.getByRole('link', { name: /^Inbox/ }).innerText()).resolves.toMatch(/Inbox\s+6/);
    await page.getByRole('link', { name: /^Inbox/ }).click();
    await page.getByLabel('Kind').selectOption('removed_for_behaviour');
    await page.getByRole('button', { name: 'Show' }).click();
    const rows = page.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    await screenshot(page, 'probation-inbox');
    for (const made of men) await page.locator(`#ack-${made.poNotice}`).check();
    await page.getByRole('button', { name: 'Acknowledge selected' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe('3 notices acknowledged.');
    const statuses = await testApp.dataSource.query(`SELECT status FROM notices WHERE id = ANY($1::uuid[])`, [
      men.map((made) => made.poNotice),
    ]);
    expect(statuses.map((row: { status: string }) => row.status)).toEqual(['acknowledged', 'acknowledged', 'acknowledged']);
    // What is left are the three enrollment confirmations.
    await expect(page.getByRole('link', { name: /^Inbox/ }).innerText()).resolves.toMatch(/Inbox\s+3/);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.locator('.table-wrap').evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, 'probation-inbox-phone');
    await page.close();
  });

  it('the coordinator sees the chain across agencies, read only', async () => {
    await waitFor(
      async () => {
        const [{ n }] = await testApp.dataSource.query(
          `SELECT count(*)::int AS n FROM notices WHERE status IN ('pending', 'sending', 'failed')`,
        );
        return n === 0;
      },
      { what: 'every notice delivered' },
    );
    const page = await newPage();
    await signIn(page, baseUrl, staff.users.coordinator.email);
    expect(new URL(page.url()).pathname).toBe('/coordinator');
    const text = await page.locator('main').innerText();
    expect(text).toContain('Court: Hearing set');
    expect(text).toContain(`case ${men[0].referral.caseNumber}`);
    expect(text).toMatch(/Notice to Probation officer: Acknowledged/);
    expect(text).not.toContain('Sent out for threats');
    // Two violations wait for a response; the enrollment confirmations expect none.
    expect(text).toContain('2 violations with no response recorded.');
    expect(text).toContain('For information: no response expected.');
    await screenshot(page, 'coordinator-chain');
    await page.getByRole('link', { name: 'Notice to Court' }).first().click();
    await expect(page.getByRole('button', { name: 'Acknowledge', exact: true }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Record the response' }).count()).resolves.toBe(0);
    await page.close();
  });
});
