import { waitFor } from '../helpers/wait-for';
import { Browser } from 'playwright-core';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, createStaff, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, pinToday, seedReference } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { closeBrowserApp, openContext, screenshot, signIn, startBrowserApp } from './browser-harness';

describe('advocate pages (Chromium)', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let staff: Staff;
  let terminated: { id: string; caseNumber: string };
  let fresh: { id: string; caseNumber: string };
  let byPhone: { id: string; caseNumber: string };

  beforeAll(async () => {
    ({ testApp, baseUrl, browser } = await startBrowserApp());
    staff = await createStaff(testApp);
    const reference = await seedReference(testApp);
    pinToday(testApp);
    await testApp.dataSource.query(`UPDATE users SET name = 'Renee Lindahl' WHERE id = $1`, [staff.users.advocate.id]);
    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 1,
    });
    terminated = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, firstName: 'Marcus', lastName: 'Delgado' });
    fresh = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, firstName: 'James', lastName: 'Whitfield' });
    await testApp.http
      .post(`/api/v1/referrals/${terminated.id}/protected-parties`)
      .set(bearer(staff.tokens.advocate))
      .send({
        name: 'Lena Delgado',
        relationship: 'former wife',
        email: 'lena@safe.example.org',
        phone: '218 555 0133',
        safetyNotes: 'Weekdays after 5 pm only',
        preferredChannel: 'email',
        notificationWish: 'wants',
      })
      .expect(201);
    byPhone = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, firstName: 'Tyler', lastName: 'Anderson' });
    await testApp.http
      .post(`/api/v1/referrals/${byPhone.id}/protected-parties`)
      .set(bearer(staff.tokens.advocate))
      .send({
        name: 'Kayla Moore',
        relationship: 'former partner',
        phone: '218 555 0150',
        preferredChannel: 'phone',
        notificationWish: 'not_asked',
      })
      .expect(201);
    for (const referral of [terminated, byPhone]) {
      await enroll(testApp, staff, referral.id, group.id, '2026-11-30');
      await testApp.http
        .post(`/api/v1/referrals/${referral.id}/terminate`)
        .set(bearer(staff.tokens.admin))
        .send({ reason: 'Threats in group' })
        .expect(200);
    }
  });

  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  async function advocatePage() {
    const { context, page } = await openContext(browser, { width: 1280, height: 900, timeout: 5_000 });
    await signIn(page, baseUrl, staff.users.advocate.email);
    return { context, page };
  }

  it('lands on the waiting notifications, opens the case and sends the e-mail she asked for, once', async () => {
    const { context, page } = await advocatePage();
    expect(new URL(page.url()).pathname).toBe('/advocate');
    const waiting = page.getByRole('table', { name: 'Waiting for you' });
    await expect(waiting.innerText()).resolves.toContain('Lena Delgado');
    await expect(waiting.innerText()).resolves.toContain('Terminated');
    await screenshot(page, 'advocate-home');

    await waiting.getByRole('link', { name: terminated.caseNumber }).click();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(`Case ${terminated.caseNumber} — Marcus Delgado`);
    await expect(page.getByRole('table', { name: 'Protected parties' }).innerText()).resolves.toContain('Weekdays after 5 pm only');
    await page.getByLabel('A few words of yours to add (optional)').fill('I will call you Thursday evening.');
    const before = testApp.smtp.received.length;
    await page.getByRole('button', { name: 'Send the e-mail' }).click();
    await expect(page.getByText('The e-mail is on its way.', { exact: false }).first().isVisible()).resolves.toBe(true);
    const region = page.getByRole('region', { name: 'Notification for Lena Delgado' });
    // The send job may already have delivered it by the time the page is drawn.
    expect(await region.innerText()).toMatch(/On its way|E-mail sent/);
    expect(await page.getByRole('button', { name: 'Send the e-mail' }).count()).toBe(0);
    await waitFor(
      async () => {
        await page.reload();
        return (await region.innerText()).includes('E-mail sent');
      },
      { what: 'the page to say the e-mail was sent' },
    );
    expect(await page.getByRole('button', { name: 'Send the e-mail' }).count()).toBe(0);
    const sent = testApp.smtp.received.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0].to).toEqual(['lena@safe.example.org']);
    await screenshot(page, 'advocate-case', { fullPage: true });
    await context.close();
  });

  it('records a phone call where there is no e-mail address, and refuses an empty note beside the notification', async () => {
    const { context, page } = await advocatePage();
    await page.goto(`${baseUrl}/advocate/referrals/${byPhone.id}`);
    const notification = page.getByRole('region', { name: 'Notification for Kayla Moore' });
    expect(await notification.getByRole('button', { name: 'Send the e-mail' }).count()).toBe(0);
    await screenshot(page, 'advocate-case-pending', { fullPage: true });
    // The browser's own check is bypassed to see the server's answer to an empty note.
    await notification
      .locator('textarea[name=note]')
      .first()
      .evaluate((element) => element.removeAttribute('required'));
    await notification.getByRole('button', { name: 'Record that she was told' }).click();
    await expect(page.getByRole('region', { name: 'Notification for Kayla Moore' }).getByRole('alert').innerText()).resolves.toBe(
      'note must be 1 to 2000 characters',
    );
    const again = page.getByRole('region', { name: 'Notification for Kayla Moore' });
    await again.getByLabel('Told her by').selectOption('phone');
    await again.getByLabel('What was said, and when').fill('Called her at 5:30 pm; she knows.');
    await again.getByRole('button', { name: 'Record that she was told' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe('Recorded.');
    const closed = page.getByRole('region', { name: 'Notification for Kayla Moore' });
    await expect(closed.innerText()).resolves.toContain('Told her');
    await expect(closed.innerText()).resolves.toContain('Called her at 5:30 pm; she knows.');
    await context.close();
  });

  it('finds a case by number (by POST) and adds a protected party, with plain messages for what is missing', async () => {
    const { context, page } = await advocatePage();
    await page.getByLabel('Case number').fill(fresh.caseNumber.toLowerCase());
    await page.getByRole('button', { name: 'Open case' }).click();
    expect(new URL(page.url()).pathname).toBe(`/advocate/referrals/${fresh.id}`);
    expect(page.url()).not.toContain(fresh.caseNumber);

    await page.getByRole('button', { name: 'Save protected party' }).click();
    await expect(page.locator('#f-name-error').innerText()).resolves.toBe('Enter her name');
    await expect(page.locator('#f-preferredChannel-error').innerText()).resolves.toBe('Choose how she prefers to be reached');
    await page.getByLabel('Name').fill('Amy Whitfield');
    await page.getByLabel('Relationship to him').fill('partner');
    await page.getByLabel('E-mail').fill('not an address');
    await page.getByLabel('She prefers to be reached by').selectOption('phone');
    await page.getByLabel('Does she want to be told when he completes or is terminated?').selectOption('declined');
    await page.getByRole('button', { name: 'Save protected party' }).click();
    await expect(page.locator('#f-email-error').innerText()).resolves.toBe('email must be an e-mail address');
    await expect(page.getByLabel('Name').inputValue()).resolves.toBe('Amy Whitfield');
    await page.getByLabel('E-mail').fill('');
    await page.getByLabel('Phone').fill('218 555 0177');
    await page.getByRole('button', { name: 'Save protected party' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Saved');
    await expect(page.getByRole('table', { name: 'Protected parties' }).innerText()).resolves.toContain('Amy Whitfield');
    await expect(page.getByRole('table', { name: 'Protected parties' }).innerText()).resolves.toContain('Declined');
    await context.close();
  });

  it('edits her details: a new phone number, the e-mail cleared, and a required field kept', async () => {
    const { context, page } = await advocatePage();
    await page.goto(`${baseUrl}/advocate/referrals/${terminated.id}`);
    await page.getByRole('link', { name: 'Edit Lena Delgado' }).click();
    await expect(page.getByLabel('Phone').inputValue()).resolves.toBe('218 555 0133');
    await page.getByLabel('Name').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.locator('#f-name-error').innerText()).resolves.toBe('Enter her name');
    await page.getByLabel('Name').fill('Lena Delgado');
    await page.getByLabel('Phone').fill('218 555 0144');
    await page.getByLabel('E-mail').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe('Her details are updated.');
    const row = await page.getByRole('table', { name: 'Protected parties' }).innerText();
    expect(row).toContain('218 555 0144');
    expect(row).not.toContain('lena@safe.example.org');
    const [entry] = await testApp.dataSource.query(
      `SELECT details FROM audit_entries WHERE action = 'protected_party.update' ORDER BY id DESC LIMIT 1`,
    );
    expect(entry.details).toEqual({ fields: ['phone', 'email'] });
    await context.close();
  });

  it('refuses the advocate pages to every other role', async () => {
    for (const role of [Role.Admin, Role.Facilitator, Role.ProbationOfficer, Role.CourtClerk]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(5_000);
      await signIn(page, baseUrl, staff.users[role].email);
      const response = await page.goto(`${baseUrl}/advocate/referrals/${terminated.id}`);
      expect(response!.status()).toBe(403);
      expect(await page.content()).not.toContain('Lena');
      await context.close();
    }
  });
});
