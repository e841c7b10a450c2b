import { Browser, BrowserContext, Page } from 'playwright-core';
import { addDays } from '../../src/common/dates';
import { bearer, createStaff, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, otherFacilitator, pinToday, seedReference, sessionsOf, TODAY } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { closeBrowserApp, MEN, openContext, screenshot, signIn, startBrowserApp, navigatedBy } from './browser-harness';

describe('facilitator pages (Chromium, tablet)', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let staff: Staff;
  let sessions: Awaited<ReturnType<typeof sessionsOf>>;
  let otherGroupSessionId: string;
  let enrollmentByName: Map<string, string>;
  let substitute: { id: string; email: string };

  beforeAll(async () => {
    ({ testApp, baseUrl, browser } = await startBrowserApp());
    staff = await createStaff(testApp);
    const reference = await seedReference(testApp);
    pinToday(testApp);
    await testApp.dataSource.query(`UPDATE users SET name = 'Sam Okonkwo' WHERE id = $1`, [staff.users.facilitator.id]);
    // Wednesday, like TODAY, so there is a session today and six before it.
    const group = await createGroup(testApp, staff, {
      name: 'Wednesday evening men’s group',
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 3,
      capacity: 20,
    });
    sessions = await sessionsOf(testApp, staff, group.id, addDays(TODAY, -60), addDays(TODAY, 14));
    enrollmentByName = new Map();
    for (const [firstName, lastName] of MEN) {
      const referral = await createReferral(testApp, staff, {
        policyId: reference.duluthPolicy.id,
        firstName,
        lastName,
        orderedOn: addDays(TODAY, -50),
      });
      const { enrollment } = await enroll(testApp, staff, referral.id, group.id, sessions[0].date);
      enrollmentByName.set(`${firstName} ${lastName}`, enrollment.id);
    }
    // James W. missed the last two weeks without excuse: one more crosses two limits.
    for (const session of sessions.filter((s) => s.date < TODAY).slice(-2)) {
      await testApp.http
        .put(`/api/v1/sessions/${session.id}/attendance`)
        .set(bearer(staff.tokens.facilitator))
        .send({ marks: [{ enrollmentId: enrollmentByName.get('James Whitfield'), status: 'absent_unexcused' }] })
        .expect(200);
    }
    const other = await otherFacilitator(testApp, staff);
    substitute = other.user;
    await testApp.dataSource.query(`UPDATE users SET name = 'Ray Dubois' WHERE id = $1`, [other.user.id]);
    const otherGroup = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [other.user.id],
      weekday: 3,
    });
    otherGroupSessionId = (await sessionsOf(testApp, staff, otherGroup.id, TODAY, TODAY))[0].id;
  });

  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  const todaysSession = () => sessions.find((session) => session.date === TODAY)!;
  const marksOf = async (sessionId: string) =>
    await testApp.dataSource.query<
      Array<{
        enrollment_id: string;
        status: string;
        note: string | null;
      }>
    >(`SELECT enrollment_id, status, note FROM attendance_marks WHERE session_id = $1`, [sessionId]);

  async function tablet(): Promise<{ context: BrowserContext; page: Page }> {
    const { context, page } = await openContext(browser, { width: 768, height: 1024, timeout: 5_000 });
    await signIn(page, baseUrl, staff.users.facilitator.email);
    return { context, page };
  }

  it('marks a 15-man roster by tapping, at 768 px, and saves it in one go', async () => {
    const { context, page } = await tablet();
    expect(new URL(page.url()).pathname).toBe('/sessions');
    await screenshot(page, 'facilitator-sessions');

    await page
      .getByRole('region', { name: 'Today' })
      .getByRole('link', { name: /Wednesday evening/ })
      .click();
    expect(new URL(page.url()).pathname).toBe(`/sessions/${todaysSession().id}/roster`);
    const men = page.locator('fieldset.man');
    await expect(men.count()).resolves.toBe(15);
    // First name and last initial only; his standing warnings beside him.
    const james = page.getByRole('group', { name: 'James W.' });
    await expect(james.locator('.man__warnings').innerText()).resolves.toContain('Unexcused absences: 2 of 2 — one more crosses the limit');
    await expect(page.content()).resolves.not.toContain('Whitfield');
    // Fits the tablet: nothing scrolls sideways, every status is a big tap target.
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(768);
    const box = await james.locator('label.choice', { hasText: 'Unexcused' }).boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    expect(box!.width).toBeGreaterThanOrEqual(80);
    await screenshot(page, 'facilitator-roster', { fullPage: false });

    const choose = (name: string, label: string) =>
      page.getByRole('group', { name }).locator('label.choice').getByText(label, { exact: true }).click();
    const started = Date.now();
    for (const [firstName, lastName] of MEN.slice(0, 14)) {
      const name = `${firstName} ${lastName[0]}.`;
      await choose(name, lastName === 'Reyes' ? 'Late' : lastName === 'Greer' ? 'Excused' : 'Present');
    }
    await page.getByRole('group', { name: 'Thomas G.' }).getByLabel('Note').fill('Called ahead: shift at work');
    // Jerome A. is left without a status: nothing may be saved, and the error sits beside him.
    await page.getByRole('button', { name: /Save attendance/ }).click();
    await expect(page.locator('.error-summary').innerText()).resolves.toContain('Jerome A.: Choose how he attended');
    await expect(page.getByRole('group', { name: 'Jerome A.' }).locator('.field-errors').innerText()).resolves.toBe(
      'Choose how he attended',
    );
    await expect(marksOf(todaysSession().id)).resolves.toHaveLength(0);
    // What he had tapped is still there.
    await expect(page.getByRole('group', { name: 'Anthony R.' }).getByLabel('Late').isChecked()).resolves.toBe(true);
    await screenshot(page, 'facilitator-roster-error', { fullPage: false });

    await choose('Jerome A.', 'Unexcused');
    // Marked since the refusal: his red message and his line in the summary go, before any save.
    const jerome = page.getByRole('group', { name: 'Jerome A.' });
    await expect(jerome.locator('.field-errors').isVisible()).resolves.toBe(false);
    await expect(jerome.getAttribute('class')).resolves.not.toContain('man--invalid');
    await expect(page.locator('.error-summary').innerText()).resolves.not.toContain('Jerome A.');
    // Present and Late are told apart by a sign and a hue, not by a shade of green.
    const look = (name: string, label: string) =>
      page
        .getByRole('group', { name })
        .locator('label.choice')
        .getByText(label, { exact: true })
        .evaluate((element) => {
          const view = element.ownerDocument.defaultView!;
          return { background: view.getComputedStyle(element).backgroundColor, sign: view.getComputedStyle(element, '::before').content };
        });
    const present = await look('James W.', 'Present');
    const late = await look('Anthony R.', 'Late');
    expect(present.sign).toBe('"✓"');
    expect(late.sign).toBe('"◷"');
    const hue = (rgb: string) => {
      const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
      return g >= r && g >= b ? 'green' : b >= r ? 'blue' : 'red';
    };
    expect([hue(present.background), hue(late.background)]).toEqual(['green', 'blue']);
    await page.getByRole('button', { name: /Save attendance/ }).click();
    expect(Date.now() - started).toBeLessThan(60_000);
    await expect(page.getByRole('status').innerText()).resolves.toContain('Saved. 15 men marked.');
    const marks = await marksOf(todaysSession().id);
    expect(marks).toHaveLength(15);
    const statusOf = (name: string) => marks.find((mark) => mark.enrollment_id === enrollmentByName.get(name))!;
    expect(statusOf('Anthony Reyes').status).toBe('late');
    expect(statusOf('Thomas Greer')).toMatchObject({ status: 'absent_excused', note: 'Called ahead: shift at work' });
    expect(statusOf('Jerome Ashby').status).toBe('absent_unexcused');
    expect(marks.filter((mark) => mark.status === 'present')).toHaveLength(12);
    await screenshot(page, 'facilitator-roster-saved', { fullPage: false });
    await context.close();
  });

  it('marks the rest present with one tap and keeps the marks already made', async () => {
    const { context, page } = await tablet();
    const lastWeek = sessions.filter((session) => session.date < TODAY).at(-1)!;
    await page.goto(`${baseUrl}/sessions/${lastWeek.id}/roster`);
    // James W. was already marked absent that week; the shortcut leaves him alone.
    await page.getByRole('button', { name: 'Mark everyone not yet marked as present' }).click();
    await page.getByRole('button', { name: /Save attendance/ }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Saved. 15 men marked.');
    const marks = await marksOf(lastWeek.id);
    expect(marks).toHaveLength(15);
    expect(marks.find((mark) => mark.enrollment_id === enrollmentByName.get('James Whitfield'))!.status).toBe('absent_unexcused');
    await context.close();
  });

  it('says what a save changed, and what followed from it: a notice raised, then withdrawn by the correction', async () => {
    const { context, page } = await tablet();
    await page.goto(`${baseUrl}/sessions/${todaysSession().id}/roster`);
    const james = page.getByRole('group', { name: 'James W.' });
    await james.locator('label.choice').getByText('Unexcused', { exact: true }).click();
    await page.getByRole('button', { name: /Save attendance/ }).click();
    await expect(page.getByRole('status').innerText()).resolves.toMatch(
      /1 change saved:\s+James W\. present → unexcused \(a notice goes to probation and the court\)/,
    );
    await page.getByRole('group', { name: 'James W.' }).locator('label.choice').getByText('Late', { exact: true }).click();
    await page.getByRole('group', { name: 'James W.' }).getByLabel('Note').fill('Bus broke down; came at 7:10');
    await page.getByRole('button', { name: /Save attendance/ }).click();
    await expect(page.getByRole('status').innerText()).resolves.toMatch(
      /1 change saved:\s+James W\. unexcused → late \(the earlier notice to probation and the court was withdrawn\)/,
    );
    // No name in the address: the change rides as ids and codes only.
    expect(page.url()).not.toContain('James');
    await screenshot(page, 'facilitator-roster-changes', { fullPage: false });
    await context.close();
  });

  it('reaches sessions older than the last two weeks, to correct a mark weeks later', async () => {
    const { context, page } = await tablet();
    const sixWeeksAgo = sessions.filter((session) => session.date <= addDays(TODAY, -35)).at(-1)!;
    const link = () => page.locator(`a[href="/sessions/${sixWeeksAgo.id}/roster"]`);
    await expect(link().count()).resolves.toBe(0);
    // Four weeks more at a time: five weeks ago is in the first step back.
    await page.getByRole('link', { name: /Earlier sessions/ }).click();
    await link().click();
    const james = page.getByRole('group', { name: 'James W.' });
    await james.locator('label.choice').getByText('Excused', { exact: true }).click();
    await page.getByRole('button', { name: 'Mark everyone not yet marked as present' }).click();
    await page.getByRole('button', { name: /Save attendance/ }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Saved. 15 men marked.');
    await context.close();
  });

  it('prints a sign-in sheet for a coming session: the men, a place to sign, nothing but the sheet on paper', async () => {
    const { context, page } = await tablet();
    const nextWeek = sessions.find((session) => session.date > TODAY)!;
    await page.goto(`${baseUrl}/sessions/${nextWeek.id}/roster`);
    await page.getByRole('link', { name: 'Sign-in sheet to print' }).click();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Sign-in sheet');
    await expect(page.locator('tbody th').count()).resolves.toBe(15);
    await expect(page.content()).resolves.not.toContain('Whitfield');
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.site-header').isVisible()).resolves.toBe(false);
    await expect(page.getByRole('button', { name: 'Print this sheet' }).isVisible()).resolves.toBe(false);
    await expect(page.locator('table.sheet').isVisible()).resolves.toBe(true);
    await screenshot(page, 'facilitator-sign-in-sheet-print');
    await context.close();
  });

  it('records a note for the session and who ran it when a substitute covered; the substitute then reaches that roster', async () => {
    const twoWeeksAgo = sessions.filter((session) => session.date < TODAY).at(-2)!;
    // Before he is recorded as covering, another group's facilitator does not see the session.
    const before = await browser.newContext({ viewport: { width: 768, height: 1024 } });
    const outsider = await before.newPage();
    await signIn(outsider, baseUrl, substitute.email);
    expect((await outsider.goto(`${baseUrl}/sessions/${twoWeeksAgo.id}/roster`))!.status()).toBe(404);

    const { context, page } = await tablet();
    await page.goto(`${baseUrl}/sessions/${twoWeeksAgo.id}/roster`);
    await page.getByLabel('Who ran it').selectOption({ label: 'Ray Dubois (covering)' });
    await page.getByLabel(/Note for the session/).fill('Fire drill at 19:15; the group resumed at 19:30');
    await page.getByRole('button', { name: 'Mark everyone not yet marked as present' }).click();
    await page.getByRole('button', { name: /Save attendance/ }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Saved.');
    await expect(page.locator('.lead').innerText()).resolves.toContain('run by Ray Dubois (covering)');
    await expect(page.getByLabel(/Note for the session/).inputValue()).resolves.toBe('Fire drill at 19:15; the group resumed at 19:30');
    const [row] = await testApp.dataSource.query(`SELECT note, run_by_id FROM sessions WHERE id = $1`, [twoWeeksAgo.id]);
    expect(row).toEqual({ note: 'Fire drill at 19:15; the group resumed at 19:30', run_by_id: substitute.id });
    const audits = await testApp.dataSource.query(`SELECT details FROM audit_entries WHERE action = 'session.details' AND record_id = $1`, [
      twoWeeksAgo.id,
    ]);
    expect(audits).toEqual([{ details: { fields: ['note', 'runById'], runById: substitute.id } }]);
    await context.close();

    // Now recorded as having run it, the substitute opens that roster (and only that one of the group).
    expect((await outsider.goto(`${baseUrl}/sessions/${twoWeeksAgo.id}/roster`))!.status()).toBe(200);
    expect((await outsider.goto(`${baseUrl}/sessions/${todaysSession().id}/roster`))!.status()).toBe(404);
    await before.close();
  });

  it('shows a 404 page for another group’s roster and for a malformed id', async () => {
    const { context, page } = await tablet();
    const response = await page.goto(`${baseUrl}/sessions/${otherGroupSessionId}/roster`);
    expect(response!.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Not found');
    await screenshot(page, 'not-found');
    const malformed = await page.goto(`${baseUrl}/sessions/not-a-session/roster`);
    expect(malformed!.status()).toBe(404);
    await context.close();
  });

  it('does not let a facilitator mark a session that has not happened yet', async () => {
    const { context, page } = await tablet();
    const nextWeek = sessions.find((session) => session.date > TODAY)!;
    await page.goto(`${baseUrl}/sessions/${nextWeek.id}/roster`);
    await expect(page.locator('.notice--info').innerText()).resolves.toContain('it can be marked from that day');
    await expect(page.getByRole('button', { name: /Save attendance/ }).count()).resolves.toBe(0);
    await context.close();
  });

  it('sends a visitor without a session to sign in, then back to the page he asked for', async () => {
    const context = await browser.newContext({ viewport: { width: 768, height: 1024 } });
    const page = await context.newPage();
    const roster = `/sessions/${todaysSession().id}/roster`;
    await page.goto(`${baseUrl}${roster}`);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/login');
    expect(url.searchParams.get('next')).toBe(roster);
    await page.getByLabel('E-mail').fill(staff.users.facilitator.email);
    await page.getByLabel('Password').fill('correct horse battery staple');
    await navigatedBy(page, () => page.getByRole('button', { name: 'Sign in' }).click());
    expect(new URL(page.url()).pathname).toBe(roster);
    await context.close();
  });
});
