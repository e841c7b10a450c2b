import { Browser, Page } from 'playwright-core';
import { addDays } from '../../src/common/dates';
import { Role } from '../../src/common/auth/role.enum';
import { createGroup, createReferral, enroll, pinToday, seedReference, sessionsOf, TODAY } from '../helpers/domain';
import { bearer, createStaff, createUser, Staff } from '../helpers/fixtures';
import { freshStep, mailWithLink, totpCode } from '../accounts/account-helpers';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { referralWithNotices } from '../security/security-fixtures';
import { closeBrowserApp, MEN, screenshot, signedInPage, startBrowserApp, WIDTHS } from './browser-harness';
import { DomElement } from './browser-dom';

/**
 * The admin runs the program without a developer: users, agencies (a dead notice sent again once
 * the address is fixed), policies and groups, clicked through in Chromium at three widths.
 */
describe('admin settings pages (Chromium)', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  let staff: Staff;
  let reference: Awaited<ReturnType<typeof seedReference>>;
  let group: { id: string; name: string };
  let bouncing: string;

  beforeAll(async () => {
    ({ testApp, baseUrl, browser } = await startBrowserApp());
    staff = await createStaff(testApp);
    reference = await seedReference(testApp);
    pinToday(testApp);
    const names: Array<[string, string]> = [
      [staff.users.admin.id, 'Dana Whitaker'],
      [staff.users.facilitator.id, 'Sam Okonkwo'],
      [staff.users.probation_officer.id, 'Maria Santos'],
      [staff.users.court_clerk.id, 'Howard Lindqvist'],
      [staff.users.advocate.id, 'Grace Oyelaran'],
      [staff.users.coordinator.id, 'Ruth Halvorsen'],
    ];
    for (const [id, name] of names) await testApp.dataSource.query(`UPDATE users SET name = $2 WHERE id = $1`, [id, name]);
    await createUser(testApp.dataSource, Role.Facilitator, staff.program.id, 'Lena Brandt');
    await createUser(testApp.dataSource, Role.Facilitator, staff.program.id, 'Omar Haddad');
    await testApp.dataSource.query(`UPDATE agencies SET name = 'St. Louis County District Court' WHERE id = $1`, [staff.court.id]);
    await testApp.dataSource.query(`UPDATE agencies SET name = 'Arrowhead Regional Corrections' WHERE id = $1`, [staff.probation.id]);
    await testApp.dataSource.query(`UPDATE agencies SET name = 'Duluth Domestic Abuse Intervention Program' WHERE id = $1`, [
      staff.program.id,
    ]);
    await testApp.dataSource.query(`UPDATE agencies SET name = 'Safe Haven Shelter' WHERE id = $1`, [staff.advocacy.id]);
    testApp.smtp.answer = (mail) =>
      mail.to.includes(bouncing) ? { code: 550, message: '5.1.2 <notices@stlouis-court.example.gvo>: domain not found' } : null;

    group = await createGroup(testApp, staff, {
      name: 'Tuesday evening men’s group',
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 2,
      capacity: 12,
    });
    const sessions = await sessionsOf(testApp, staff, group.id, addDays(TODAY, -42), TODAY);
    for (const [firstName, lastName] of MEN.slice(0, 4)) {
      const referral = await createReferral(testApp, staff, {
        policyId: reference.duluthPolicy.id,
        firstName,
        lastName,
        orderedOn: addDays(TODAY, -45),
      });
      await enroll(testApp, staff, referral.id, group.id, sessions[0].date);
    }
    await waitFor(
      async () => (await testApp.dataSource.query(`SELECT count(*)::int AS n FROM notices WHERE status <> 'sent'`))[0].n === 0,
      { what: 'the enrollment notices sent', timeoutMs: 20_000 },
    );
    // Then the court's address is typed wrong: the mail server refuses it.
    bouncing = 'notices@stlouis-court.example.gvo';
    await testApp.dataSource.query(`UPDATE agencies SET notice_email = $2 WHERE id = $1`, [staff.court.id, bouncing]);
    const [firstName, lastName] = MEN[4];
    await referralWithNotices(testApp, staff, {
      policyId: reference.duluthPolicy.id,
      firstName,
      lastName,
      orderedOn: addDays(TODAY, -45),
      groupId: group.id,
      sessionId: sessions.at(-1)!.id,
      startDate: sessions[0].date,
    });
    // His enrollment and his removal were both told to the court, at the wrong address.
    await waitFor(
      async () =>
        (await testApp.dataSource.query(`SELECT count(*)::int AS n FROM notices WHERE status = 'dead' AND recipient_kind = 'court'`))[0]
          .n === 2,
      { what: 'the court notices dead', timeoutMs: 20_000 },
    );

    page = await signedInPage(browser, baseUrl, staff.users.admin.email, { width: 1280, height: 900, timeout: 5_000 });
  });

  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  /** The page fits the screen at each width (nothing scrolls sideways); pictures for docs/screens. */
  async function fitsEveryWidth(name: string, options: { tablesScroll?: boolean } = {}): Promise<void> {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      // Tables fit too (nothing hidden to the right of a phone), except a side-by-side comparison meant to scroll.
      if (!options.tablesScroll) {
        const clipped = await page
          .locator('.table-wrap')
          .evaluateAll((wraps) => wraps.map((wrap) => wrap.scrollWidth - wrap.clientWidth).filter((extra) => extra > 0));
        expect({ name, width, clipped }).toEqual({ name, width, clipped: [] });
      }
      const overflow = await page.locator('html').evaluate((root) => root.scrollWidth - root.clientWidth);
      // What sticks out, by tag and class, so a failure says where to look.
      const wide = overflow
        ? await page.locator('body *').evaluateAll((elements) => {
            const limit = (elements[0] as DomElement).ownerDocument.documentElement.clientWidth + 1;
            return elements
              .filter((element) => element.getBoundingClientRect().right > limit)
              .slice(-3)
              .map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
          })
        : [];
      expect({ name, width, overflow, wide }).toEqual({ name, width, overflow: 0, wide: [] });
      // docs/screens keeps the laptop and the phone; the tablet is checked, not pictured.
      if (width !== 768) await screenshot(page, width === 1280 ? name : `${name}-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  const fieldError = (name: string) => page.locator(`#f-${name}-error`).innerText();

  it('reaches users, agencies, policies and the queue dashboard from the navigation', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const [label, path] of [
      ['Users', '/admin/users'],
      ['Agencies', '/admin/agencies'],
      ['Policies', '/admin/policies'],
      ['Queues', '/admin/queues'],
    ] as const) {
      await nav.getByRole('link', { name: label, exact: true }).click();
      await page.waitForURL(`${baseUrl}${path}`);
      if (label === 'Queues') {
        await page.getByText('Throughline queues').first().waitFor();
        await page.goBack();
      }
    }
  });

  it('finds a user by part of his name, opens him, and answers a role his agency cannot hold beside the field', async () => {
    await page.goto(`${baseUrl}/admin/users`);
    await expect(page.locator('tbody tr').count()).resolves.toBe(8);
    await fitsEveryWidth('admin-users');
    await page.getByLabel('Name or e-mail').fill('santo');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);
    // The search text travels in the form's body, never in the address.
    expect(page.url()).toBe(`${baseUrl}/admin/users`);
    await page.getByRole('link', { name: 'Maria Santos' }).click();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Maria Santos');
    await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption({ label: 'Court clerk' });
    await page.getByRole('button', { name: 'Save role and agency' }).click();
    await expect(fieldError('agencyId')).resolves.toMatch(
      /A court clerk works for a court agency; Arrowhead Regional Corrections is a probation agency/,
    );
    await fitsEveryWidth('admin-user');
  });

  it('moves a facilitator to the CCR coordinator role and deactivates and reactivates an account', async () => {
    await page.goto(`${baseUrl}/admin/users`);
    await page.getByRole('link', { name: 'Lena Brandt' }).click();
    await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption({ label: 'CCR coordinator' });
    await page.getByRole('button', { name: 'Save role and agency' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Role and agency saved');
    await expect(page.locator('.lead').innerText()).resolves.toContain('CCR coordinator');
    await page.getByRole('button', { name: 'Deactivate the account' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Account deactivated');
    await page.getByRole('button', { name: 'Reactivate the account' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Account reactivated');
  });

  it('shows the invitation form with its fields and answers bad input beside each', async () => {
    await page.goto(`${baseUrl}/admin/users`);
    await page.getByRole('link', { name: 'Invite a user' }).click();
    await page.getByLabel('E-mail').fill('not an address');
    const response = page.waitForResponse((res) => res.url().endsWith('/admin/users/invite') && res.request().method() === 'POST');
    await page.getByRole('button', { name: 'Send the invitation' }).click();
    expect((await response).status()).toBe(400);
    await expect(fieldError('name')).resolves.toBe('Enter the person’s name');
    await expect(fieldError('email')).resolves.toBe('Enter an e-mail address, like name@agency.gov');
    await expect(fieldError('role')).resolves.toBe('Choose a role');
    await fitsEveryWidth('admin-user-invite');
  });

  it('invites a new facilitator from the form, and resets a clerk’s second factor from his page', async () => {
    await page.goto(`${baseUrl}/admin/users/invite`);
    await page.getByLabel('Name').fill('Nadia Petrov');
    await page.getByLabel('E-mail').fill('nadia.petrov@program.test');
    await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption({ label: 'Facilitator' });
    await page
      .getByRole('combobox', { name: 'Agency', exact: true })
      .selectOption({ label: 'Duluth Domestic Abuse Intervention Program (program: program admin, facilitator, CCR coordinator)' });
    await page.getByRole('button', { name: 'Send the invitation' }).click();
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('Invitation sent');
    await mailWithLink(testApp, 'nadia.petrov@program.test', '/invitation');
    await page.getByRole('link', { name: 'Nadia Petrov' }).click();
    await expect(page.locator('.lead').innerText()).resolves.toContain('invited, no password chosen yet');
    await page.getByRole('button', { name: 'Send the invitation again' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('A new invitation is on its way');

    // Howard Lindqvist set up an authenticator app, then lost his phone.
    const started = await testApp.http.post('/api/v1/auth/second-factor').set(bearer(staff.tokens.court_clerk)).expect(200);
    await freshStep();
    await testApp.http
      .post('/api/v1/auth/second-factor/confirm')
      .set(bearer(staff.tokens.court_clerk))
      .send({ code: totpCode(started.body.secret) })
      .expect(200);
    await page.goto(`${baseUrl}/admin/users/${staff.users.court_clerk.id}`);
    await page.getByRole('button', { name: 'Reset the second factor' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Second factor reset');
    await expect(page.getByRole('region', { name: 'Second factor' }).innerText()).resolves.toContain('Not set up');
    expect(
      (await testApp.dataSource.query(`SELECT count(*)::int AS n FROM second_factors WHERE user_id = $1`, [staff.users.court_clerk.id]))[0]
        .n,
    ).toBe(0);
  });

  it('adds a probation department from the agencies page', async () => {
    await page.goto(`${baseUrl}/admin/agencies`);
    await page.getByRole('link', { name: 'New agency' }).click();
    await page.getByRole('combobox', { name: 'Kind', exact: true }).selectOption({ label: 'Probation department' });
    await page.getByRole('button', { name: 'Create the agency' }).click();
    await expect(fieldError('name')).resolves.toBe('Enter the agency’s name (2 to 200 characters)');
    await fitsEveryWidth('admin-agency-new');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Carlton County Probation');
    await page.getByLabel('Notice e-mail address').fill('probation@carlton.example.gov');
    await page.getByRole('button', { name: 'Create the agency' }).click();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Carlton County Probation');
    await expect(page.locator('.lead').innerText()).resolves.toContain('Probation department · notices to probation@carlton.example.gov');
  });

  it('fixes an agency’s address and sends its dead notice again from the page', async () => {
    await page.goto(`${baseUrl}/admin/agencies`);
    await fitsEveryWidth('admin-agencies');
    await page.getByRole('link', { name: 'St. Louis County District Court' }).click();
    const dead = page.getByRole('region', { name: 'Notices that did not arrive' });
    await expect(dead.innerText()).resolves.toContain('domain not found');
    await expect(dead.locator('.stuck-notice').count()).resolves.toBe(2);
    await fitsEveryWidth('admin-agency-dead-notices');

    await page.getByLabel('Notice e-mail address').fill('notices@stlouis-court.example.gov');
    await page.getByRole('button', { name: 'Save the agency' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Send the notices below again to use the new address');

    for (const remaining of [2, 1]) {
      await expect(dead.locator('.stuck-notice').count()).resolves.toBe(remaining);
      await dead
        .getByRole('button', { name: /Send again/ })
        .first()
        .click();
      await page.waitForURL(/\/admin\/agencies\/[0-9a-f-]{36}\?retried=1$/);
      await expect(page.getByRole('status').innerText()).resolves.toContain('queued to be sent again, to the address as it is now');
    }
    await waitFor(() => testApp.smtp.received.filter((mail) => mail.to.includes('notices@stlouis-court.example.gov')).length === 2, {
      what: 'both notices at the fixed address',
    });
    await waitFor(
      async () => (await testApp.dataSource.query(`SELECT count(*)::int AS n FROM notices WHERE status <> 'sent'`))[0].n === 0,
      { what: 'every notice sent' },
    );
    await page.reload();
    await expect(dead.innerText()).resolves.toContain('None: every notice to this agency was delivered');

    await page.getByRole('button', { name: 'Send a test e-mail' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Test e-mail queued');
    await waitFor(
      async () => {
        await page.reload();
        return (await page.getByRole('region', { name: 'Test e-mail' }).innerText()).includes('Sent');
      },
      { what: 'the test e-mail shown sent' },
    );
    await fitsEveryWidth('admin-agency');
  });

  it('shows a policy’s versions side by side and writes a new one from the current one, saying what changed', async () => {
    await page.goto(`${baseUrl}/admin/policies`);
    await fitsEveryWidth('admin-policies');
    await page.getByRole('link', { name: reference.duluthPolicy.name }).click();
    await page.getByRole('link', { name: /New version from version 1/ }).click();
    await page.getByLabel('Unexcused absences allowed').fill('50');
    await page.getByRole('button', { name: 'Save the new version' }).click();
    await expect(fieldError('maxUnexcusedAbsences')).resolves.toBe(
      'Unexcused absences allowed cannot be more than the absences allowed, excused or not',
    );
    await expect(page.locator('.lead').innerText()).resolves.toContain('Saving writes version 2 and makes it current');
    await page.getByLabel('Unexcused absences allowed').fill(String(reference.duluthPolicy.maxUnexcusedAbsences + 1));
    await page.getByLabel('Absences allowed, excused or not').fill(String(reference.duluthPolicy.maxAbsences + 2));
    await fitsEveryWidth('admin-policy-version');
    await page.getByRole('button', { name: 'Save the new version' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Version 2 saved');
    const changes = page.locator('.version-changes');
    await expect(changes.innerText()).resolves.toContain(
      `Unexcused absences allowed: raised from ${reference.duluthPolicy.maxUnexcusedAbsences} to ${reference.duluthPolicy.maxUnexcusedAbsences + 1}.`,
    );
    await expect(page.locator('.policy-versions thead th').allInnerTexts()).resolves.toEqual([
      'Rule',
      expect.stringMatching(/^Version 2 \(current\)\n.* 0 referrals$/),
      expect.stringMatching(/^Version 1\n.* 5 referrals$/),
    ]);
    await expect(page.locator('.policy-versions td.changed').count()).resolves.toBe(2);
    await fitsEveryWidth('admin-policy', { tablesScroll: true });
  });

  it('lists the group’s men with links to their referrals, and edits its time, capacity and facilitators', async () => {
    await page.goto(`${baseUrl}/groups`);
    await page.getByRole('link', { name: group.name }).click();
    const members = page.getByRole('region', { name: 'The men in the group now' });
    await expect(members.locator('tbody tr').count()).resolves.toBe(5);
    await fitsEveryWidth('admin-group');
    const [firstName, lastName] = MEN[0];
    await members.getByRole('link', { name: `${lastName}, ${firstName}` }).click();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toContain(`${firstName} ${lastName}`);
    await page.goBack();

    await page.getByRole('spinbutton', { name: 'Capacity', exact: true }).fill('4');
    await page.getByRole('button', { name: 'Save the group' }).click();
    await expect(fieldError('capacity')).resolves.toBe('5 men are enrolled now; the capacity cannot be below that');
    await page.getByRole('spinbutton', { name: 'Capacity', exact: true }).fill('14');
    await page.locator('#f-startTime').fill('19:00');
    await page.getByRole('textbox', { name: 'Location', exact: true }).fill('Room 5, 202 W 2nd St');
    // A co-facilitator beside Sam Okonkwo.
    await page.getByLabel('Omar Haddad').check();
    await page.getByRole('button', { name: 'Save the group' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Group saved');
    await expect(page.locator('.lead').innerText()).resolves.toContain('at 19:00 for 90 minutes · Room 5, 202 W 2nd St');
    await expect(page.locator('.capacity').innerText()).resolves.toBe('5 of 14 enrolled');
    const facilitators = await testApp.dataSource.query(
      `SELECT u.name FROM group_facilitators gf JOIN users u ON u.id = gf.user_id WHERE gf.group_id = $1 ORDER BY u.name`,
      [group.id],
    );
    expect(facilitators.map((row: { name: string }) => row.name)).toEqual(['Omar Haddad', 'Sam Okonkwo']);
    await expect(page.getByLabel('Omar Haddad').isChecked()).resolves.toBe(true);
  });
});
