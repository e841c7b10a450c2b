import { mkdirSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { TEST_PASSWORD } from '../helpers/fixtures';
import { startTestApp, TestApp, TestAppOptions } from '../helpers/test-app';

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
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, baseUrl: string, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
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
