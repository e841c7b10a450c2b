import { Browser, Page } from 'playwright-core';
import { Policy } from '../../src/modules/policies/policy.entity';
import { createStaff, Staff } from '../helpers/fixtures';
import { createReferral, pinToday, seedReference } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { axeViolations, closeBrowserApp, screenshot, signIn, startBrowserApp } from './browser-harness';

/** Intake with a level: the admin records the assessment on the referral page; probation and the court read its summary. */
describe('the intake assessment on the referral page (Chromium)', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let staff: Staff;
  let washington: Policy;
  let referralId: string;
  let caseNumber: string;

  beforeAll(async () => {
    ({ testApp, baseUrl, browser } = await startBrowserApp());
    staff = await createStaff(testApp);
    const reference = await seedReference(testApp);
    washington = reference.policies.find((policy) => policy.key === 'wa-wac-388-60b')!;
    pinToday(testApp);
    await testApp.dataSource.query(`UPDATE agencies SET name = 'King County District Court' WHERE id = $1`, [staff.court.id]);
    await testApp.dataSource.query(`UPDATE users SET name = 'Maria Santos' WHERE id = $1`, [staff.users.probation_officer.id]);
    const referral = await createReferral(testApp, staff, {
      policyId: washington.id,
      firstName: 'Marcus',
      lastName: 'Delgado',
      orderedOn: '2026-11-16',
      caseNumber: 'KC-DV-26-0412',
    });
    referralId = referral.id;
    caseNumber = referral.caseNumber;
  });

  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  async function pageAs(email: string, width = 1280): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.setDefaultTimeout(5_000);
    await signIn(page, baseUrl, email);
    return page;
  }

  const sidewaysOverflow = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');

  it('refuses an incomplete assessment with a message beside each field, keeping what was typed', async () => {
    const page = await pageAs(staff.users.admin.email);
    await page.goto(`${baseUrl}/referrals/${referralId}`);
    await expect(page.locator('dt:text-is("Level") + dd').innerText()).resolves.toContain('Not assessed yet');
    const section = page.locator('section.assessment');
    await section.getByLabel('Assessed by').fill('J. Ortiz, MSW');
    await section.getByRole('group', { name: 'Legal history' }).getByLabel('Yes', { exact: true }).check();
    const response = page.waitForResponse((res) => res.url().endsWith('/assessment') && res.request().method() === 'POST');
    await section.getByRole('button', { name: 'Record the assessment' }).click();
    expect((await response).status()).toBe(400);
    await expect(page.locator('#f-levelKey-error').innerText()).resolves.toBe('Choose the level');
    await expect(page.locator('#assessment-reason-error').innerText()).resolves.toBe('Say why this level');
    await expect(section.getByLabel('Assessed by').inputValue()).resolves.toBe('J. Ortiz, MSW');
    await expect(section.getByRole('group', { name: 'Legal history' }).getByLabel('Yes', { exact: true }).isChecked()).resolves.toBe(true);
    // Factors left unanswered are named beside themselves.
    await expect(page.locator('#factor-0-error').innerText()).resolves.toContain('answer yes or no, or write a note');
    await screenshot(page, 'admin-referral-assessment-errors');
    // WCAG 2.1 AA with the form open and its errors shown.
    expect(await axeViolations(page, 'referral page')).toEqual([]);
    expect(await testApp.dataSource.query(`SELECT 1 FROM referral_assessments WHERE referral_id = $1`, [referralId])).toHaveLength(0);
    await page.close();
  });

  it('records a level 3 assessment: 52 sessions, complete by a year after the order, the history below', async () => {
    const page = await pageAs(staff.users.admin.email);
    await page.goto(`${baseUrl}/referrals/${referralId}`);
    const section = page.locator('section.assessment');
    await section.locator('#f-levelKey').selectOption('3');
    await section.getByLabel('Assessed on').fill('2026-11-20');
    await section.getByLabel('Assessed by').fill('J. Ortiz, MSW');
    for (const [index, factor] of washington.assessmentFactors.entries()) {
      await section
        .getByRole('group', { name: factor })
        .getByLabel(index % 2 ? 'No' : 'Yes', { exact: true })
        .check();
    }
    await section.getByRole('group', { name: 'Legal history' }).getByLabel('Note (optional)').fill('Two prior DV convictions (2019, 2023)');
    await section
      .getByLabel('Reason for this level')
      .fill('Two prior convictions and a current protection order; moderate-high risk on the screening instrument.');
    await Promise.all([page.waitForURL(/assessed=1/), section.getByRole('button', { name: 'Record the assessment' }).click()]);
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('Assessment recorded');
    await expect(page.locator('dt:text-is("Complete by") + dd').first().innerText()).resolves.toBe('Nov 16, 2027');
    await expect(page.locator('dt:text-is("Level") + dd').innerText()).resolves.toContain('Level 3 (52 sessions, 12 months)');
    await expect(page.locator('dt:text-is("Sessions attended") + dd').innerText()).resolves.toBe('0 of 52');
    await expect(page.locator('.assessments li').first().innerText()).resolves.toContain(
      'Legal history: yes (Two prior DV convictions (2019, 2023))',
    );
    // Once assessed, the form for a new assessment waits behind its summary line.
    await expect(section.locator('details.assessment__new').getAttribute('open')).resolves.toBeNull();
    await page.locator('#assessment-heading').scrollIntoViewIfNeeded();
    await screenshot(page, 'admin-referral-assessment');
    expect(await axeViolations(page, 'referral page')).toEqual([]);
    for (const width of [768, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect({ width, overflow: await sidewaysOverflow(page) }).toEqual({ width, overflow: 0 });
      await screenshot(page, `admin-referral-assessment-${width}`);
    }
    await page.close();
  });

  it('shows probation the level, date and reason, never the factors', async () => {
    const page = await pageAs(staff.users.probation_officer.email, 390);
    await page.goto(`${baseUrl}/referrals/${referralId}`);
    await expect(page.locator('dt:text-is("Level") + dd').innerText()).resolves.toContain(
      'Level 3 (52 sessions, 12 months) — assessed Nov 20, 2026: Two prior convictions',
    );
    await expect(page.locator('form[action$="/assessment"]').count()).resolves.toBe(0);
    const html = await page.content();
    expect(html).not.toContain('Two prior DV convictions');
    expect(html).not.toContain('J. Ortiz');
    expect(await sidewaysOverflow(page)).toBe(0);
    await page.locator('#assessment-heading').scrollIntoViewIfNeeded();
    await screenshot(page, 'probation-referral-assessment-390', { fullPage: false });
    await page.close();
  });

  it('shows the court clerk the level on the case', async () => {
    const page = await pageAs(staff.users.court_clerk.email, 768);
    await page.goto(`${baseUrl}/lookup`);
    await page.getByLabel('Case number').fill(caseNumber);
    await Promise.all([page.waitForURL(/\/lookup\/[0-9a-f-]{36}$/), page.getByRole('button', { name: /Look up/ }).click()]);
    await expect(page.locator('dt:text-is("Level") + dd').innerText()).resolves.toContain('Level 3');
    await expect(page.locator('dt:text-is("Sessions attended") + dd').innerText()).resolves.toContain('of 52 required');
    expect(await page.content()).not.toContain('Two prior DV convictions');
    await screenshot(page, 'court-lookup-level-768');
    await page.close();
  });
});
