import { Browser, Page } from 'playwright-core';
import { addDays } from '../../src/common/dates';
import { Role } from '../../src/common/auth/role.enum';
import { createStaff, createUser, Staff } from '../helpers/fixtures';
import { createGroup, pinToday, seedReference, TODAY } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { closeBrowserApp, screenshot, signedInPage, signIn, startBrowserApp } from './browser-harness';

describe('program admin: new group and make-up sessions (Chromium)', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  let staff: Staff;
  let reference: Awaited<ReturnType<typeof seedReference>>;
  let tuesday: { id: string; name: string };
  let lenaId: string;

  beforeAll(async () => {
    ({ testApp, baseUrl, browser } = await startBrowserApp());
    staff = await createStaff(testApp);
    reference = await seedReference(testApp);
    pinToday(testApp);
    await testApp.dataSource.query(`UPDATE users SET name = 'Dana Whitaker' WHERE id = $1`, [staff.users.admin.id]);
    await testApp.dataSource.query(`UPDATE users SET name = 'Sam Okonkwo' WHERE id = $1`, [staff.users.facilitator.id]);
    lenaId = (await createUser(testApp.dataSource, Role.Facilitator, staff.program.id, 'Lena Brandt')).id;
    const retired = await createUser(testApp.dataSource, Role.Facilitator, staff.program.id, 'Walter Retired');
    await testApp.dataSource.query(`UPDATE users SET active = false WHERE id = $1`, [retired.id]);
    tuesday = await createGroup(testApp, staff, {
      name: 'Tuesday evening men’s group',
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 2,
    });
    page = await signedInPage(browser, baseUrl, staff.users.admin.email, { width: 1280, height: 900, timeout: 5_000 });
  });

  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  const fieldError = (id: string) => page.locator(`#${id}-error`).innerText();
  const groupCount = async () => Number((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM groups`))[0].n);
  const submitNewGroup = async () => {
    const response = page.waitForResponse((res) => res.url().endsWith('/groups/new') && res.request().method() === 'POST');
    await page.getByRole('button', { name: 'Create group' }).click();
    return (await response).status();
  };

  it('opens the new-group form from the groups page with the usual defaults', async () => {
    await page.goto(`${baseUrl}/groups`);
    await page.getByRole('link', { name: 'New group' }).click();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('New group');
    await expect(page.getByLabel('Length in minutes').inputValue()).resolves.toBe('90');
    await expect(page.getByLabel('Capacity').inputValue()).resolves.toBe('12');
    await expect(page.getByLabel('First date').inputValue()).resolves.toBe(TODAY);
    await expect(page.getByLabel('Language').inputValue()).resolves.toBe('en');
    // The one curriculum is chosen already; the weekday must be chosen.
    await expect(page.getByLabel('Curriculum').inputValue()).resolves.toBe(reference.duluth.id);
    await expect(page.getByLabel('Day of the week').inputValue()).resolves.toBe('');
    await expect(page.getByLabel('Start time').getAttribute('type')).resolves.toBe('time');
    // Active facilitators only, as checkboxes in a fieldset named by its legend.
    const facilitators = page.getByRole('group', { name: 'Facilitators' });
    await expect(facilitators.getByRole('checkbox').count()).resolves.toBe(2);
    await expect(facilitators.getByText('Walter Retired').count()).resolves.toBe(0);
    await expect(page.locator('form[action="/groups/new"] input[name="_csrf"]').inputValue()).resolves.toMatch(/.{16,}/);
  });

  it('refuses the empty form with a plain message beside each missing field, writing nothing', async () => {
    const before = await groupCount();
    expect(await submitNewGroup()).toBe(400);
    await expect(page.locator('.error-summary h2').innerText()).resolves.toBe('The group was not saved');
    await expect(fieldError('f-name')).resolves.toBe('Enter the name of the group');
    await expect(fieldError('f-weekday')).resolves.toBe('Choose the day it meets');
    await expect(fieldError('f-startTime')).resolves.toBe('Enter the time it starts');
    await expect(fieldError('f-location')).resolves.toBe('Enter where it meets');
    await expect(fieldError('f-facilitatorIds')).resolves.toBe('Choose at least one facilitator');
    await expect(page.locator('.field-errors').count()).resolves.toBe(5);
    await expect(page.getByRole('textbox', { name: 'Name', exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    // The summary links to each field, the facilitators' to the first checkbox.
    await expect(page.locator('.error-summary a[href="#f-facilitatorIds"]').count()).resolves.toBe(1);
    await expect(page.locator('#f-facilitatorIds').getAttribute('type')).resolves.toBe('checkbox');
    expect(await groupCount()).toBe(before);
  });

  it('shows the API’s message for a value it refuses and keeps what was typed and ticked', async () => {
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('X');
    await page.getByLabel('Length in minutes').fill('20');
    await page.getByLabel('Location').fill('Room 4, 202 W 2nd St');
    await page.getByLabel('Day of the week').selectOption({ label: 'Thursday' });
    await page.getByLabel('Lena Brandt').check();
    expect(await submitNewGroup()).toBe(400);
    await expect(fieldError('f-name')).resolves.toBe('name must be longer than or equal to 2 characters');
    await expect(fieldError('f-durationMinutes')).resolves.toBe('durationMinutes must not be less than 30');
    await expect(fieldError('f-startTime')).resolves.toBe('Enter the time it starts');
    await expect(page.locator('.field-errors').count()).resolves.toBe(3);
    await expect(page.getByLabel('Location').inputValue()).resolves.toBe('Room 4, 202 W 2nd St');
    await expect(page.getByLabel('Day of the week').inputValue()).resolves.toBe('4');
    await expect(page.getByLabel('Lena Brandt').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Sam Okonkwo').isChecked()).resolves.toBe(false);
    await screenshot(page, 'admin-group-new-errors');
  });

  it('shows the service’s 422 beside the facilitators when one left in the meantime', async () => {
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Thursday evening group (Spanish)');
    await page.getByLabel('Length in minutes').fill('90');
    await page.getByLabel('Start time').fill('18:00');
    await page.getByLabel('Language').selectOption({ label: 'Spanish (español)' });
    await testApp.dataSource.query(`UPDATE users SET active = false WHERE id = $1`, [lenaId]);
    const before = await groupCount();
    expect(await submitNewGroup()).toBe(422);
    await expect(fieldError('f-facilitatorIds')).resolves.toBe('every facilitatorId must name an active facilitator');
    await expect(page.locator('.field-errors').count()).resolves.toBe(1);
    expect(await groupCount()).toBe(before);
    await testApp.dataSource.query(`UPDATE users SET active = true WHERE id = $1`, [lenaId]);
  });

  it('creates the group with its facilitator and lays out its sessions; the groups page lists it', async () => {
    await page.goto(`${baseUrl}/groups/new`);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Thursday evening group (Spanish)');
    await page.getByLabel('Location').fill('Room 4, 202 W 2nd St');
    await page.getByLabel('Language').selectOption('es');
    await page.getByLabel('Capacity').fill('10');
    await page.getByLabel('Day of the week').selectOption({ label: 'Thursday' });
    await page.getByLabel('Start time').fill('18:00');
    await page.getByLabel('Lena Brandt').check();
    await screenshot(page, 'admin-group-new');
    expect(await submitNewGroup()).toBe(303);
    await page.waitForURL(`${baseUrl}/groups?created=1`);
    await expect(page.getByRole('status').innerText()).resolves.toBe('Group created; its sessions for the next 8 weeks are laid out.');

    const [group] = await testApp.dataSource.query(
      `SELECT id, weekday, to_char(start_time, 'HH24:MI') AS start_time, duration_minutes, capacity, location, language, starts_on::text AS starts_on,
              (SELECT array_agg(user_id) FROM group_facilitators gf WHERE gf.group_id = g.id) AS facilitators
         FROM groups g WHERE name = 'Thursday evening group (Spanish)'`,
    );
    expect(group).toMatchObject({
      weekday: 4,
      start_time: '18:00',
      duration_minutes: 90,
      capacity: 10,
      location: 'Room 4, 202 W 2nd St',
      language: 'es',
      starts_on: TODAY,
      facilitators: [lenaId],
    });
    const sessions: Array<{ date: string; kind: string; dow: number }> = await testApp.dataSource.query(
      `SELECT date::text AS date, kind, extract(isodow FROM date)::int AS dow FROM sessions WHERE group_id = $1 ORDER BY date`,
      [group.id],
    );
    // Thursdays from the day after "today" (Wed 25 Nov) through eight weeks ahead.
    expect(sessions).toHaveLength(8);
    expect(sessions[0].date).toBe('2026-11-26');
    expect(sessions.every((session) => session.kind === 'regular' && session.dow === 4)).toBe(true);

    const listed = page.getByRole('region', { name: 'Thursday evening group (Spanish)' });
    await expect(listed.innerText()).resolves.toContain('Thursdays at 18:00 for 90 minutes · Room 4, 202 W 2nd St · Spanish (español)');
    await expect(listed.innerText()).resolves.toContain('Facilitators: Lena Brandt');
    await expect(listed.locator('tbody tr').count()).resolves.toBe(4);
  });

  const makeUpForm = () => page.getByRole('region', { name: tuesday.name }).locator('details.make-up');
  const oneOffs = () =>
    testApp.dataSource.query<Array<{ date: string; start_time: string; status: string }>>(
      `SELECT date::text AS date, to_char(start_time, 'HH24:MI') AS start_time, status FROM sessions WHERE group_id = $1 AND kind = 'one_off'`,
      [tuesday.id],
    );

  it('adds a make-up session dated in the past to a group, linking its roster', async () => {
    await page.goto(`${baseUrl}/groups`);
    const form = makeUpForm();
    await form.getByText('Add a make-up session').click();
    await form.getByLabel('Date').fill(addDays(TODAY, -9));
    await form.getByLabel('Start time').fill('10:00');
    await form.getByRole('button', { name: /Add the session/ }).click();
    await page.getByText('Make-up session added.').waitFor();
    expect(new URL(page.url()).searchParams.get('added')).toBe('1');
    expect(await oneOffs()).toEqual([{ date: addDays(TODAY, -9), start_time: '10:00', status: 'scheduled' }]);
    await page.getByRole('link', { name: 'Open its roster' }).click();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toContain(tuesday.name);
  });

  it('shows what is wrong with a make-up session beside its field, in that group’s form, writing nothing', async () => {
    await page.goto(`${baseUrl}/groups`);
    let form = makeUpForm();
    await form.getByText('Add a make-up session').click();
    await form.getByRole('button', { name: /Add the session/ }).click();
    const dateError = `makeup-date-${tuesday.id}`;
    await expect(fieldError(dateError)).resolves.toBe('Enter the date of the make-up session');
    form = makeUpForm();
    await expect(form.getAttribute('open')).resolves.toBe('');
    await expect(form.getByLabel('Date').getAttribute('aria-invalid')).resolves.toBe('true');
    // The other group's form stays closed and clean.
    await expect(page.locator('details.make-up[open]').count()).resolves.toBe(1);

    // A browser without a date picker lets anything be typed; the API's own message answers it.
    await form.getByLabel('Date').evaluate((input: { type: string }) => (input.type = 'text'));
    await form.getByLabel('Date').fill('2026-02-30');
    await form.getByLabel('Start time').fill('09:15');
    const response = page.waitForResponse((res) => res.url().endsWith(`/groups/${tuesday.id}/sessions`));
    await form.getByRole('button', { name: /Add the session/ }).click();
    expect((await response).status()).toBe(400);
    await expect(fieldError(dateError)).resolves.toBe('date must be a date written YYYY-MM-DD');
    await expect(makeUpForm().getByLabel('Start time').inputValue()).resolves.toBe('09:15');
    expect(await oneOffs()).toHaveLength(1);
    await screenshot(page, 'admin-group-makeup-error');
  });

  it('is for the program admin only: a facilitator gets the 403 page', async () => {
    const context = await browser.newContext();
    try {
      const other = await context.newPage();
      await signIn(other, baseUrl, staff.users.facilitator.email);
      const response = await other.goto(`${baseUrl}/groups/new`);
      expect(response?.status()).toBe(403);
      await expect(other.locator('form[action="/groups/new"]').count()).resolves.toBe(0);
    } finally {
      await context.close();
    }
  });
});
