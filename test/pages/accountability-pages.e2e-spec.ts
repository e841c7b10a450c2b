import { Browser, Page } from 'playwright-core';
import { createStaff, Staff } from '../helpers/fixtures';
import { pinToday, Reference, seedReference } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { buildHistory, History } from '../accountability/accountability-history';
import { closeBrowserApp, screenshot, signIn, startBrowserApp, navigatedBy } from './browser-harness';

/** The accountability page in Chromium: the admin and the coordinator with filters applied, on the hand-built history. */
describe('the accountability page (Chromium)', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let staff: Staff;
  let reference: Reference;
  let history: History;

  beforeAll(async () => {
    ({ testApp, baseUrl, browser } = await startBrowserApp());
    staff = await createStaff(testApp);
    reference = await seedReference(testApp);
    pinToday(testApp);
    await testApp.dataSource.query(`UPDATE agencies SET name = 'St. Louis County District Court' WHERE id = $1`, [staff.court.id]);
    await testApp.dataSource.query(`UPDATE users SET name = 'Ruth Lindahl' WHERE id = $1`, [staff.users.coordinator.id]);
    history = await buildHistory(testApp, staff, reference);
  });
  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  /** A page that fails the test on any CSP violation or script error. */
  async function newPage(width: number): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.setDefaultTimeout(8_000);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    return { page, problems };
  }

  it('the admin applies the period and a court through the filter form, reads each section, and every download link answers a CSV', async () => {
    const { page, problems } = await newPage(1280);
    await signIn(page, baseUrl, staff.users.admin.email);
    await page.getByRole('link', { name: 'Accountability' }).click();
    expect(new URL(page.url()).pathname).toBe('/accountability');
    await page.getByLabel('From', { exact: true }).fill('2026-10-01');
    await page.getByLabel('To', { exact: true }).fill('2026-10-31');
    await navigatedBy(page, () => page.getByRole('button', { name: 'Show figures' }).click());
    await expect(page.locator('.lead').innerText()).resolves.toContain('5 violations');
    await screenshot(page, 'accountability-admin');

    const swift = page.getByRole('table', { name: 'Swift: time from the crossing, by agency' });
    await expect(swift.innerText()).resolves.toMatch(
      /Probation[\s\S]*Crossing → first response\s+2\s+2\.5 days\s+3\.7 days\s+4 days\s+50 %/,
    );
    const sure = page.getByRole('table', { name: 'Sure: court action and no response, by court' });
    await expect(sure.innerText()).resolves.toMatch(/All courts\s+5\s+50 % \(2 of 4\)\s+40 % \(2 of 5\)/);
    await expect(page.locator('svg.chart').count()).resolves.toBe(6);
    await expect(page.getByRole('img', { name: /Share of violations with a court action, by court/ }).count()).resolves.toBe(1);

    // Every download the page offers answers a CSV with this session.
    const links = await page
      .locator('a[href^="/accountability/export/"]')
      .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')!));
    expect(links).toHaveLength(7);
    for (const href of links) {
      const response = await page.request.get(`${baseUrl}${href}`);
      expect({ href, status: response.status(), type: response.headers()['content-type'] }).toEqual({
        href,
        status: 200,
        type: 'text/csv; charset=utf-8',
      });
      expect(href).toContain('from=2026-10-01&to=2026-10-31');
    }

    await page.getByLabel('Court', { exact: true }).selectOption({ label: 'Second District Court' });
    await navigatedBy(page, () => page.getByRole('button', { name: 'Show figures' }).click());
    expect(new URL(page.url()).searchParams.get('courtId')).toBe(history.courtB);
    await expect(page.locator('.lead').innerText()).resolves.toContain('2 violations');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'accountability-print');
    await expect(page.locator('.accountability__filters').isVisible()).resolves.toBe(false);
    await page.emulateMedia({ media: 'screen' });
    expect(problems).toEqual([]);
  });

  it('the coordinator filters by language on a tablet and a phone; a bad date is named beside its field', async () => {
    for (const width of [768, 390]) {
      const { page, problems } = await newPage(width);
      await signIn(page, baseUrl, staff.users.coordinator.email);
      await page.goto(`${baseUrl}/accountability?from=2026-10-01&to=2026-10-31&language=es`);
      await expect(page.locator('.lead').innerText()).resolves.toContain('1 violation.');
      await expect(page.getByLabel('Language', { exact: true }).inputValue()).resolves.toBe('es');
      await expect(page.getByRole('table', { name: 'Disparity of impact by language and group' }).innerText()).resolves.toContain(
        'Spanish',
      );
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, width === 768 ? 'accountability-coordinator-tablet' : 'accountability-coordinator-phone');
      expect(problems).toEqual([]);
      await page.close();
    }
    const { page } = await newPage(1280);
    await signIn(page, baseUrl, staff.users.coordinator.email);
    const response = await page.goto(`${baseUrl}/accountability?from=2026-10-31&to=2026-10-01`);
    expect(response?.status()).toBe(400);
    await expect(page.getByRole('alert').innerText()).resolves.toContain('To: to must be on or after from');
    await screenshot(page, 'accountability-coordinator-errors', { fullPage: false });
  });

  it('shows a court clerk her own court only, and no facilitator or advocate the page', async () => {
    const { page } = await newPage(1280);
    await signIn(page, baseUrl, staff.users.court_clerk.email);
    await page.goto(`${baseUrl}/accountability?from=2026-10-01&to=2026-10-31`);
    await expect(page.locator('.lead').innerText()).resolves.toContain('your own agency only');
    await expect(page.locator('.lead').innerText()).resolves.toContain('3 violations');
    await expect(page.getByLabel('Court', { exact: true }).locator('option').allInnerTexts()).resolves.toEqual([
      'Any court',
      'St. Louis County District Court',
    ]);
    for (const role of ['facilitator', 'advocate'] as const) {
      const other = await newPage(1280);
      await signIn(other.page, baseUrl, staff.users[role].email);
      await expect(other.page.getByRole('link', { name: 'Accountability' }).count()).resolves.toBe(0);
      const refused = await other.page.goto(`${baseUrl}/accountability`);
      expect(refused?.status()).toBe(403);
    }
  });
});
