import fc from 'fast-check';
import { Browser } from 'playwright-core';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, createStaff, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, pinToday, seedReference } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { closeBrowserApp, launchBrowser, screenshot, signedInPage, startPagesApp } from '../pages/browser-harness';
import { pageSession } from '../security/security-fixtures';

const ZONE = 'America/Chicago';

/** An independent model of "n business days later, same wall-clock time": weekdays not closed in the calendar. */
function businessDaysLater(localDate: string, days: number, closed: Set<string>): string {
  const day = new Date(`${localDate}T12:00:00Z`);
  let left = days;
  while (left > 0) {
    day.setUTCDate(day.getUTCDate() + 1);
    const iso = day.toISOString().slice(0, 10);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6 && !closed.has(iso)) left -= 1;
  }
  return day.toISOString().slice(0, 10);
}

/**
 * The clocks of victim notification (Florida 65H-2.016: told within 3 business days of his
 * enrollment, within 24 hours of his discharge): each notification carries its due time from the
 * policy when it is raised, and the advocate's list goes by it, overdue first, in words.
 */
describe('victim-notification clocks', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let staff: Staff;
  let reference: Awaited<ReturnType<typeof seedReference>>;
  let groupId: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    ({ testApp, baseUrl } = await startPagesApp({ env: { APP_ROLE: 'api', PROGRAM_TIMEZONE: ZONE } }));
    staff = await createStaff(testApp);
    reference = await seedReference(testApp);
    pinToday(testApp);
    groupId = (
      await createGroup(testApp, staff, { curriculumId: reference.duluth.id, facilitatorIds: [staff.users.facilitator.id], weekday: 1 })
    ).id;
  });
  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  const as = (role: Role) => bearer(staff.tokens[role]);
  const closeDay = (date: string, name: string) =>
    testApp.http.put(`/api/v1/holidays/${date}`).set(as(Role.Admin)).send({ name }).expect(200);
  /** The one function the raise uses, asked about a fixed instant; answers the due time in the program's zone. */
  async function dueAt(raised: string, event: string, businessDays: number | null, hours: number | null): Promise<string | null> {
    const [row] = await testApp.dataSource.query(
      `SELECT to_char(victim_notification_due_at($1::timestamptz, $2, $3, $4, $5) AT TIME ZONE $5, 'YYYY-MM-DD HH24:MI') AS local,
              victim_notification_due_at($1::timestamptz, $2, $3, $4, $5) AS instant`,
      [raised, event, businessDays, hours, ZONE],
    );
    return row.local === null ? null : `${row.local} (${(row.instant as Date).toISOString()})`;
  }
  let partyCount = 0;
  const addParty = (referralId: string, overrides: Record<string, unknown> = {}) =>
    testApp.http
      .post(`/api/v1/referrals/${referralId}/protected-parties`)
      .set(as(Role.Advocate))
      .send({
        name: `Rosa Clock${++partyCount}`,
        relationship: 'former partner',
        phone: '+1 305 555 0100',
        preferredChannel: 'phone',
        notificationWish: 'wants',
        ...overrides,
      })
      .expect(201);

  describe('the due time, as the database computes it', () => {
    it('business days for his enrollment skip a holiday weekend, in the program’s zone, at the same hour', async () => {
      // Friday 15 January 2027, 4 PM in Chicago (22:00 UTC: already Saturday in UTC). Monday is MLK Day.
      const raised = '2027-01-15T22:00:00Z';
      expect(await dueAt(raised, 'enrolled', 3, 24)).toBe('2027-01-20 16:00 (2027-01-20T22:00:00.000Z)');
      await closeDay('2027-01-18', 'Martin Luther King Jr. Day');
      expect(await dueAt(raised, 'enrolled', 3, 24)).toBe('2027-01-21 16:00 (2027-01-21T22:00:00.000Z)');
      // Across the spring change of clocks the hour on the wall is kept: 4 PM CST → 4 PM CDT.
      expect(await dueAt('2027-03-12T22:00:00Z', 'enrolled', 3, 24)).toBe('2027-03-17 16:00 (2027-03-17T21:00:00.000Z)');
    });

    it('24 hours for his discharge are 24 hours of time, across the change of clocks', async () => {
      // Saturday 6 November 2027, 10 AM CDT; the clocks fall back that night: 24 h later is 9 AM CST.
      expect(await dueAt('2027-11-06T15:00:00Z', 'terminated', 3, 24)).toBe('2027-11-07 09:00 (2027-11-07T15:00:00.000Z)');
      // Spring forward (14 March 2027): noon CST plus 24 h is 1 PM CDT.
      expect(await dueAt('2027-03-13T18:00:00Z', 'completed', 3, 24)).toBe('2027-03-14 13:00 (2027-03-14T18:00:00.000Z)');
      // A discharge is not held to business days: a Friday evening termination is due Saturday evening.
      expect(await dueAt('2027-01-15T23:30:00Z', 'terminated', 3, 24)).toBe('2027-01-16 17:30 (2027-01-16T23:30:00.000Z)');
    });

    it('agrees with a day-by-day model for any instant of 2027 and any clock (property, against the real calendar table)', async () => {
      await closeDay('2027-07-05', 'Independence Day (observed)');
      await closeDay('2027-11-25', 'Thanksgiving');
      await closeDay('2027-11-26', 'Day after Thanksgiving');
      const closed = new Set(
        (await testApp.dataSource.query<Array<{ date: string }>>(`SELECT date::text AS date FROM program_holidays WHERE closed`)).map(
          (row) => row.date,
        ),
      );
      const local = new Intl.DateTimeFormat('en-CA', {
        timeZone: ZONE,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
      const wall = (instant: Date) => {
        const parts = Object.fromEntries(local.formatToParts(instant).map((part) => [part.type, part.value]));
        return { day: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
      };
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: Date.UTC(2027, 0, 1), max: Date.UTC(2027, 11, 20) }).map((ms) => new Date(Math.floor(ms / 60_000) * 60_000)),
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 1, max: 72 }),
          async (raised, days, hours) => {
            const from = wall(raised);
            const enrolled = await dueAt(raised.toISOString(), 'enrolled', days, hours);
            expect(enrolled!.slice(0, 16)).toBe(`${businessDaysLater(from.day, days, closed)} ${from.time}`);
            const discharged = await dueAt(raised.toISOString(), 'completed', days, hours);
            expect(discharged!.slice(18, -1)).toBe(new Date(raised.getTime() + hours * 3_600_000).toISOString());
          },
        ),
        { numRuns: 150 },
      );
    });

    it('no clock in the policy, no due time', async () => {
      expect(await dueAt('2027-01-15T22:00:00Z', 'enrolled', null, 24)).toBeNull();
      expect(await dueAt('2027-01-15T22:00:00Z', 'terminated', 3, null)).toBeNull();
    });
  });

  describe('raised under a policy', () => {
    it('the Florida preset carries 3 business days and 24 hours and covers his enrollment; the others carry none', async () => {
      expect(reference.flPolicy).toMatchObject({
        victimNotification: 'unless_declined',
        victimNotificationEvents: ['enrolled', 'completed', 'terminated'],
        victimNoticeEnrollmentBusinessDays: 3,
        victimNoticeDischargeHours: 24,
      });
      for (const other of [reference.duluthPolicy, reference.caPolicy, reference.txPolicy]) {
        expect(other).toMatchObject({ victimNoticeEnrollmentBusinessDays: null, victimNoticeDischargeHours: null });
      }
      const { body } = await testApp.http.get(`/api/v1/policies/${reference.flPolicy.id}`).set(as(Role.Admin)).expect(200);
      expect(body).toMatchObject({ victimNoticeEnrollmentBusinessDays: 3, victimNoticeDischargeHours: 24 });
    });

    it('a clock out of range is refused on its field, and no policy is written', async () => {
      const { body: fl } = await testApp.http.get(`/api/v1/policies/${reference.flPolicy.id}`).set(as(Role.Admin)).expect(200);
      const fields = Object.fromEntries(
        [
          'requiredSessions',
          'sessionMinutes',
          'enrollWithinDays',
          'completeWithinMonths',
          'maxAbsences',
          'maxUnexcusedAbsences',
          'maxConsecutiveAbsences',
          'noAttendanceDays',
          'progressReportEveryDays',
          'violationReportBusinessDays',
          'feesRequired',
        ].map((key) => [key, fl[key]]),
      );
      const [{ n: before }] = await testApp.dataSource.query(`SELECT count(*)::int AS n FROM policies`);
      const refused = await testApp.http
        .post('/api/v1/policies')
        .set(as(Role.Admin))
        .send({ ...fields, name: 'Bad clocks', victimNoticeEnrollmentBusinessDays: 0, victimNoticeDischargeHours: 'a day' })
        .expect(400);
      expect(Object.keys(refused.body.fields).sort()).toEqual(['victimNoticeDischargeHours', 'victimNoticeEnrollmentBusinessDays']);
      const [{ n: after }] = await testApp.dataSource.query(`SELECT count(*)::int AS n FROM policies`);
      expect(after).toBe(before);
    });

    it('his enrollment under Florida is due 3 business days on (a closed day pushes it by one); his termination 24 hours on', async () => {
      // The next weekday after today (in the program's zone) is closed: the window has to step over it.
      const [{ today }] = await testApp.dataSource.query(`SELECT (now() AT TIME ZONE $1)::date::text AS today`, [ZONE]);
      const closing = businessDaysLater(today, 1, new Set());
      await closeDay(closing, 'Closed for the clocks test');
      const referral = await createReferral(testApp, staff, { policyId: reference.flPolicy.id });
      await addParty(referral.id);
      await enroll(testApp, staff, referral.id, groupId, '2026-11-30');
      await testApp.http
        .post(`/api/v1/referrals/${referral.id}/terminate`)
        .set(as(Role.Admin))
        .send({ reason: 'Violence in group' })
        .expect(200);

      const rows = await testApp.dataSource.query<
        Array<{ event: string; raised_day: string; raised_time: string; due_day: string; due_time: string; seconds: number }>
      >(
        `SELECT event, to_char(created_at AT TIME ZONE $2, 'YYYY-MM-DD') AS raised_day, to_char(created_at AT TIME ZONE $2, 'HH24:MI:SS.US') AS raised_time,
                to_char(due_at AT TIME ZONE $2, 'YYYY-MM-DD') AS due_day, to_char(due_at AT TIME ZONE $2, 'HH24:MI:SS.US') AS due_time,
                extract(epoch FROM due_at - created_at)::float AS seconds
           FROM victim_notifications WHERE referral_id = $1 ORDER BY created_at`,
        [referral.id, ZONE],
      );
      expect(rows.map((row) => row.event)).toEqual(['enrolled', 'terminated']);
      const [enrolled, terminated] = rows;
      const closed = new Set(
        (await testApp.dataSource.query<Array<{ date: string }>>(`SELECT date::text AS date FROM program_holidays WHERE closed`)).map(
          (row) => row.date,
        ),
      );
      expect(closed.has(closing)).toBe(true);
      expect(enrolled.due_day).toBe(businessDaysLater(enrolled.raised_day, 3, closed));
      expect(enrolled.due_day).toBe(businessDaysLater(enrolled.raised_day, 4, new Set()));
      expect(enrolled.due_time).toBe(enrolled.raised_time);
      expect(terminated.seconds).toBe(24 * 3600);

      const { body } = await testApp.http.get(`/api/v1/victim-notifications?referralId=${referral.id}`).set(as(Role.Advocate)).expect(200);
      // Both waiting: the termination's 24 hours fall before the enrollment's 3 business days, so it comes first.
      expect(
        body.items.map((item: { event: string; dueAt: string | null; due: { state: string } }) => [
          item.event,
          item.dueAt !== null,
          item.due.state,
        ]),
      ).toEqual([
        ['terminated', true, 'due'],
        ['enrolled', true, 'due'],
      ]);
    });

    it('the policy page shows the clocks and edits them; emptied, a clock is gone, and the steps she hears of stay', async () => {
      const cookie = await pageSession(testApp, staff.users.admin.email);
      const get = (path: string) => testApp.http.get(path).set('Cookie', cookie).set('Accept', 'text/html');
      const form = await get(`/admin/policies/${reference.flPolicy.id}/new-version`).expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
      const value = (name: string) => new RegExp(`name="${name}" type="number" value="([^"]*)"`).exec(form.text)?.[1] ?? null;
      expect([value('victimNoticeEnrollmentBusinessDays'), value('victimNoticeDischargeHours')]).toEqual(['3', '24']);
      expect(form.text).toContain('The protected party told of his enrollment within');
      const fields: Record<string, string> = {
        _csrf: csrf,
        name: reference.flPolicy.name,
        source: reference.flPolicy.source ?? '',
        victimNotification: 'unless_declined',
        basedOnVersion: '1',
        feesRequired: 'on',
      };
      for (const name of [
        'requiredSessions',
        'sessionMinutes',
        'enrollWithinDays',
        'completeWithinMonths',
        'maxAbsences',
        'maxUnexcusedAbsences',
        'maxConsecutiveAbsences',
        'noAttendanceDays',
        'progressReportEveryDays',
        'progressReportDayOfMonth',
        'violationReportBusinessDays',
        'escalateAfterBusinessDays',
        'probationResponseBusinessDays',
        'courtResponseBusinessDays',
      ])
        fields[name] = value(name) ?? '';
      const bad = await testApp.http
        .post(`/admin/policies/${reference.flPolicy.id}/new-version`)
        .set('Cookie', cookie)
        .type('form')
        .send({ ...fields, victimNoticeEnrollmentBusinessDays: 'three', victimNoticeDischargeHours: '24' })
        .expect(400);
      expect(bad.text).toContain('“The protected party told of his enrollment within” must be a whole number');
      const created = await testApp.http
        .post(`/admin/policies/${reference.flPolicy.id}/new-version`)
        .set('Cookie', cookie)
        .type('form')
        .send({ ...fields, victimNoticeEnrollmentBusinessDays: '5', victimNoticeDischargeHours: '' })
        .expect(303);
      const newId = /\/admin\/policies\/([0-9a-f-]{36})/.exec(created.headers.location)![1];
      const [version2] = await testApp.dataSource.query(
        `SELECT version, victim_notice_enrollment_business_days AS days, victim_notice_discharge_hours AS hours, victim_notification_events AS events FROM policies WHERE id = $1`,
        [newId],
      );
      expect(version2).toEqual({ version: 2, days: 5, hours: null, events: ['enrolled', 'completed', 'terminated'] });
      const shown = await get(`/admin/policies/${newId}?created=1`).expect(200);
      expect(shown.text).toContain(
        'The protected party told of his completion or termination within: changed from 24 hours to no deadline.',
      );
      // The rest of this suite raises under version 1's numbers: put them back as version 3.
      const back = await get(`/admin/policies/${newId}/new-version`).expect(200);
      const csrf2 = /name="_csrf" value="([^"]+)"/.exec(back.text)![1];
      await testApp.http
        .post(`/admin/policies/${newId}/new-version`)
        .set('Cookie', cookie)
        .type('form')
        .send({ ...fields, _csrf: csrf2, basedOnVersion: '2', victimNoticeEnrollmentBusinessDays: '3', victimNoticeDischargeHours: '24' })
        .expect(303);
      const [current] = await testApp.dataSource.query(`SELECT id FROM policies WHERE key = 'fl-741-325' AND is_current`);
      // eslint-disable-next-line @typescript-eslint/no-misused-spread -- the fixture is read as plain fields only
      reference.flPolicy = { ...reference.flPolicy, id: current.id };
    });

    it('under a policy without clocks a notification has no due time', async () => {
      const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id });
      await addParty(referral.id);
      await enroll(testApp, staff, referral.id, groupId, '2026-11-30');
      await testApp.http
        .post(`/api/v1/referrals/${referral.id}/terminate`)
        .set(as(Role.Admin))
        .send({ reason: 'Violence in group' })
        .expect(200);
      const { body } = await testApp.http.get(`/api/v1/victim-notifications?referralId=${referral.id}`).set(as(Role.Advocate)).expect(200);
      expect(body.items).toEqual([expect.objectContaining({ event: 'terminated', dueAt: null, due: { state: 'none', words: '' } })]);
    });
  });

  describe('the advocate’s list', () => {
    let expectedOrder: string[];

    beforeAll(async () => {
      // Close every earlier notification so the list holds only these.
      await testApp.dataSource.query(`UPDATE victim_notifications SET status = 'skipped'`);
      const made: Record<string, string> = {};
      for (const [label, policyId, shiftHours] of [
        ['none', reference.duluthPolicy.id, null],
        ['later', reference.flPolicy.id, 30],
        ['overdue-most', reference.flPolicy.id, -50],
        ['overdue', reference.flPolicy.id, -5],
      ] as Array<[string, string, number | null]>) {
        const referral = await createReferral(testApp, staff, { policyId, lastName: `Clock${label.replace(/-/g, '')}` });
        await addParty(referral.id);
        await enroll(testApp, staff, referral.id, groupId, '2026-11-30');
        await testApp.http
          .post(`/api/v1/referrals/${referral.id}/terminate`)
          .set(as(Role.Admin))
          .send({ reason: 'Violence in group' })
          .expect(200);
        const [row] = await testApp.dataSource.query(
          `SELECT id FROM victim_notifications WHERE referral_id = $1 AND event = 'terminated'`,
          [referral.id],
        );
        made[label] = row.id;
        await testApp.dataSource.query(`UPDATE victim_notifications SET status = 'skipped' WHERE referral_id = $1 AND event = 'enrolled'`, [
          referral.id,
        ]);
        // As though raised earlier: the due time moved to where a real day would have put it.
        if (shiftHours !== null)
          await testApp.dataSource.query(`UPDATE victim_notifications SET due_at = now() + $2 * interval '1 hour' WHERE id = $1`, [
            row.id,
            shiftHours,
          ]);
      }
      expectedOrder = [made['overdue-most'], made.overdue, made.later, made.none];
    });

    it('lists what is waiting by its clock: overdue first (the longest overdue at the top), then the soonest due, then those without one', async () => {
      const { body } = await testApp.http.get('/api/v1/victim-notifications?open=true').set(as(Role.Advocate)).expect(200);
      const items = body.items as Array<{ id: string; due: { state: string; words: string } }>;
      expect(items.map((item) => item.id)).toEqual(expectedOrder);
      expect(items.map((item) => item.due.state)).toEqual(['overdue', 'overdue', 'due', 'none']);
      expect(items[0].due.words).toMatch(/^Overdue by 2 days \(was due [A-Z][a-z]{2} \d{1,2}, 20\d\d, \d{1,2}:\d\d [AP]M\)$/);
      expect(items[1].due.words).toMatch(/^Overdue by (4|5) hours /);
      expect(items[2].due.words).toMatch(/^Due /);
    });

    it('the advocate’s page says it in words, overdue first (Chromium, 1280 and 390 px)', async () => {
      browser = await launchBrowser();
      const page = await signedInPage(browser, baseUrl, staff.users.advocate.email, { width: 1280, height: 900, timeout: 5_000 });
      await page.goto(`${baseUrl}/advocate`);
      const rows = page.locator('table[aria-labelledby="waiting-heading"] tbody tr');
      await expect(rows.count()).resolves.toBe(4);
      const texts = await rows.allInnerTexts();
      expect(texts[0]).toMatch(/Overdue by 2 days/);
      expect(texts[1]).toMatch(/Overdue by (4|5) hours/);
      expect(texts[2]).toMatch(/Due [A-Z][a-z]{2} \d/);
      expect(texts[3]).toMatch(/No deadline/);
      await expect(rows.nth(0).getAttribute('class')).resolves.toContain('row--overdue');
      await expect(page.locator('th', { hasText: 'Due' }).count()).resolves.toBe(1);
      await screenshot(page, 'advocate-overdue');
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${baseUrl}/advocate`);
      await screenshot(page, 'advocate-overdue-390');
      await page.close();
    });
  });
});
