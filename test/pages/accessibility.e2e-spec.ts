import { Browser } from 'playwright-core';
import { TestApp } from '../helpers/test-app';
import { describeViolations, runAxe } from './axe';
import { closeBrowserApp, launchBrowser, navigatedBy } from './browser-harness';
import { BrowserWindow } from './browser-dom';
import { openAs, RolePages, startPageStates } from './page-states';

/**
 * WCAG 2.1 AA on every main page of every role, on a laptop and on a phone: axe-core's automated
 * rules (wcag2a, wcag2aa, wcag21a, wcag21aa) find no violation. What axe cannot judge — focus
 * hidden under a sticky bar, focus lost after an action — has tests of its own below.
 */
describe('accessibility of the pages (axe-core in Chromium, WCAG 2.1 AA)', () => {
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

  it.each([768, 390])(
    'never hides the focused status button or Note field under the sticky Save bar (WCAG 2.4.11), at %i px',
    async (width) => {
      const { context, page } = await openAs(browser, baseUrl, role('facilitator'), { width, height: 700 });
      await page.goto(`${baseUrl}${path('facilitator', 'roster')}`);
      const hidden: string[] = [];
      let checked = 0;
      // Tab through the whole roster as a keyboard user does, from the first control to Save.
      await page.locator('[data-mark-rest]').focus();
      for (let step = 0; step < 60; step += 1) {
        await page.keyboard.press('Tab');
        const focus = await page.evaluate(() => {
          const doc = (globalThis as unknown as BrowserWindow).document;
          const active = doc.activeElement;
          if (!active || active.type === 'submit') return null;
          // A status is a visually hidden radio: what the eye follows is its label.
          const shown = active.classList.contains('choice__input') ? doc.querySelector(`label[for="${active.id}"]`) : active;
          const box = shown!.getBoundingClientRect();
          const bar = doc.querySelector('.roster__save')!.getBoundingClientRect();
          return { what: active.name || active.id, bottom: box.bottom, top: box.top, barTop: bar.top };
        });
        if (!focus) break;
        checked += 1;
        if (focus.bottom > focus.barTop || focus.top < 0)
          hidden.push(`${focus.what}: ${Math.round(focus.top)}–${Math.round(focus.bottom)} px, bar from ${Math.round(focus.barTop)} px`);
        // Move on to the next man's fieldset quickly: arrow keys stay within a radio group.
      }
      expect(checked).toBeGreaterThan(4);
      expect(hidden).toEqual([]);
      await context.close();
    },
  );

  it('keeps the focus on the acknowledged notice’s row after Acknowledge on the clerk’s case page, not the page top', async () => {
    const { context, page } = await openAs(browser, baseUrl, role('court_clerk'), { width: 390, height: 844 });
    await page.goto(`${baseUrl}${path('court_clerk', 'case')}`);
    const button = page.getByRole('button', { name: /^Acknowledge/ }).last();
    const row = button.locator('xpath=ancestor::tr');
    const rowText = await row.locator('th').innerText();
    await button.focus();
    await navigatedBy(page, () => page.keyboard.press('Enter'));
    await expect(page.getByRole('status').first().innerText()).resolves.toBe('Notice acknowledged.');
    const focused = await page.evaluate(() => {
      const doc = (globalThis as unknown as BrowserWindow).document;
      const active = doc.activeElement!;
      const box = active.getBoundingClientRect();
      return {
        id: active.id,
        tag: active.tagName,
        text: active.innerText,
        row: active.closest('tr')?.querySelector('th')?.innerText,
        top: box.top,
        bottom: box.bottom,
        height: (globalThis as unknown as BrowserWindow).innerHeight,
      };
    });
    expect(focused.tag).toBe('TD');
    expect(focused.id).toMatch(/^notice-/);
    expect(focused.row).toBe(rowText);
    expect(focused.text).toContain('Acknowledged');
    // And it is on the screen.
    expect(focused.top).toBeGreaterThanOrEqual(0);
    expect(focused.bottom).toBeLessThanOrEqual(focused.height);
    await context.close();
  });

  it('runs axe-core in the pages despite their CSP, and it catches a violation put there on purpose', async () => {
    const { context, page } = await openAs(browser, baseUrl, role('signed_out'));
    await page.goto(`${baseUrl}/login`);
    const clean = await runAxe(page);
    expect(clean.engine).toMatch(/^axe-core 4\./);
    expect(clean.passes).toBeGreaterThan(5);
    expect(clean.violations).toEqual([]);
    // The control: an unlabelled field and an image without a text alternative.
    await page.evaluate(() => {
      const form = (globalThis as unknown as BrowserWindow).document.querySelector('form')!;
      form.insertAdjacentHTML('beforeend', '<input type="text" name="x"><img src="data:,">');
    });
    const broken = await runAxe(page);
    expect(broken.violations.map((violation) => violation.id).sort()).toEqual(['image-alt', 'label']);
    await context.close();
  });

  it.each(['signed_out', 'admin', 'facilitator', 'probation_officer', 'court_clerk', 'advocate', 'coordinator'] as const)(
    'finds no WCAG 2.1 A/AA violation on the %s’s pages at 1280 and 390 px',
    async (name) => {
      const pages = role(name);
      const { context, page } = await openAs(browser, baseUrl, pages);
      const found: string[] = [];
      let audited = 0;
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: width > 400 ? 900 : 844 });
        for (const main of pages.pages) {
          const response = await page.goto(`${baseUrl}${main.path}`);
          expect([200, 404]).toContain(response!.status());
          const outcome = await runAxe(page);
          audited += 1;
          found.push(...describeViolations(`${name} ${main.name} (${main.path}) at ${width} px`, outcome.violations));
        }
      }
      expect(found).toEqual([]);
      expect(audited).toBe(pages.pages.length * 2);
      await context.close();
    },
    120_000,
  );
});
