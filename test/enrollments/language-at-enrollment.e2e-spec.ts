import { Browser, Page } from 'playwright-core';
import { addDays, nextWeekday } from '../../src/common/dates';
import { bearer, createStaff, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, pinToday, seedReference, sessionsOf, TODAY } from '../helpers/domain';
import { pageSession } from '../security/security-fixtures';
import { TestApp } from '../helpers/test-app';
import { closeBrowserApp, launchBrowser, screenshot, sidewaysOverflow, signedInPage, startPagesApp } from '../pages/browser-harness';

/**
 * His language, chosen from the program's list at intake, is matched against the group's at
 * enrollment: a warning in words, never a refusal. The API says it in `warnings` of its 201; the
 * page shows it before anything is saved and asks the admin to confirm.
 */
describe('the man’s language at intake and enrollment', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let staff: Staff;
  let reference: Awaited<ReturnType<typeof seedReference>>;
  let english: { id: string; name: string };
  let spanish: { id: string; name: string };
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ({ testApp, baseUrl } = await startPagesApp({ env: { APP_ROLE: 'api' } }));
    staff = await createStaff(testApp);
    reference = await seedReference(testApp);
    pinToday(testApp);
    english = await createGroup(testApp, staff, {
      name: 'Tuesday evening group',
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 2,
    });
    spanish = await createGroup(testApp, staff, {
      name: 'Grupo del jueves',
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 4,
      language: 'es',
    });
  });

  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  const admin = () => bearer(staff.tokens.admin);
  const referralCount = async () => (await testApp.dataSource.query(`SELECT count(*)::int AS n FROM referrals`))[0].n as number;
  const tuesday = nextWeekday(TODAY, 2);
  // After his first Tuesday, so a move to the Thursday group is a transfer.
  const thursday = nextWeekday(tuesday, 4);

  describe('API', () => {
    it('takes his language from the list only: anything else is a 400 on that field, and nothing is written', async () => {
      const before = await referralCount();
      for (const language of ['xx', 'ES', 'spanish', 'en-US', '', 7]) {
        const response = await testApp.http
          .post('/api/v1/referrals')
          .set(admin())
          .send({
            participant: { firstName: 'Juan', lastName: 'Rivera', dateOfBirth: '1988-04-02', language },
            caseNumber: `CR-LANG-${Math.random().toString(36).slice(2, 7).toUpperCase()}`,
            courtAgencyId: staff.court.id,
            probationOfficerId: staff.users.probation_officer.id,
            policyId: reference.duluthPolicy.id,
            orderedOn: addDays(TODAY, -5),
          })
          .expect(400);
        expect(response.body.fields).toEqual({
          'participant.language': ['participant.language must be one of: en, es, so, hmn, vi, ar, oj'],
        });
        expect(response.body.fields['participant.language'][0]).toMatch(
          /^participant\.language must be one of: en, es, so, hmn, vi, ar, oj$/,
        );
      }
      expect(await referralCount()).toBe(before);
    });

    it('a group is held in a language from the same list', async () => {
      const response = await testApp.http
        .post('/api/v1/groups')
        .set(admin())
        .send({
          name: 'Klingon group',
          curriculumId: reference.duluth.id,
          weekday: 3,
          startTime: '18:00',
          durationMinutes: 90,
          capacity: 12,
          location: 'Room 1',
          language: 'tlh',
          facilitatorIds: [staff.users.facilitator.id],
        })
        .expect(400);
      expect(response.body.fields).toEqual({ language: ['language must be one of: en, es, so, hmn, vi, ar, oj'] });
      await expect(testApp.dataSource.query(`SELECT count(*)::int AS n FROM groups WHERE name = 'Klingon group'`)).resolves.toEqual([
        { n: 0 },
      ]);
    });

    it('enrolls a Spanish-speaking man in an English group with a warning in words, and in a Spanish group without one', async () => {
      const juan = await createReferral(testApp, staff, {
        policyId: reference.duluthPolicy.id,
        firstName: 'Juan',
        lastName: 'Rivera',
        language: 'es',
      });
      const fetched = await testApp.http.get(`/api/v1/referrals/${juan.id}`).set(admin()).expect(200);
      expect(fetched.body.participant.language).toBe('es');

      const mismatch = await testApp.http
        .post('/api/v1/enrollments')
        .set(admin())
        .send({ referralId: juan.id, groupId: english.id, startDate: tuesday })
        .expect(201);
      expect(mismatch.body.warnings).toEqual([
        { code: 'language_mismatch', message: 'Juan’s language is Spanish; the group meets in English' },
      ]);
      // A warning, not a refusal: he is enrolled and active.
      expect(mismatch.body.enrollment.groupId).toBe(english.id);
      await expect(testApp.dataSource.query(`SELECT status FROM referrals WHERE id = $1`, [juan.id])).resolves.toEqual([
        { status: 'active' },
      ]);

      const moved = await testApp.http
        .post('/api/v1/enrollments')
        .set(admin())
        .send({ referralId: juan.id, groupId: spanish.id, startDate: thursday })
        .expect(201);
      expect(moved.body.warnings).toEqual([]);
      expect(moved.body.transferredFrom.groupId).toBe(english.id);

      const english2 = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, firstName: 'Mark' });
      const plain = await testApp.http
        .post('/api/v1/enrollments')
        .set(admin())
        .send({ referralId: english2.id, groupId: english.id, startDate: tuesday })
        .expect(201);
      expect(plain.body.warnings).toEqual([]);
    });

    it('the facilitator’s roster says which man speaks another language than the group’s, and of nobody else', async () => {
      const [session] = await sessionsOf(testApp, staff, english.id, tuesday, tuesday);
      const roster = await testApp.http.get(`/api/v1/sessions/${session.id}/roster`).set(bearer(staff.tokens.facilitator)).expect(200);
      const byName = Object.fromEntries(
        (roster.body.entries as Array<{ firstName: string; otherLanguage?: string }>).map((entry) => [
          entry.firstName,
          entry.otherLanguage ?? null,
        ]),
      );
      expect(byName).toEqual({ Juan: 'es', Mark: null });
      const cookie = await pageSession(testApp, staff.users.facilitator.email);
      const page = await testApp.http.get(`/sessions/${session.id}/roster`).set('Cookie', cookie).expect(200);
      expect(page.text).toMatch(/Juan R\.\s*<span class="man__language">· speaks Spanish \(español\)<\/span>/);
      expect(page.text.match(/class="man__language"/g)).toHaveLength(1);
    });
  });

  describe('pages at 768 px (Chromium)', () => {
    beforeAll(async () => {
      browser = await launchBrowser();
      page = await signedInPage(browser, baseUrl, staff.users.admin.email, { width: 768, height: 1024, timeout: 5_000 });
    });

    it('intake offers the list; his page says his language', async () => {
      await page.goto(`${baseUrl}/intake`);
      const options = await page.getByLabel('Preferred language').locator('option').allInnerTexts();
      expect(options).toEqual([
        'Not known',
        'English',
        'Spanish (español)',
        'Somali (Soomaali)',
        'Hmong (Hmoob)',
        'Vietnamese (Tiếng Việt)',
        'Arabic (العربية)',
        'Ojibwe (Anishinaabemowin)',
      ]);
      await page.getByLabel('First name').fill('Luis');
      await page.getByLabel('Last name').fill('Ortega');
      await page.getByLabel('Date of birth').fill('1985-06-21');
      await page.getByLabel('Preferred language').selectOption({ label: 'Spanish (español)' });
      await page.getByLabel('Case number').fill('69DU-CR-26-7701');
      await page.getByLabel('Ordered on').fill(addDays(TODAY, -3));
      await page.getByLabel('Court').selectOption({ index: 1 });
      await page.getByLabel('Probation officer').selectOption({ index: 1 });
      await page.getByLabel('Program rules (policy)').selectOption(reference.duluthPolicy.id);
      await page.getByRole('button', { name: 'Create referral' }).click();
      await expect(page.getByRole('region', { name: 'Order' }).innerText()).resolves.toMatch(/Language\s+Spanish \(español\)/);
    });

    it('shows the warning before anything is saved, then enrolls him when the admin confirms', async () => {
      const [{ id }] = await testApp.dataSource.query(`SELECT id FROM referrals WHERE case_number = '69DU-CR-26-7701'`);
      await page.goto(`${baseUrl}/referrals/${id}/enroll`);
      // Each group says when it is not in his language, before he is placed.
      await expect(page.locator('label[for^="g-"]', { hasText: 'Tuesday evening group' }).innerText()).resolves.toContain(
        'not his language',
      );
      await expect(page.locator('label[for^="g-"]', { hasText: 'Grupo del jueves' }).innerText()).resolves.not.toContain(
        'not his language',
      );

      await page.locator('label', { hasText: 'Tuesday evening group' }).click();
      await page.getByLabel('First session').fill(tuesday);
      await page.getByRole('button', { name: 'Enroll' }).click();
      const warning = page.locator('[data-enroll-warnings]');
      await expect(warning.innerText()).resolves.toContain('Luis’s language is Spanish; the group meets in English.');
      await expect(warning.innerText()).resolves.toContain('Nothing is saved yet.');
      await expect(testApp.dataSource.query(`SELECT count(*)::int AS n FROM enrollments WHERE referral_id = $1`, [id])).resolves.toEqual([
        { n: 0 },
      ]);
      await expect(
        testApp.dataSource.query(
          `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'enrollment.create' AND details->>'referralId' = $1`,
          [id],
        ),
      ).resolves.toEqual([{ n: 0 }]);
      await expect(testApp.dataSource.query(`SELECT status FROM referrals WHERE id = $1`, [id])).resolves.toEqual([{ status: 'referred' }]);
      // His choice is kept: the same group and date are still chosen.
      await expect(page.getByRole('radio', { name: /Tuesday evening group/ }).isChecked()).resolves.toBe(true);
      await expect(page.getByLabel('First session').inputValue()).resolves.toBe(tuesday);
      expect(await sidewaysOverflow(page)).toBe(0);
      await screenshot(page, 'admin-enroll-language-warning-768');

      await page.getByRole('button', { name: 'Enroll anyway' }).click();
      await expect(page.getByRole('status').innerText()).resolves.toContain('Enrolled.');
      const rows = await testApp.dataSource.query(`SELECT group_id FROM enrollments WHERE referral_id = $1`, [id]);
      expect(rows).toEqual([{ group_id: english.id }]);
    });

    it('a warning confirmed for one group does not carry over to another chosen on the same page', async () => {
      const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, firstName: 'Ali', language: 'so' });
      await page.goto(`${baseUrl}/referrals/${referral.id}/enroll`);
      await page.locator('label', { hasText: 'Tuesday evening group' }).click();
      await page.getByLabel('First session').fill(tuesday);
      await page.getByRole('button', { name: 'Enroll' }).click();
      await expect(page.locator('[data-enroll-warnings]').innerText()).resolves.toContain(
        'Ali’s language is Somali; the group meets in English.',
      );
      await page.locator('label', { hasText: 'Grupo del jueves' }).click();
      await page.getByLabel('First session').fill(thursday);
      await page.getByRole('button', { name: 'Enroll anyway' }).click();
      await expect(page.locator('[data-enroll-warnings]').innerText()).resolves.toContain(
        'Ali’s language is Somali; the group meets in Spanish.',
      );
      await expect(
        testApp.dataSource.query(`SELECT count(*)::int AS n FROM enrollments WHERE referral_id = $1`, [referral.id]),
      ).resolves.toEqual([{ n: 0 }]);
    });

    it('the facilitator’s roster at 768 px says who speaks another language', async () => {
      const [session] = await sessionsOf(testApp, staff, english.id, tuesday, tuesday);
      const facilitator = await signedInPage(browser, baseUrl, staff.users.facilitator.email, {
        width: 768,
        height: 1024,
        timeout: 10_000,
      });
      await facilitator.goto(`${baseUrl}/sessions/${session.id}/roster`);
      await expect(facilitator.locator('legend', { hasText: 'Luis O.' }).innerText()).resolves.toBe('Luis O. · speaks Spanish (español)');
      await expect(facilitator.locator('legend', { hasText: 'Mark' }).innerText()).resolves.not.toContain('speaks');
      await screenshot(facilitator, 'roster-language-768');
      await facilitator.close();
    });
  });
});
