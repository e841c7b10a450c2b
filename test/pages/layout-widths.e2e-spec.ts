import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { TestApp } from '../helpers/test-app';
import { closeBrowserApp, launchBrowser, screenshot } from './browser-harness';
import { DomElement, BrowserWindow } from './browser-dom';
import { openAs, RolePages, startPageStates } from './page-states';

/**
 * Nothing scrolls sideways: on a 390 px phone and a 768 px tablet every main page of every role
 * is no wider than the screen (a wide table scrolls inside its own box, or becomes cards), the
 * actions stay on screen, and the caseload shows all its headers at 1280 px. And the referral,
 * case and caseload pages print: no navigation, no buttons, tables that fit the paper.
 */
describe('page widths and print (Chromium)', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let roles: RolePages[];

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl, roles } = await startPageStates());
  }, 300_000);

  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  const role = (name: RolePages['role']) => roles.find((candidate) => candidate.role === name)!;
  const path = (roleName: RolePages['role'], pageName: string) => role(roleName).pages.find((main) => main.name === pageName)!.path;

  /** How far the page reaches past the screen's right edge, and what sticks out most. */
  const overflowOf = (page: Page) =>
    page.evaluate(() => {
      const win = globalThis as unknown as BrowserWindow;
      const root = win.document.documentElement;
      let widest = '';
      let right = root.clientWidth;
      for (const element of Array.from(win.document.querySelectorAll('body *'))) {
        const box = element.getBoundingClientRect();
        if (box.right > right + 0.5 && box.width > 0) {
          right = box.right;
          widest = `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(' ').join('.')}` : ''}`;
        }
      }
      return { scrollWidth: root.scrollWidth, innerWidth: win.innerWidth, widest };
    });

  it.each(['signed_out', 'admin', 'facilitator', 'probation_officer', 'court_clerk', 'advocate', 'coordinator'] as const)(
    'scrolls nothing sideways on the %s’s pages at 390 and 768 px',
    async (name) => {
      const pages = role(name);
      const { context, page } = await openAs(browser, baseUrl, pages);
      const tooWide: string[] = [];
      for (const width of [390, 768]) {
        await page.setViewportSize({ width, height: 900 });
        for (const main of pages.pages) {
          await page.goto(`${baseUrl}${main.path}`);
          const { scrollWidth, innerWidth, widest } = await overflowOf(page);
          if (scrollWidth > innerWidth)
            tooWide.push(`${main.name} (${main.path}) at ${width} px: ${scrollWidth} px wide (${widest || 'no element'})`);
        }
      }
      expect(tooWide).toEqual([]);
      await context.close();
    },
    90_000,
  );

  it('keeps Acknowledge on a 390 px screen on the clerk’s case page and the officer’s referral page', async () => {
    for (const [roleName, pageName, shot] of [
      ['court_clerk', 'case', 'court-lookup-phone'],
      ['probation_officer', 'referral', 'probation-referral-phone'],
    ] as const) {
      const { context, page } = await openAs(browser, baseUrl, role(roleName), { width: 390, height: 844 });
      await page.goto(`${baseUrl}${path(roleName, pageName)}`);
      const buttons = page.getByRole('button', { name: /^Acknowledge/ });
      expect(await buttons.count()).toBeGreaterThan(0);
      for (const box of await buttons.evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().toJSON()))) {
        expect(box.left).toBeGreaterThanOrEqual(0);
        expect(box.right).toBeLessThanOrEqual(390);
      }
      await screenshot(page, shot);
      await context.close();
    }
  });

  it('shows every caseload header in full at 1280 px', async () => {
    const { context, page } = await openAs(browser, baseUrl, role('probation_officer'));
    await page.goto(`${baseUrl}/caseload`);
    const clipped = await page.locator('.table-wrap').evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth);
    expect(clipped).toBeLessThanOrEqual(0);
    const wrapRight = await page.locator('.table-wrap').evaluate((wrap) => wrap.getBoundingClientRect().right);
    for (const right of await page.locator('thead th').evaluateAll((cells) => cells.map((cell) => cell.getBoundingClientRect().right))) {
      expect(right).toBeLessThanOrEqual(wrapRight);
    }
    await context.close();
  });

  it('prints the referral, case and caseload pages without navigation or buttons', async () => {
    const printed = join(__dirname, '..', 'artifacts', 'print');
    mkdirSync(printed, { recursive: true });
    for (const [roleName, pageName, file] of [
      ['probation_officer', 'referral', 'referral'],
      ['court_clerk', 'case', 'case'],
      ['probation_officer', 'caseload', 'caseload'],
    ] as const) {
      const { context, page } = await openAs(browser, baseUrl, role(roleName));
      await page.goto(`${baseUrl}${path(roleName, pageName)}`);
      await expect(page.locator('.site-nav').isVisible()).resolves.toBe(true);
      await page.emulateMedia({ media: 'print' });
      await expect(page.locator('.site-header').isVisible()).resolves.toBe(false);
      await expect(page.locator('.site-nav').isVisible()).resolves.toBe(false);
      const visibleButtons = await page
        .locator('button, .button')
        .evaluateAll((elements) => elements.filter((element) => (element as DomElement).offsetParent !== null).length);
      expect(visibleButtons).toBe(0);
      // The tables fit the paper: nothing inside a table box needs scrolling at the printed width.
      await page.setViewportSize({ width: 720, height: 1000 });
      const scrolling = await page
        .locator('.table-wrap')
        .evaluateAll((wraps) => (wraps as DomElement[]).filter((wrap) => wrap.scrollWidth > wrap.clientWidth + 1).length);
      expect(scrolling).toBe(0);
      const pdf = await page.pdf({ format: 'Letter', margin: { top: '0.5in', bottom: '0.5in', left: '0.5in', right: '0.5in' } });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      writeFileSync(join(printed, `${file}.pdf`), pdf);
      await context.close();
    }
  });
});
