import fc from 'fast-check';
import { addDays } from '../../src/common/dates';
import { Role } from '../../src/common/auth/role.enum';
import { createGroup, createReferral, enroll, Reference, sessionsOf, startProgramApp, TODAY } from '../helpers/domain';
import { bearer, Staff } from '../helpers/fixtures';
import { TestApp } from '../helpers/test-app';

const ZONE = 'America/Chicago';
const isoDow = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** The independent model of business days: walk the calendar one day at a time. */
function modelAddBusinessDays(startDate: string, days: number, closed: Set<string>): string {
  let date = startDate;
  let remaining = days;
  while (remaining > 0) {
    date = addDays(date, 1);
    if (isoDow(date) < 6 && !closed.has(date)) remaining--;
  }
  return date;
}

describe('the program calendar: holidays, the schedule and business days', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp({
      env: { PROGRAM_HOLIDAYS: 'us', PROGRAM_STATE: 'MN', PROGRAM_TIMEZONE: ZONE },
    }));
  });
  afterAll(() => testApp.close());

  const as = (role: Role) => bearer(staff.tokens[role]);

  it('lists the federal and Minnesota days to every member of staff', async () => {
    const { body } = await testApp.http.get('/api/v1/holidays?from=2026-11-01&to=2026-12-31').set(as(Role.Facilitator)).expect(200);
    expect(body.items.map((day: { date: string; name: string }) => `${day.date} ${day.name}`)).toEqual([
      '2026-11-11 Veterans Day',
      '2026-11-26 Thanksgiving',
      '2026-11-27 Day after Thanksgiving',
      '2026-12-25 Christmas Day',
    ]);
    const bad = await testApp.http.get('/api/v1/holidays?from=26-11-01').set(as(Role.Admin)).expect(400);
    expect(bad.body.fields.from).toEqual(['from must be a date written YYYY-MM-DD']);
  });

  it('lays out a Thursday group with Thanksgiving closed: counting for nobody, the curriculum moving on to the next week', async () => {
    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 4,
      startsOn: '2026-11-05',
    });
    const sessions = await sessionsOf(testApp, staff, group.id, '2026-11-05', '2026-12-10');
    const week = (date: string) => sessions.find((session: { date: string }) => session.date === date);
    expect(week('2026-11-26')).toMatchObject({ status: 'cancelled', cancelledReason: 'Closed: Thanksgiving' });
    expect(week('2026-11-26')!.unit).toBeNull();
    // The unit Thanksgiving would have taught is taught the next week: held weeks run on without a gap.
    const positions = sessions
      .filter((session: { status: string }) => session.status !== 'cancelled')
      .map((session) => session.unit!.position);
    expect(positions).toEqual(positions.map((_, index) => positions[0] + index));
    expect(week('2026-12-03')!.unit!.position).toBe(week('2026-11-19')!.unit!.position + 1);
    const marked = await testApp.http
      .put(`/api/v1/sessions/${week('2026-11-26')!.id}/attendance`)
      .set(as(Role.Admin))
      .send({ marks: [] });
    expect(marked.status).toBeGreaterThanOrEqual(400);
    expect(marked.status).toBeLessThan(500);
  });

  it('the admin closes a day and opens it again: its unmarked sessions from today on follow, audited; others may not', async () => {
    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 4,
      startsOn: '2026-11-05',
    });
    const day = '2026-12-03';
    const at = async () => (await sessionsOf(testApp, staff, group.id, day, day))[0];
    expect(await at()).toMatchObject({ status: 'scheduled' });

    await testApp.http.put(`/api/v1/holidays/${day}`).set(as(Role.Facilitator)).send({ name: 'Staff training' }).expect(403);
    const refused = await testApp.http.put(`/api/v1/holidays/${day}`).set(as(Role.Admin)).send({ name: '  ' }).expect(400);
    expect(refused.body.fields.name).toEqual(['name is required: say why the program is closed, e.g. Thanksgiving']);
    const badDate = await testApp.http.put('/api/v1/holidays/2026-02-30').set(as(Role.Admin)).send({ name: 'x' }).expect(400);
    expect(badDate.body.fields.date).toEqual(['date must be a date written YYYY-MM-DD']);

    const closed = await testApp.http.put(`/api/v1/holidays/${day}`).set(as(Role.Admin)).send({ name: 'Staff training' }).expect(200);
    expect(closed.body).toMatchObject({ date: day, name: 'Staff training', source: 'program', closed: true });
    expect(closed.body.sessionsClosed).toBeGreaterThanOrEqual(1);
    expect(await at()).toMatchObject({ status: 'cancelled', cancelledReason: 'Closed: Staff training', unit: null });

    const opened = await testApp.http.delete(`/api/v1/holidays/${day}`).set(as(Role.Admin)).expect(200);
    expect(opened.body).toMatchObject({ closed: false });
    expect(opened.body.sessionsReopened).toBeGreaterThanOrEqual(1);
    expect(await at()).toMatchObject({ status: 'scheduled', cancelledReason: null });
    expect((await at()).unit).not.toBeNull();
    await testApp.http.delete('/api/v1/holidays/2026-12-09').set(as(Role.Admin)).expect(404);

    const audit = await testApp.dataSource.query(
      `SELECT action, details FROM audit_entries WHERE record_type = 'program_holiday' ORDER BY id`,
    );
    expect(audit.map((entry: { action: string }) => entry.action)).toEqual(['holiday.closed', 'holiday.opened']);
    // Seeding again leaves the opened day open: the admin's word stands.
    const { body } = await testApp.http.get(`/api/v1/holidays?from=${day}&to=${day}`).set(as(Role.Admin)).expect(200);
    expect(body.items).toEqual([{ date: day, name: 'Staff training', source: 'program', closed: false }]);
  });

  it('business days skip the Thanksgiving weekend: a day due Wednesday + 1 is the Monday after', async () => {
    const [row] = await testApp.dataSource.query(
      `SELECT (add_business_days('2026-11-25 10:00'::timestamp AT TIME ZONE $1, 1, $1) AT TIME ZONE $1)::text AS one,
              (add_business_days('2026-11-25 10:00'::timestamp AT TIME ZONE $1, 3, $1) AT TIME ZONE $1)::text AS three,
              (add_business_days('2026-11-25 10:00'::timestamp AT TIME ZONE $1, 0, $1) AT TIME ZONE $1)::text AS none`,
      [ZONE],
    );
    expect(row).toEqual({ one: '2026-11-30 10:00:00', three: '2026-12-02 10:00:00', none: '2026-11-25 10:00:00' });
  });

  it('property: business days in PostgreSQL agree with walking the calendar, holidays and late evenings included', async () => {
    const closed = new Set<string>(
      (await testApp.dataSource.query(`SELECT date::text AS date FROM program_holidays WHERE closed`)).map(
        (row: { date: string }) => row.date,
      ),
    );
    const cases = fc.sample(
      fc.record({ day: fc.integer({ min: 0, max: 760 }), hour: fc.integer({ min: 0, max: 23 }), days: fc.integer({ min: 0, max: 30 }) }),
      { numRuns: 400, seed: 20261126 },
    );
    const starts = cases.map((item) => `${addDays('2026-01-01', item.day)} ${String(item.hour).padStart(2, '0')}:30`);
    const rows = await testApp.dataSource.query(
      `SELECT (add_business_days(s::timestamp AT TIME ZONE $1, d, $1) AT TIME ZONE $1)::text AS due
         FROM unnest($2::text[], $3::int[]) WITH ORDINALITY AS t(s, d, n) ORDER BY n`,
      [ZONE, starts, cases.map((item) => item.days)],
    );
    const wrong = cases.filter((item, index) => {
      const [date, time] = starts[index].split(' ');
      return rows[index].due !== `${modelAddBusinessDays(date, item.days, closed)} ${time}:00`;
    });
    console.log(
      `business days: ${cases.length} generated starts over 2026–2027 (${closed.size} closed days), ${wrong.length} disagreements`,
    );
    expect(wrong).toEqual([]);
  });

  it("a notice's due-by skips a day the admin closed", async () => {
    const [{ today }] = await testApp.dataSource.query(`SELECT (now() AT TIME ZONE $1)::date::text AS today`, [ZONE]);
    const closed = new Set<string>(
      (await testApp.dataSource.query(`SELECT date::text AS date FROM program_holidays WHERE closed`)).map(
        (row: { date: string }) => row.date,
      ),
    );
    const nextBusinessDay = modelAddBusinessDays(today, 1, closed);
    await testApp.http.put(`/api/v1/holidays/${nextBusinessDay}`).set(as(Role.Admin)).send({ name: 'County closed for snow' }).expect(200);
    closed.add(nextBusinessDay);
    const group = await createGroup(testApp, staff, { curriculumId: reference.duluth.id, facilitatorIds: [staff.users.facilitator.id] });
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id });
    await enroll(testApp, staff, referral.id, group.id, addDays(TODAY, 7));
    const notices = await testApp.dataSource.query(
      `SELECT (n.due_by AT TIME ZONE $2)::date::text AS due, p.violation_report_business_days AS days
         FROM notices n JOIN referrals r ON r.id = n.referral_id JOIN policies p ON p.id = r.policy_id WHERE n.referral_id = $1`,
      [referral.id, ZONE],
    );
    expect(notices.length).toBeGreaterThan(0);
    for (const notice of notices) expect(notice.due).toBe(modelAddBusinessDays(today, notice.days, closed));
    await testApp.http.delete(`/api/v1/holidays/${nextBusinessDay}`).set(as(Role.Admin)).expect(200);
  });
});
