import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { addDays } from '../../src/common/dates';
import { bearer, createStaff, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, pinToday, seedReference, sessionsOf, TODAY } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import {
  closeBrowserApp,
  SCREENS_DIR,
  screenshot,
  sidewaysOverflow,
  signedInPage,
  signIn,
  startBrowserApp,
  navigatedBy,
} from './browser-harness';

const ARTIFACTS = join(__dirname, '..', 'artifacts', 'fees');

describe('the Fees section of the referral page (Chromium)', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let staff: Staff;
  let referralId: string;
  let policyId: string;

  beforeAll(async () => {
    ({ testApp, baseUrl, browser } = await startBrowserApp());
    staff = await createStaff(testApp);
    const reference = await seedReference(testApp);
    pinToday(testApp);
    await testApp.dataSource.query(`UPDATE users SET name = 'Dana Whitaker' WHERE id = $1`, [staff.users.admin.id]);
    await testApp.dataSource.query(`UPDATE agencies SET name = 'Arrowhead Men’s Program' WHERE id = $1`, [staff.program.id]);
    await testApp.dataSource.query(`UPDATE agencies SET name = 'St. Louis County District Court' WHERE id = $1`, [staff.court.id]);
    const admin = bearer(staff.tokens.admin);
    const policy = await testApp.http
      .post('/api/v1/policies')
      .set(admin)
      .send({
        name: 'County program with fees',
        requiredSessions: 24,
        sessionMinutes: 90,
        enrollWithinDays: 14,
        completeWithinMonths: 9,
        maxAbsences: 4,
        maxUnexcusedAbsences: 4,
        maxConsecutiveAbsences: 2,
        noAttendanceDays: 21,
        progressReportEveryDays: 30,
        violationReportBusinessDays: 2,
        feesRequired: true,
        sessionFeeCents: 4000,
        intakeFeeCents: 5000,
        feeTotalCapCents: 80000,
        feeBrackets: [
          { key: 'A', label: 'Up to $1,000 a month: $5', period: 'month', upToIncomeCents: 100000, sessionFeeCents: 500 },
          { key: 'B', label: 'Up to $2,500 a month: half', period: 'month', upToIncomeCents: 250000, percentOfSessionFee: 50 },
          { key: 'C', label: 'Above $2,500 a month: full fee', period: 'month', upToIncomeCents: null, percentOfSessionFee: 100 },
        ],
      })
      .expect(201);
    policyId = policy.body.id;
    const group = await createGroup(testApp, staff, {
      name: 'Tuesday evening men’s group',
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 2,
      startsOn: addDays(TODAY, -40),
    });
    const referral = await createReferral(testApp, staff, {
      policyId: policy.body.id,
      firstName: 'James',
      lastName: 'Whitfield',
      orderedOn: addDays(TODAY, -45),
    });
    referralId = referral.id;
    const sessions = (await sessionsOf(testApp, staff, group.id, addDays(TODAY, -40), TODAY)).filter((session) => session.date <= TODAY);
    const { enrollment } = await enroll(testApp, staff, referral.id, group.id, sessions[0].date);
    for (const [index, session] of sessions.slice(0, 3).entries()) {
      await testApp.http
        .put(`/api/v1/sessions/${session.id}/attendance`)
        .set(admin)
        .send({ marks: [{ enrollmentId: enrollment.id, status: index === 1 ? 'absent_excused' : 'present' }] })
        .expect(200);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  async function adminPage(width = 1280): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.setDefaultTimeout(5_000);
    await signIn(page, baseUrl, staff.users.admin.email);
    await page.goto(`${baseUrl}/referrals/${referralId}`);
    return page;
  }

  it('records a payment from the form and links its receipt, which opens as a tagged PDF with the embedded font', async () => {
    const page = await adminPage();
    const fees = page.locator('section.fees');
    await expect(fees.locator('dl').innerText()).resolves.toContain('$130.00 owed');
    await page.getByLabel('Amount ($)', { exact: true }).fill('60.00');
    await page.getByLabel('Paid by').selectOption('money_order');
    await page.getByLabel(/Note/).fill('MO 88213');
    await navigatedBy(page, () => page.getByRole('button', { name: 'Record payment' }).click());
    await expect(page.getByRole('status').filter({ hasText: 'Payment recorded.' }).count()).resolves.toBe(1);
    await expect(fees.locator('dl').innerText()).resolves.toContain('$70.00 owed');
    await expect(fees.locator('tbody tr').first().innerText()).resolves.toMatch(/Payment\s+Money order, receipt R-\d{6}/);
    await screenshot(page, 'admin-referral-fees');

    const href = await page.getByRole('link', { name: 'Open the receipt (PDF)' }).getAttribute('href');
    const response = await page.request.get(`${baseUrl}${String(href)}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    const pdf = await response.body();
    const file = join(ARTIFACTS, 'receipt.pdf');
    writeFileSync(file, pdf);
    const fonts = execFileSync('pdffonts', [file]).toString();
    expect(fonts).toMatch(/DejaVuSans/);
    expect(fonts).toMatch(/yes\s+yes/); // embedded, subset
    const info = execFileSync('pdfinfo', [file]).toString();
    expect(info).toMatch(/Tagged:\s+yes/);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('James Whitfield');
    expect(text).toContain('$60.00');
    expect(text).toContain('Money order');
    expect(text).toContain('$70.00');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, join(ARTIFACTS, 'receipt')]);
    await page.close();
  });

  it('refuses a payment without an amount or a method with a 400 and the reasons, recording nothing', async () => {
    const page = await adminPage();
    const before = (await testApp.dataSource.query(`SELECT count(*)::int AS n FROM fee_entries WHERE referral_id = $1`, [referralId]))[0].n;
    await page.getByLabel('Amount ($)', { exact: true }).fill('sixty');
    await page.locator('#fee-pay-method').evaluate((select) => select.removeAttribute('required'));
    const response = page.waitForResponse((res) => res.url().endsWith('/fees') && res.request().method() === 'POST');
    await page.getByRole('button', { name: 'Record payment' }).click();
    expect((await response).status()).toBe(400);
    const alert = page.getByRole('alert');
    await expect(alert.innerText()).resolves.toContain('Give a positive amount in dollars');
    await expect(alert.innerText()).resolves.toContain('Choose how he paid.');
    expect((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM fee_entries WHERE referral_id = $1`, [referralId]))[0].n).toBe(
      before,
    );
    await page.close();
  });

  it('records an income bracket, an adjustment and a waiver of the rest from the page', async () => {
    const page = await adminPage();
    await page.getByLabel(/His bracket/).selectOption('A');
    await navigatedBy(page, () => page.getByRole('button', { name: 'Record bracket' }).click());
    await expect(page.locator('section.fees dl').innerText()).resolves.toContain('$5.00 (bracket Up to $1,000 a month: $5)');
    await page.locator('#fee-adj-amount').fill('15');
    await page.locator('#fee-adj-reason').fill('Workbook');
    await navigatedBy(page, () => page.getByRole('button', { name: 'Record adjustment' }).click());
    await expect(page.locator('section.fees dl').innerText()).resolves.toContain('$85.00 owed');
    await page.locator('#fee-adj-reason').fill('Unable to pay the rest');
    await navigatedBy(page, () => page.getByRole('button', { name: 'Waive' }).click());
    await expect(page.locator('section.fees dl').innerText()).resolves.toContain('$0.00 — nothing left to pay');
    await page.close();
  });

  it('shows the policy’s fees beside its rules on the policy page', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, baseUrl, staff.users.admin.email);
    await page.goto(`${baseUrl}/admin/policies/${policyId}`);
    const rows = await page.locator('.policy-versions tbody tr').allInnerTexts();
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Fee per session attended\s+\$40\.00$/),
        expect.stringMatching(/^Intake fee\s+\$50\.00$/),
        expect.stringMatching(/^Total fees capped at\s+\$800\.00$/),
        expect.stringMatching(
          /^Sliding scale by income\s+Up to \$1,000 a month: \$5: \$5\.00; Up to \$2,500 a month: half: 50%; Above \$2,500 a month: full fee: 100%$/,
        ),
      ]),
    );
    await page.close();
  });

  it('edits the fees in dollars in a new version of the policy; a bad amount is refused beside its field', async () => {
    const page = await signedInPage(browser, baseUrl, staff.users.admin.email, { width: 1280, height: 900, timeout: 5_000 });
    await page.goto(`${baseUrl}/admin/policies/${policyId}/new-version`);
    await expect(page.getByLabel('Fee per session attended ($)').inputValue()).resolves.toBe('40.00');
    await expect(page.getByLabel('Total fees capped at ($)').inputValue()).resolves.toBe('800.00');
    await page.getByLabel('Fee per session attended ($)').fill('forty');
    const refused = page.waitForResponse((res) => res.url().endsWith('/new-version') && res.request().method() === 'POST');
    await page.getByRole('button', { name: 'Save the new version' }).click();
    expect((await refused).status()).toBe(400);
    await expect(page.locator('#f-sessionFee-error').innerText()).resolves.toContain('must be an amount in dollars');
    await page.getByLabel('Fee per session attended ($)').fill('45');
    await page.getByLabel('Total fees capped at ($)').fill('');
    await navigatedBy(page, () => page.getByRole('button', { name: 'Save the new version' }).click());
    const rows = await page.locator('.policy-versions tbody tr').allInnerTexts();
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Fee per session attended\s+\$45\.00 changed\s+\$40\.00$/),
        expect.stringMatching(/^Total fees capped at\s+no cap changed\s+\$800\.00$/),
      ]),
    );
    // His referral keeps the version he was ordered under, and its fee.
    expect(
      (await testApp.http.get(`/api/v1/referrals/${referralId}/fees`).set(bearer(staff.tokens.admin)).expect(200)).body.schedule
        .sessionFeeCents,
    ).toBe(4000);
    await page.close();
  });

  it('fits 390 and 768 px without scrolling sideways', async () => {
    for (const width of [390, 768]) {
      const page = await adminPage(width);
      const overflow = await sidewaysOverflow(page);
      expect(overflow).toBeLessThanOrEqual(0);
      // The Fees section alone: a whole referral page at 390 px is too tall to look at.
      mkdirSync(SCREENS_DIR, { recursive: true });
      await page.locator('section.fees').screenshot({ path: join(SCREENS_DIR, `admin-referral-fees-${width}.png`) });
      await page.close();
    }
  });

  it('shows his probation officer the ledger read-only, with the receipt links', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, baseUrl, staff.users.probation_officer.email);
    await page.goto(`${baseUrl}/referrals/${referralId}`);
    const fees = page.locator('section.fees');
    await expect(fees.locator('tbody tr').count()).resolves.toBeGreaterThan(3);
    await expect(fees.locator('form').count()).resolves.toBe(0);
    await screenshot(page, 'probation-referral-fees');
    const receipt = await fees.getByRole('link', { name: 'Receipt' }).first().getAttribute('href');
    expect((await page.request.get(`${baseUrl}${String(receipt)}`)).status()).toBe(200);
    // Posting anyway is refused for his role.
    const refused = await page.request.post(`${baseUrl}/referrals/${referralId}/fees`, { form: { form: 'waiver', reason: 'nope' } });
    expect(refused.status()).toBe(403);
    await page.close();
  });
});
