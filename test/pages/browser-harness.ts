import { mkdirSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { TEST_PASSWORD } from '../helpers/fixtures';
import { startTestApp, TestApp, TestAppOptions } from '../helpers/test-app';
import { describeViolations, runAxe } from './axe';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * Screenshots go to docs/screens (committed, linked from the README) when SCREENSHOTS=update;
 * otherwise to test/artifacts/screens, so a plain test run leaves the work tree clean.
 */
export const SCREENS_DIR =
  process.env.SCREENSHOTS === 'update'
    ? join(__dirname, '..', '..', 'docs', 'screens')
    : join(__dirname, '..', '..', 'test', 'artifacts', 'screens');

/** The real app on a loopback port, for a real browser. */
export async function startPagesApp(options: TestAppOptions = {}): Promise<{ testApp: TestApp; baseUrl: string }> {
  const testApp = await startTestApp(options);
  await testApp.app.listen(0, '127.0.0.1');
  const { port } = testApp.app.getHttpServer().address() as AddressInfo;
  return { testApp, baseUrl: `http://127.0.0.1:${port}` };
}

/** Debian's chromium, headless, without anything that phones home. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** The widths every page is looked at: a desktop, a tablet upright, a phone. */
export const WIDTHS = [1280, 768, 390] as const;

/** What a suite's page is opened at: a viewport (1280 × 900 unless told) and how long an action may wait. */
export interface PageOptions {
  width?: number;
  height?: number;
  /** Playwright's own (30 s) unless told: a page suite names a shorter one so a missing element fails fast. */
  timeout?: number;
}

/** The app on a loopback port and a browser for it: what every page suite starts with. */
export async function startBrowserApp(options: TestAppOptions = {}): Promise<{ testApp: TestApp; baseUrl: string; browser: Browser }> {
  const { testApp, baseUrl } = await startPagesApp(options);
  return { testApp, baseUrl, browser: await launchBrowser() };
}

/** Closes what startBrowserApp opened, whatever of it a failed start left. */
export async function closeBrowserApp(browser: Browser | undefined, testApp: TestApp | undefined): Promise<void> {
  await browser?.close();
  await testApp?.close();
}

/** A page of its own (its own cookies) at the given size. */
export async function openPage(browser: Browser, { width = 1280, height = 900, timeout }: PageOptions = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  if (timeout !== undefined) page.setDefaultTimeout(timeout);
  return page;
}

/** A context (cookies shared by its pages) and its first page, at the given size. */
export async function openContext(
  browser: Browser,
  { width = 1280, height = 900, timeout }: PageOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  if (timeout !== undefined) page.setDefaultTimeout(timeout);
  return { context, page };
}

/** A page of its own, signed in as the given user. */
export async function signedInPage(browser: Browser, baseUrl: string, email: string, options: PageOptions = {}): Promise<Page> {
  const page = await openPage(browser, options);
  await signIn(page, baseUrl, email);
  return page;
}

/** How far the page scrolls sideways (0 when it fits the screen). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}

/** The WCAG 2.1 AA violations axe-core finds in the page, one readable line each (none: []). */
export async function axeViolations(page: Page, where: string): Promise<string[]> {
  return describeViolations(where, (await runAxe(page)).violations);
}

/**
 * Runs what starts a navigation (a click) and waits for the page it opens, loaded. A form may answer
 * on the same URL (a refused code, the form shown again), so the wait is for the next navigation of
 * the page, not for a URL.
 */
export async function navigatedBy(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame()), action()]);
  await page.waitForLoadState();
}

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, baseUrl: string, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await navigatedBy(page, () => page.getByRole('button', { name: 'Sign in' }).click());
}

/** A picture for docs/screens (the README links them): the whole page, or what the screen shows. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: options.fullPage ?? true });
}

/** Names for the demo-like rosters in the screenshots. */
export const MEN = [
  ['James', 'Whitfield'],
  ['Marcus', 'Delgado'],
  ['Robert', 'Okafor'],
  ['Daniel', 'Lindqvist'],
  ['Anthony', 'Reyes'],
  ['Kevin', 'Baptiste'],
  ['Thomas', 'Greer'],
  ['Luis', 'Ortega'],
  ['Michael', 'Haugen'],
  ['Brandon', 'Tillman'],
  ['Steven', 'Nakamura'],
  ['Curtis', 'Fairbanks'],
  ['Derek', 'Mwangi'],
  ['Paul', 'Kowalczyk'],
  ['Jerome', 'Ashby'],
] as const;
