import { Browser, Page } from 'playwright-core';
import { addDays, usDate } from '../../src/common/dates';
import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, createAgency, createStaff, createUser, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, pinToday, seedReference, sessionsOf, TODAY } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { closeBrowserApp, screenshot, signedInPage, startBrowserApp } from './browser-harness';

describe('probation officer, court clerk and notice pages (Chromium)', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let staff: Staff;
  const ids: Record<string, string> = {};
  const cases: Record<string, string> = {};
  let reference: Awaited<ReturnType<typeof seedReference>>;
  /** The session of Marcus D.'s third unexcused absence: the day he crossed the limit. */
  let crossedOn: string;

  beforeAll(async () => {
    ({ testApp, baseUrl, browser } = await startBrowserApp());
    staff = await createStaff(testApp);
    reference = await seedReference(testApp);
    pinToday(testApp);
    await testApp.dataSource.query(`UPDATE agencies SET name = 'St. Louis County District Court' WHERE id = $1`, [staff.court.id]);
    await testApp.dataSource.query(`UPDATE users SET name = 'Maria Santos' WHERE id = $1`, [staff.users.probation_officer.id]);
    await testApp.dataSource.query(`UPDATE users SET name = 'Joan Becker' WHERE id = $1`, [staff.users.court_clerk.id]);
    await testApp.dataSource.query(`UPDATE users SET name = 'Dana Whitaker' WHERE id = $1`, [staff.users.admin.id]);
    const otherCourt = await createAgency(testApp.dataSource, AgencyKind.Court, 'Carlton County District Court');
    const otherOfficer = await createUser(testApp.dataSource, Role.ProbationOfficer, staff.probation.id, 'Other Officer');

    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 2,
    });
    const sessions = (await sessionsOf(testApp, staff, group.id, addDays(TODAY, -60), TODAY)).slice(-3);
    crossedOn = sessions[2].date;
    const make = async (key: string, firstName: string, lastName: string, extra: Record<string, string> = {}) => {
      const referral = await createReferral(testApp, staff, {
        policyId: reference.duluthPolicy.id,
        firstName,
        lastName,
        orderedOn: addDays(TODAY, -40),
        ...extra,
      });
      ids[key] = referral.id;
      cases[key] = referral.caseNumber;
    };
    await make('referred', 'Anthony', 'Reyes', { orderedOn: addDays(TODAY, -3) });
    await make('active', 'James', 'Whitfield', { dateOfBirth: '1984-03-17' });
    await make('nonCompliant', 'Marcus', 'Delgado');
    await make('completed', 'Robert', 'Okafor');
    await make('failed', 'Daniel', 'Lindqvist');
    await make('otherOfficers', 'Kevin', 'Baptiste', { probationOfficerId: otherOfficer.id });
    await make('otherCourt', 'Thomas', 'Greer', { courtAgencyId: otherCourt.id, probationOfficerId: otherOfficer.id });

    const { enrollment } = await enroll(testApp, staff, ids.active, group.id, sessions[0].date);
    const { enrollment: delgado } = await enroll(testApp, staff, ids.nonCompliant, group.id, sessions[0].date);
    for (const [index, session] of sessions.entries()) {
      const excused = index === 1;
      await testApp.http
        .put(`/api/v1/sessions/${session.id}/attendance`)
        .set(bearer(staff.tokens.facilitator))
        .send({
          marks: [
            {
              enrollmentId: enrollment.id,
              status: excused ? 'absent_excused' : 'present',
              ...(excused ? { note: 'Sick; called ahead' } : {}),
            },
            // Marcus D. misses three in a row without excuse: the rules make him non-compliant and notify.
            { enrollmentId: delgado.id, status: 'absent_unexcused' },
          ],
        })
        .expect(200);
    }
    await waitFor(
      async () => {
        const notices = await noticesOf(ids.nonCompliant);
        return notices.length > 0 && notices.every((notice) => notice.status === 'sent');
      },
      { what: 'Marcus D.’s notices sent' },
    );
    // Standing the rules would reach over weeks, set directly: the page's job is to sort and show it.
    for (const [key, status] of [
      ['completed', 'completed'],
      ['failed', 'failed_to_enroll'],
    ]) {
      await testApp.dataSource.query(`UPDATE referrals SET status = $2 WHERE id = $1`, [ids[key], status]);
    }
  });

  const noticesOf = async (referralId: string) =>
    await testApp.dataSource.query<Array<{ id: string; status: string; recipient_kind: string; last_response: string | null }>>(
      `SELECT id, status, recipient_kind, last_response FROM notices WHERE referral_id = $1 ORDER BY created_at, recipient_kind::text`,
      [referralId],
    );

  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  async function signedIn(email: string): Promise<Page> {
    const page = await signedInPage(browser, baseUrl, email, { width: 1280, height: 900, timeout: 5_000 });
    return page;
  }

  it('shows the probation officer his caseload, worst standing first, and only his', async () => {
    const page = await signedIn(staff.users.probation_officer.email);
    expect(new URL(page.url()).pathname).toBe('/caseload');
    const names = await page.locator('tbody th').allInnerTexts();
    expect(names).toEqual(['Marcus Delgado', 'Daniel Lindqvist', 'Anthony Reyes', 'James Whitfield', 'Robert Okafor']);
    await expect(page.locator('tbody tr').nth(2).innerText()).resolves.toMatch(/Enroll by/i);
    // The why: which limit he crossed, and since when (the crossing's day).
    await expect(page.locator('tbody tr').first().innerText()).resolves.toMatch(
      /Non-compliant\s+(Unexcused absence limit exceeded|Consecutive absences)\s+since \d\d\/\d\d\/\d{4}\s+0 of 24\s+3/,
    );
    await expect(page.locator('.counts').innerText()).resolves.toContain('1 Non-compliant');
    // At 1280 px the whole table shows, its last header too (a pixel of sub-pixel rounding aside).
    await expect(page.locator('.table-wrap').evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth)).resolves.toBeLessThanOrEqual(1);
    await screenshot(page, 'probation-caseload');
    // On a 768 px tablet every column fits without scrolling sideways.
    await page.setViewportSize({ width: 768, height: 1024 });
    const overflow = await page.locator('.table-wrap').evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'probation-caseload-tablet');

    await page.getByRole('link', { name: 'James Whitfield' }).click();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('James Whitfield');
    await expect(page.getByRole('region', { name: 'Standing' }).innerText()).resolves.toMatch(/Sessions attended\s+2 of 24/);
    const history = page.getByRole('region', { name: 'Attendance history' });
    await expect(history.locator('tbody tr').count()).resolves.toBe(3);
    await expect(history.innerText()).resolves.toContain('Sick; called ahead');
    await screenshot(page, 'probation-referral');
    await page.close();
  });

  it('lets the officer read the events and notices, acknowledge his, and download the progress report', async () => {
    const page = await signedIn(staff.users.probation_officer.email);
    await page.getByRole('link', { name: 'Marcus Delgado' }).click();
    // His status dates from the absence that crossed the limit, not from when the mark was processed.
    expect(crossedOn < TODAY).toBe(true);
    await expect(page.getByRole('region', { name: 'Standing' }).innerText()).resolves.toMatch(
      new RegExp(`Status since\\s+${usDate(crossedOn)}`),
    );
    const notices = page.getByRole('region', { name: 'Events and notices' });
    // Three unexcused absences: the unexcused limit, named as such (not the total-absence limit).
    await expect(notices.innerText()).resolves.toContain('Unexcused absence limit exceeded');
    await expect(notices.innerText()).resolves.not.toContain('Total absence limit exceeded');
    // He sees the court's notices too, but acknowledges only his own.
    const officerNotices = (await noticesOf(ids.nonCompliant)).filter((notice) => notice.recipient_kind === 'probation_officer');
    await expect(notices.getByRole('button', { name: /Acknowledge/ }).count()).resolves.toBe(officerNotices.length);
    await screenshot(page, 'probation-referral-notices');
    await notices
      .getByRole('button', { name: /Acknowledge/ })
      .first()
      .click();
    await expect(page.getByRole('status').innerText()).resolves.toBe('Notice acknowledged.');
    expect(new URL(page.url()).pathname).toBe(`/referrals/${ids.nonCompliant}`);
    const after = (await noticesOf(ids.nonCompliant)).filter((notice) => notice.recipient_kind === 'probation_officer');
    expect(after.filter((notice) => notice.status === 'acknowledged')).toHaveLength(1);

    const report = await page.request.get(`${baseUrl}/referrals/${ids.nonCompliant}/progress-report.pdf`);
    expect(report.status()).toBe(200);
    expect(report.headers()['content-type']).toBe('application/pdf');
    expect((await report.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // Saved under the case number and the day, not progress-report-<uuid>.pdf.
    expect(report.headers()['content-disposition']).toBe(`inline; filename="${cases.nonCompliant}-progress-report-${TODAY}.pdf"`);
    const letterHref = await notices.getByRole('link', { name: 'Letter (PDF)' }).first().getAttribute('href');
    const letter = await page.request.get(`${baseUrl}${String(letterHref)}`);
    expect(letter.headers()['content-disposition']).toMatch(
      new RegExp(`^inline; filename="${cases.nonCompliant}-letter-[a-z-]+-\\d{4}-\\d{2}-\\d{2}\\.pdf"$`),
    );
    await expect(page.getByRole('link', { name: 'Progress report (PDF)' }).getAttribute('href')).resolves.toBe(
      `/referrals/${ids.nonCompliant}/progress-report.pdf`,
    );
    await page.close();
  });

  it('answers another officer’s referral with the 404 page', async () => {
    const page = await signedIn(staff.users.probation_officer.email);
    const response = await page.goto(`${baseUrl}/referrals/${ids.otherOfficers}`);
    expect(response!.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Not found');
    await page.close();
  });

  /** Types the case number into the lookup form and submits it (a POST); answers the page's status. */
  async function lookUp(page: Page, caseNumber: string): Promise<number> {
    await page.getByLabel('Case number').fill(caseNumber);
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.request().isNavigationRequest() && answer.status() !== 303),
      page.getByRole('button', { name: 'Look up' }).click(),
    ]);
    return response.status();
  }

  it('lets a court clerk look up a case and see its standing, nothing else about the man', async () => {
    const page = await signedIn(staff.users.court_clerk.email);
    expect(new URL(page.url()).pathname).toBe('/lookup');
    expect(await lookUp(page, cases.active.toLowerCase())).toBe(200);
    // The case number went in a POST body; the address names only the referral's id.
    expect(new URL(page.url()).pathname).toBe(`/lookup/${ids.active}`);
    expect(page.url()).not.toContain(cases.active);
    const result = page.getByRole('region', { name: /^Case / });
    const text = await result.innerText();
    expect(text).toContain(`Case ${cases.active} — James Whitfield`);
    expect(text).toMatch(/Sessions attended\s+2 of 24 required/);
    expect(text).toMatch(/Absences\s+1 \(0 unexcused\)/);
    expect(text).toContain('Enroll by');
    expect(text).toContain('Complete by');
    const html = await page.content();
    expect(html).not.toContain('1984');
    expect(html).not.toContain('Sick; called ahead');
    await screenshot(page, 'court-lookup');
    await page.close();
  });

  it('shows the clerk the notices sent to the court and lets him acknowledge them', async () => {
    const page = await signedIn(staff.users.court_clerk.email);
    await lookUp(page, cases.nonCompliant);
    const courtNotices = (await noticesOf(ids.nonCompliant)).filter((notice) => notice.recipient_kind === 'court');
    const rows = page.getByRole('region', { name: /^Case / }).locator('tbody tr');
    await expect(rows.count()).resolves.toBe(courtNotices.length);
    await expect(rows.first().innerText()).resolves.toContain('Court');
    await page
      .getByRole('button', { name: /Acknowledge/ })
      .first()
      .click();
    await expect(page.getByRole('status').innerText()).resolves.toBe('Notice acknowledged.');
    expect(new URL(page.url()).pathname).toBe(`/lookup/${ids.nonCompliant}`);
    expect(page.url()).not.toContain(cases.nonCompliant);
    const statuses = (await noticesOf(ids.nonCompliant))
      .filter((notice) => notice.recipient_kind === 'court')
      .map((notice) => notice.status);
    expect(statuses).toContain('acknowledged');
    await screenshot(page, 'court-lookup-notices');
    await page.close();
  });

  it('shows staff the notice queue with a dead notice’s server answer, and sends it again', async () => {
    const [dead] = (await noticesOf(ids.nonCompliant)).filter((notice) => notice.status === 'sent');
    await testApp.dataSource.query(
      `UPDATE notices SET status = 'dead', attempts = 1, last_response = '550 5.1.1 <court@agency.test>: mailbox unavailable' WHERE id = $1`,
      [dead.id],
    );
    const page = await signedIn(staff.users.admin.email);
    await page.getByRole('link', { name: 'Notices' }).click();
    const needsStaff = page.getByRole('region', { name: 'Needs staff' });
    await expect(needsStaff.innerText()).resolves.toContain('550 5.1.1 <court@agency.test>: mailbox unavailable');
    await expect(page.locator('.summary-cards').innerText()).resolves.toMatch(/1\s+dead/);
    await screenshot(page, 'admin-notices');
    await needsStaff.getByRole('button', { name: /Send again/ }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe('The notice is queued to be sent again.');
    const [row] = (await noticesOf(ids.nonCompliant)).filter((notice) => notice.id === dead.id);
    expect(row.status).not.toBe('dead');
    await waitFor(async () => (await noticesOf(ids.nonCompliant)).find((notice) => notice.id === dead.id)!.status === 'sent', {
      what: 'the retried notice sent',
    });
    await page.close();
  });

  it('tells a court clerk another court’s case is not found', async () => {
    const page = await signedIn(staff.users.court_clerk.email);
    expect(await lookUp(page, cases.otherCourt)).toBe(404);
    await expect(page.getByRole('alert').innerText()).resolves.toContain(
      `No case ${cases.otherCourt} is referred to the program from your court`,
    );
    await expect(page.content()).resolves.not.toContain('Greer');
    // Part of a number offers his own court's matching case numbers only, as buttons that post them.
    const fragment = cases.nonCompliant.slice(-6);
    expect(await lookUp(page, fragment)).toBe(404);
    await page.getByRole('button', { name: cases.nonCompliant }).click();
    await page.getByRole('heading', { name: new RegExp(`Case ${cases.nonCompliant}`) }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/lookup/${ids.nonCompliant}`);
    await page.goto(`${baseUrl}/lookup`);
    expect(await lookUp(page, cases.otherCourt.slice(-6))).toBe(404);
    expect(await page.getByRole('button', { name: cases.otherCourt }).count()).toBe(0);
    // Nor can he open another court's case by its id, or the officers' referral page.
    expect((await page.goto(`${baseUrl}/lookup/${ids.otherCourt}`))!.status()).toBe(404);
    const direct = await page.goto(`${baseUrl}/referrals/${ids.otherCourt}`);
    expect(direct!.status()).toBe(403);
    // An old bookmark with the number in its address shows the empty form, not the case.
    await page.goto(`${baseUrl}/lookup?caseNumber=${encodeURIComponent(cases.nonCompliant)}`);
    expect(await page.getByRole('region', { name: /^Case / }).count()).toBe(0);
    await page.close();
  });

  it('finds a case number typed with spaces in any case, and says how many more match past the first eight', async () => {
    const made: Record<string, string> = {};
    for (let n = 0; n < 15; n += 1) {
      const caseNumber = `69DU-CR-26-14${String(n).padStart(2, '0')}`;
      made[caseNumber] = (
        await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, caseNumber, orderedOn: addDays(TODAY, -3) })
      ).id;
    }
    const page = await signedIn(staff.users.court_clerk.email);
    expect(await lookUp(page, '69du cr 26 1407')).toBe(200);
    expect(new URL(page.url()).pathname).toBe(`/lookup/${made['69DU-CR-26-1407']}`);

    await page.goto(`${baseUrl}/lookup`);
    expect(await lookUp(page, '26-14')).toBe(404);
    const matches = page.getByRole('navigation', { name: /Case numbers containing/ });
    await expect(matches.getByRole('button').count()).resolves.toBe(8);
    await expect(matches.innerText()).resolves.toContain('15 of your court’s case numbers contain it');
    await expect(matches.innerText()).resolves.toContain('…and 7 more');
    // A partial match is not "no case": the page does not say none is referred.
    await expect(page.content()).resolves.not.toContain('is referred to the program from your court');
    await screenshot(page, 'court-lookup-partial');
    await page.close();
  });
});
