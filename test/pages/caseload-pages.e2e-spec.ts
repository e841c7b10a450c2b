import { Browser, Page } from 'playwright-core';
import { addDays } from '../../src/common/dates';
import { createStaff, Staff } from '../helpers/fixtures';
import { createReferral, pinToday, seedReference, TODAY } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { closeBrowserApp, MEN, screenshot, signedInPage, startBrowserApp } from './browser-harness';

/** A probation officer with a real caseload: 86 men, so it pages, sorts, filters, searches and exports. */
describe('the probation officer’s caseload at 80+ men (Chromium)', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let staff: Staff;
  const MEN_ON_CASELOAD = 86;
  const ids: string[] = [];

  beforeAll(async () => {
    ({ testApp, baseUrl, browser } = await startBrowserApp());
    staff = await createStaff(testApp);
    const reference = await seedReference(testApp);
    pinToday(testApp);
    for (let n = 0; n < MEN_ON_CASELOAD; n += 1) {
      const [firstName, lastName] = MEN[n % MEN.length];
      const referral = await createReferral(testApp, staff, {
        policyId: reference.duluthPolicy.id,
        firstName,
        lastName: n < MEN.length ? lastName : `${lastName}${String.fromCharCode(65 + Math.floor(n / MEN.length))}`,
        orderedOn: addDays(TODAY, -3 - (n % 20)),
        caseNumber: `69DU-CR-26-${String(2000 + n)}`,
      });
      ids.push(referral.id);
    }
    // Standing the rules would reach over weeks, set directly: the page's job is to show and sort it.
    // Two non-compliant men, each with the crossing that put him there (the total-absence and the unexcused limit).
    for (const [index, kind, key, on] of [
      [0, 'absence_limit_exceeded', 'absences:5', '2026-11-05'],
      [1, 'absence_limit_exceeded', 'unexcused:3', '2026-11-12'],
    ] as const) {
      await testApp.dataSource.query(`UPDATE referrals SET status = 'non_compliant' WHERE id = $1`, [ids[index]]);
      await testApp.dataSource.query(
        `INSERT INTO compliance_events (referral_id, kind, threshold_key, occurred_on, facts) VALUES ($1, $2, $3, $4, '{}')`,
        [ids[index], kind, key, on],
      );
    }
    // A name a spreadsheet would run as a formula if the export wrote it as it is.
    await testApp.dataSource.query(
      `UPDATE participants SET first_name = '=HYPERLINK("http://evil.test","x")' WHERE id = (SELECT participant_id FROM referrals WHERE id = $1)`,
      [ids[2]],
    );
  });

  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  async function officer(): Promise<Page> {
    const page = await signedInPage(browser, baseUrl, staff.users.probation_officer.email, { width: 1280, height: 900, timeout: 5_000 });
    return page;
  }

  it('pages through 86 men fifty at a time', async () => {
    const page = await officer();
    await expect(page.locator('tbody tr').count()).resolves.toBe(50);
    await expect(page.getByRole('navigation', { name: 'Pages of the caseload' }).innerText()).resolves.toContain('1–50 of 86');
    await page.getByRole('link', { name: 'Next', exact: true }).click();
    await expect(page.locator('tbody tr').count()).resolves.toBe(36);
    await expect(page.getByRole('navigation', { name: 'Pages of the caseload' }).innerText()).resolves.toContain('51–86 of 86');
    await page.close();
  });

  it('filters by standing from the counts, and says which limit and since when', async () => {
    const page = await officer();
    await page
      .getByRole('navigation', { name: 'Filter by standing' })
      .getByRole('link', { name: /2 Non-compliant/ })
      .click();
    await expect(page.getByRole('link', { name: /2 Non-compliant/ }).getAttribute('aria-current')).resolves.toBe('true');
    const rows = await page.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows.find((row) => row.includes('69DU-CR-26-2000'))).toMatch(/Total absence limit exceeded\s+since 11\/05\/2026/);
    expect(rows.find((row) => row.includes('69DU-CR-26-2001'))).toMatch(/Unexcused absence limit exceeded\s+since 11\/12\/2026/);
    await screenshot(page, 'probation-caseload-filtered');
    await page.getByRole('link', { name: /All/ }).first().click();
    await expect(page.locator('tbody tr').count()).resolves.toBe(50);
    await page.close();
  });

  it('sorts by any column, and a second click turns the order round', async () => {
    const page = await officer();
    await page.getByRole('columnheader', { name: 'Case' }).getByRole('link').click();
    const cases = () => page.locator('tbody tr td:nth-child(2)').allInnerTexts();
    expect((await cases()).slice(0, 3)).toEqual(['69DU-CR-26-2000', '69DU-CR-26-2001', '69DU-CR-26-2002']);
    await expect(page.getByRole('columnheader', { name: /Case/ }).getAttribute('aria-sort')).resolves.toBe('ascending');
    await page.getByRole('columnheader', { name: /Case/ }).getByRole('link').click();
    expect((await cases())[0]).toBe('69DU-CR-26-2085');
    await page.getByRole('columnheader', { name: 'Name' }).getByRole('link').click();
    const names = await page.locator('tbody th').allInnerTexts();
    const lastNames = names.map((name) => name.split(' ').slice(1).join(' ').toLowerCase());
    expect(lastNames).toEqual([...lastNames].sort());
    await page.close();
  });

  it('finds a man by part of his name or his case number, with neither in the address', async () => {
    const page = await officer();
    await page.getByLabel('Name or case number').fill('whitf');
    await page.getByRole('button', { name: 'Show' }).click();
    const names = await page.locator('tbody th').allInnerTexts();
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => name.includes('Whitfield'))).toBe(true);
    expect(page.url()).not.toMatch(/whitf/i);
    await page.getByLabel('Name or case number').fill('69du cr 26 2044');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page.locator('tbody td:nth-child(2)').allInnerTexts()).resolves.toEqual(['69DU-CR-26-2044']);
    await page.close();
  });

  it('exports the caseload as CSV, every man, formulas neutralised, and audits the export', async () => {
    const page = await officer();
    const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    const response = await page.request.get(`${baseUrl}${String(href)}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^text\/csv/);
    expect(response.headers()['content-disposition']).toBe(`attachment; filename="caseload-${TODAY}.csv"`);
    const text = (await response.text()).replace(/^\uFEFF/, '');
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      'Name,Case number,Standing,Why,Since,Sessions attended,Sessions required,Absences,Last attended,Next deadline,Deadline date,New notices',
    );
    expect(lines).toHaveLength(MEN_ON_CASELOAD + 1);
    const evil = lines.find((line) => line.includes('HYPERLINK'))!;
    // The cell begins with an apostrophe, so a spreadsheet shows it as text instead of running it.
    expect(evil.startsWith('"\'=HYPERLINK(')).toBe(true);
    expect(lines.some((line) => /Total absence limit exceeded,11\/05\/2026/.test(line))).toBe(true);
    const audits = await testApp.dataSource.query(`SELECT actor_user_id FROM audit_entries WHERE action = 'caseload.export'`);
    expect(audits).toEqual([{ actor_user_id: staff.users.probation_officer.id }]);
    await page.close();
  });
});
