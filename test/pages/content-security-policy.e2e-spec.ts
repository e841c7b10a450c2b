import { Browser, Page } from 'playwright-core';
import { createStaff, Staff } from '../helpers/fixtures';
import { TestApp } from '../helpers/test-app';
import { closeBrowserApp, signIn, startBrowserApp } from './browser-harness';

interface Violation {
  directive: string;
  blockedURI: string;
}

// Browser globals for the functions Playwright runs in the page (the test's tsconfig has no DOM lib).
declare const window: { __violations: Violation[] };
declare const document: {
  addEventListener(type: 'securitypolicyviolation', listener: (event: { effectiveDirective: string; blockedURI: string }) => void): void;
};
declare function getComputedStyle(element: unknown): { backgroundColor: string };

/**
 * The Content-Security-Policy set by helmet must not break what it protects: Chromium reports every
 * violation, and the pages, the API docs and the queue dashboard must work with none (the queue
 * dashboard's web font from Google is the one thing blocked, on purpose: the app calls out to nobody).
 */
describe('Content-Security-Policy in a real browser (Chromium)', () => {
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

  /** A page that records every CSP violation the browser reports. */
  async function watchedPage(): Promise<Page> {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      const store: Violation[] = [];
      window.__violations = store;
      document.addEventListener('securitypolicyviolation', (event) =>
        store.push({ directive: event.effectiveDirective, blockedURI: event.blockedURI }),
      );
    });
    return page;
  }

  const violations = (page: Page) => page.evaluate(() => window.__violations);

  it('lets the pages load their own script and stylesheet with nothing refused', async () => {
    const page = await watchedPage();
    await signIn(page, baseUrl, staff.users.admin.email);
    for (const path of ['/referrals', '/intake', '/groups', '/groups/new', '/notices', '/sessions']) {
      await page.goto(`${baseUrl}${path}`);
      // The stylesheet applied: the header has the brand colour, not the browser's transparent default.
      expect(await page.locator('.site-header').evaluate((element) => getComputedStyle(element).backgroundColor)).not.toBe(
        'rgba(0, 0, 0, 0)',
      );
      expect({ path, violations: await violations(page) }).toEqual({ path, violations: [] });
    }
    await page.close();
  });

  it('lets Swagger UI render the API docs', async () => {
    const page = await watchedPage();
    await page.goto(`${baseUrl}/docs`);
    await page.getByText('Throughline API').first().waitFor();
    await page.locator('.opblock').first().waitFor();
    expect(await violations(page)).toEqual([]);
    await page.close();
  });

  it('lets bull-board render the queue dashboard for an admin', async () => {
    const page = await watchedPage();
    await signIn(page, baseUrl, staff.users.admin.email);
    await page.goto(`${baseUrl}/admin/queues`);
    await page.getByText('Throughline queues').first().waitFor();
    await page.getByText('notices', { exact: false }).first().waitFor();
    // bull-board's Google web font link is taken out of its page, so nothing at all is blocked.
    expect(await violations(page)).toEqual([]);
    await page.close();
  });
});
