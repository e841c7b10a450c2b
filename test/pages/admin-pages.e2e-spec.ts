import { Browser, Page } from 'playwright-core';
import { addDays, usDate } from '../../src/common/dates';
import { createStaff, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, pinToday, seedReference, sessionsOf, TODAY } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { closeBrowserApp, MEN, screenshot, signedInPage, startBrowserApp } from './browser-harness';

describe('program admin pages (Chromium)', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  let staff: Staff;
  let reference: Awaited<ReturnType<typeof seedReference>>;
  let openGroup: { id: string; name: string };
  let lastSessionDate: string;

  beforeAll(async () => {
    ({ testApp, baseUrl, browser } = await startBrowserApp());
    staff = await createStaff(testApp);
    reference = await seedReference(testApp);
    pinToday(testApp);
    await testApp.dataSource.query(`UPDATE agencies SET name = 'St. Louis County District Court' WHERE id = $1`, [staff.court.id]);
    await testApp.dataSource.query(`UPDATE users SET name = 'Maria Santos' WHERE id = $1`, [staff.users.probation_officer.id]);
    await testApp.dataSource.query(`UPDATE users SET name = 'Dana Whitaker' WHERE id = $1`, [staff.users.admin.id]);
    await testApp.dataSource.query(`UPDATE users SET name = 'Sam Okonkwo' WHERE id = $1`, [staff.users.facilitator.id]);
    openGroup = await createGroup(testApp, staff, {
      name: 'Tuesday evening men’s group',
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 2,
      capacity: 12,
    });
    const fullGroup = await createGroup(testApp, staff, {
      name: 'Thursday morning group',
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 4,
      capacity: 2,
    });
    const sessions = await sessionsOf(testApp, staff, openGroup.id, addDays(TODAY, -60), TODAY);
    lastSessionDate = sessions.at(-1)!.date;
    const fullSessions = await sessionsOf(testApp, staff, fullGroup.id, addDays(TODAY, -60), TODAY);
    for (const [index, [firstName, lastName]] of MEN.slice(0, 5).entries()) {
      const referral = await createReferral(testApp, staff, {
        policyId: reference.duluthPolicy.id,
        firstName,
        lastName,
        orderedOn: addDays(TODAY, -50),
      });
      if (index < 2) await enroll(testApp, staff, referral.id, fullGroup.id, fullSessions[0].date);
      else if (index < 4) await enroll(testApp, staff, referral.id, openGroup.id, sessions[0].date);
    }
    page = await signedInPage(browser, baseUrl, staff.users.admin.email, { width: 1280, height: 900, timeout: 5_000 });
  });

  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  const fieldError = (name: string) => page.locator(`#f-${name.replace(/\./g, '-')}-error`).innerText();

  it('lands on the referral list', async () => {
    expect(new URL(page.url()).pathname).toBe('/referrals');
    await expect(page.locator('tbody tr').count()).resolves.toBe(5);
    await screenshot(page, 'admin-referrals');
  });

  it('shows the API’s field errors beside the fields of a bad intake, keeping what was typed', async () => {
    await page.getByRole('link', { name: 'New referral' }).first().click();
    await page.getByLabel('Last name').fill('Hollis');
    await page.getByLabel('Case number').fill('!!');
    const response = page.waitForResponse((res) => res.url().endsWith('/intake') && res.request().method() === 'POST');
    await page.getByRole('button', { name: 'Create referral' }).click();
    expect((await response).status()).toBe(400);
    await expect(page.locator('.error-summary h2').innerText()).resolves.toBe('The referral was not saved');
    // Empty fields say what is missing; a value the API refuses shows the API's own message.
    await expect(fieldError('participant.firstName')).resolves.toBe('Enter his first name');
    await expect(fieldError('participant.dateOfBirth')).resolves.toBe('Enter his date of birth');
    await expect(fieldError('caseNumber')).resolves.toBe('Case number: use 3 to 60 letters, digits and - . / _');
    await expect(fieldError('courtAgencyId')).resolves.toBe('Choose the court');
    await expect(fieldError('policyId')).resolves.toBe('Choose the policy');
    await page.getByLabel('Date of birth').fill('1986-09-14');
    await page.getByLabel('E-mail').fill('not-an-address');
    await page.getByRole('button', { name: 'Create referral' }).click();
    await expect(fieldError('participant.email')).resolves.toBe('E-mail: enter an e-mail address, such as name@example.org');
    await expect(page.getByLabel('Last name').inputValue()).resolves.toBe('Hollis');
    await expect(page.getByLabel('First name').getAttribute('aria-invalid')).resolves.toBe('true');
    await screenshot(page, 'admin-intake-errors');
  });

  it('shows the service’s 422 beside the field too (a date of birth too recent)', async () => {
    await page.getByLabel('First name').fill('Raymond');
    await page.getByLabel('E-mail').fill('');
    await page.getByLabel('Date of birth').fill('2020-04-01');
    await page.getByLabel('Case number').fill('69DU-CR-26-2001');
    await page.getByLabel('Ordered on').fill(addDays(TODAY, -20));
    await page.getByLabel('Court').selectOption({ label: 'St. Louis County District Court' });
    await page.getByLabel('Probation officer').selectOption({ label: 'Maria Santos' });
    await page.getByLabel('Program rules (policy)').selectOption(reference.duluthPolicy.id);
    await page.getByRole('button', { name: 'Create referral' }).click();
    await page.getByLabel('Ordered on').fill(addDays(TODAY, 3));
    await page.getByRole('button', { name: 'Create referral' }).click();
    // The rules' refusals in plain words, beside the field, with its label.
    await expect(fieldError('participant.dateOfBirth')).resolves.toBe('Date of birth: he must be at least 14');
    await expect(fieldError('orderedOn')).resolves.toBe('Ordered on: it cannot be in the future');
    await expect(page.locator('.field-errors').count()).resolves.toBe(2);
    await expect(page.content()).resolves.not.toContain('participant.dateOfBirth must');
    await page.getByLabel('Ordered on').fill(addDays(TODAY, -20));
  });

  it('creates the referral from a good form and shows his page', async () => {
    await page.getByLabel('Date of birth').fill('1986-09-14');
    // The language comes from the groups' list, and his page shows it.
    await expect(page.getByLabel('Preferred language').evaluate((select) => select.tagName)).resolves.toBe('SELECT');
    await page.getByLabel('Preferred language').selectOption({ label: 'Spanish (español)' });
    await page.getByLabel('Program rules (policy)').selectOption(reference.duluthPolicy.id);
    await page.getByRole('button', { name: 'Create referral' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Referral created');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Raymond Hollis');
    await expect(page.getByRole('region', { name: 'Order' }).innerText()).resolves.toMatch(/Language\s+Spanish \(español\)/);
    const [row] = await testApp.dataSource.query(`SELECT status, policy_id FROM referrals WHERE case_number = '69DU-CR-26-2001'`);
    expect(row).toEqual({ status: 'referred', policy_id: reference.duluthPolicy.id });
  });

  it('refuses the same case number again with the message beside the case number', async () => {
    await page.goto(`${baseUrl}/intake`);
    await page.getByLabel('First name').fill('Other');
    await page.getByLabel('Last name').fill('Person');
    await page.getByLabel('Date of birth').fill('1979-01-02');
    await page.getByLabel('Case number').fill('69du-cr-26-2001');
    await page.getByLabel('Court').selectOption({ label: 'St. Louis County District Court' });
    await page.getByLabel('Probation officer').selectOption({ label: 'Maria Santos' });
    await page.getByLabel('Program rules (policy)').selectOption(reference.duluthPolicy.id);
    await page.getByRole('button', { name: 'Create referral' }).click();
    await expect(fieldError('caseNumber')).resolves.toContain('already referred from this court');
  });

  it('enrolls him into a group, showing capacity and refusing a full one', async () => {
    const [{ id }] = await testApp.dataSource.query(`SELECT id FROM referrals WHERE case_number = '69DU-CR-26-2001'`);
    await page.goto(`${baseUrl}/referrals/${id}`);
    await page.getByRole('link', { name: 'Enroll in a group' }).click();
    const full = page.getByRole('radio', { name: /Thursday morning group/ });
    await expect(full.isDisabled()).resolves.toBe(true);
    await expect(page.locator('label[for^="g-"]', { hasText: 'Thursday morning group' }).innerText()).resolves.toContain(
      '2 of 2 places taken — full',
    );
    await expect(page.locator('label[for^="g-"]', { hasText: 'Tuesday evening' }).innerText()).resolves.toContain(
      '2 of 12 places taken — 10 left',
    );
    await page.getByRole('button', { name: 'Enroll' }).click();
    await expect(fieldError('groupId')).resolves.toBe('Choose a group');
    await screenshot(page, 'admin-enroll');

    await page.locator('label', { hasText: 'Tuesday evening men’s group' }).click();
    // A Tuesday group cannot have his first session on a Saturday: refused beside the date, nothing written.
    const saturday = addDays(lastSessionDate, 4);
    await page.getByLabel('First session').fill(saturday);
    const refused = page.waitForResponse((res) => res.url().endsWith('/enroll') && res.request().method() === 'POST');
    await page.getByRole('button', { name: 'Enroll' }).click();
    expect((await refused).status()).toBe(422);
    await expect(fieldError('startDate')).resolves.toBe(
      `Tuesday evening men’s group meets on Tuesdays: his first session could be Tuesday ${usDate(addDays(saturday, 3))}`,
    );
    await expect(testApp.dataSource.query(`SELECT count(*)::int AS n FROM enrollments WHERE referral_id = $1`, [id])).resolves.toEqual([
      { n: 0 },
    ]);
    await page.locator('label', { hasText: 'Tuesday evening men’s group' }).click();
    await page.getByLabel('First session').fill(lastSessionDate);
    await page.getByRole('button', { name: 'Enroll' }).click();
    // He speaks Spanish and the group meets in English: asked once more, nothing written yet.
    await expect(page.locator('[data-enroll-warnings]').innerText()).resolves.toContain(
      'Raymond’s language is Spanish; the group meets in English.',
    );
    await expect(testApp.dataSource.query(`SELECT count(*)::int AS n FROM enrollments WHERE referral_id = $1`, [id])).resolves.toEqual([
      { n: 0 },
    ]);
    await page.getByRole('button', { name: 'Enroll anyway' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe(
      'Enrolled. A confirmation goes to the probation officer and the court.',
    );
    await expect(page.getByRole('region', { name: 'Groups' }).innerText()).resolves.toContain('Tuesday evening men’s group');
    const [referral] = await testApp.dataSource.query(`SELECT status FROM referrals WHERE id = $1`, [id]);
    expect(referral.status).toBe('active');
    await screenshot(page, 'admin-referral');
  });

  it('shows the groups with their capacity and the coming sessions', async () => {
    await page.getByRole('link', { name: 'Groups' }).click();
    const tuesday = page.getByRole('region', { name: 'Tuesday evening men’s group' });
    await expect(tuesday.locator('.capacity').innerText()).resolves.toBe('3 of 12 enrolled');
    await expect(tuesday.locator('tbody tr').count()).resolves.toBeGreaterThanOrEqual(4);
    await screenshot(page, 'admin-groups');
  });

  it('decides on an order from the referral page: completion refused with its reasons, a reason required, then closed', async () => {
    const referral = await createReferral(testApp, staff, {
      policyId: reference.duluthPolicy.id,
      firstName: 'Owen',
      lastName: 'Marsh',
      orderedOn: addDays(TODAY, -50),
    });
    await enroll(testApp, staff, referral.id, openGroup.id, lastSessionDate);
    await page.goto(`${baseUrl}/referrals/${referral.id}`);
    // At 0 of 24 sessions, Mark complete is not the button the page leads with.
    await expect(page.getByRole('button', { name: 'Mark complete' }).getAttribute('class')).resolves.not.toContain('button--primary');
    await page.getByRole('button', { name: 'Mark complete' }).click();
    await page.getByText('He cannot be marked complete yet:').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('0 of 24 required sessions attended');
    await page.getByRole('button', { name: 'Close the order' }).click();
    await page.getByText('Give the reason').waitFor();
    await page.getByLabel(/Reason/).fill('Order withdrawn: case transferred to Carlton County');
    await page.getByRole('button', { name: 'Close the order' }).click();
    // Closing asks once more, saying what happens and who is e-mailed; going back changes nothing.
    const confirm = page.getByRole('alertdialog');
    await expect(confirm.innerText()).resolves.toContain('An e-mail with a letter goes to the probation officer and the court');
    // Taken here, not with the reason typed: a full-page picture resizes the page, and the click
    // that followed it did not reach the button (no request was made).
    await screenshot(page, 'admin-referral-decisions');
    await confirm.getByRole('link', { name: 'Go back, change nothing' }).click();
    const [untouched] = await testApp.dataSource.query(`SELECT status FROM referrals WHERE id = $1`, [referral.id]);
    expect(untouched.status).toBe('active');
    await page.getByLabel(/Reason/).fill('Order withdrawn: case transferred to Carlton County');
    await page.getByRole('button', { name: 'Close the order' }).click();
    await page.getByRole('button', { name: 'Yes, close the order and tell them' }).click();
    await page.getByText('Closed.').waitFor();
    const [row] = await testApp.dataSource.query(`SELECT status, status_reason FROM referrals WHERE id = $1`, [referral.id]);
    expect(row).toEqual({ status: 'closed', status_reason: 'Order withdrawn: case transferred to Carlton County' });
    expect(await page.getByRole('button', { name: 'Close the order' }).count()).toBe(0);
  });

  it('asks before terminating, names who is e-mailed and offers reinstatement instead for a non-compliant man', async () => {
    const referral = await createReferral(testApp, staff, {
      policyId: reference.duluthPolicy.id,
      firstName: 'Curtis',
      lastName: 'Fairbanks',
      orderedOn: addDays(TODAY, -50),
    });
    await enroll(testApp, staff, referral.id, openGroup.id, lastSessionDate);
    await testApp.dataSource.query(`UPDATE referrals SET status = 'non_compliant' WHERE id = $1`, [referral.id]);
    const notices = async () =>
      Number((await testApp.dataSource.query(`SELECT count(*) AS n FROM notices WHERE referral_id = $1`, [referral.id]))[0].n);
    const before = await notices();
    await page.goto(`${baseUrl}/referrals/${referral.id}`);
    await page.getByLabel(/Reason/).fill('Threatened a group member');
    await page.getByRole('button', { name: 'Terminate' }).click();
    const confirm = page.getByRole('alertdialog');
    await expect(confirm.getByRole('heading').innerText()).resolves.toBe('Terminate Curtis Fairbanks from the program?');
    const text = await confirm.innerText();
    expect(text).toContain('His place in his group ends today');
    expect(text).toContain('An e-mail with a letter goes to the probation officer and the court');
    expect(text).toContain('choose Reinstate');
    // Nothing has happened yet: no status change, no notice.
    const [still] = await testApp.dataSource.query(`SELECT status FROM referrals WHERE id = $1`, [referral.id]);
    expect(still.status).toBe('non_compliant');
    expect(await notices()).toBe(before);
    await screenshot(page, 'admin-referral-terminate-confirm');
    await confirm.getByRole('button', { name: 'Yes, terminate and tell them' }).click();
    await page.getByText('Terminated.').waitFor();
    const [after] = await testApp.dataSource.query(`SELECT status, status_reason FROM referrals WHERE id = $1`, [referral.id]);
    expect(after).toEqual({ status: 'terminated', status_reason: 'Threatened a group member' });
  });

  it('finds referrals by his name as well as by case number, with neither in the address', async () => {
    await page.goto(`${baseUrl}/referrals`);
    const search = async (text: string) => {
      await page.getByLabel('Name or case number').fill(text);
      await page.getByRole('button', { name: 'Filter' }).click();
      return page.locator('tbody tr').allInnerTexts();
    };
    const byName = await search('hollis');
    expect(byName).toHaveLength(1);
    expect(byName[0]).toContain('Hollis, Raymond');
    expect(page.url()).not.toMatch(/hollis/i);
    const byNumber = await search('69du cr 26 2001');
    expect(byNumber).toHaveLength(1);
    expect(byNumber[0]).toContain('69DU-CR-26-2001');
  });

  it('titles the admin’s sessions page for what it shows: every group’s sessions, not “my” sessions', async () => {
    await page.getByRole('link', { name: 'Sessions', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Sessions of all groups');
    await expect(page.title()).resolves.toBe('Sessions of all groups · Throughline');
  });

  it('cancels a coming session from the group schedule with its reason', async () => {
    const [next] = (await sessionsOf(testApp, staff, openGroup.id, addDays(TODAY, 1), addDays(TODAY, 30))).filter(
      (s) => s.status === 'scheduled',
    );
    await page.goto(`${baseUrl}/groups`);
    const row = page.locator('tr', { has: page.locator(`a[href="/sessions/${next.id}/roster"]`) });
    await row.getByText('Cancel…').click();
    await row.getByLabel(/Why is the session/).fill('Building closed: no heat');
    await row.getByRole('button', { name: 'Cancel this session' }).click();
    await page.getByText('Session cancelled.').waitFor();
    const [session] = await testApp.dataSource.query(`SELECT status, cancelled_reason FROM sessions WHERE id = $1`, [next.id]);
    expect(session).toEqual({ status: 'cancelled', cancelled_reason: 'Building closed: no heat' });
    await screenshot(page, 'admin-groups-cancelled');
  });
});
