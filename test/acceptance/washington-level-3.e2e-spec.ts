import { addDays } from '../../src/common/dates';
import { Policy } from '../../src/modules/policies/policy.entity';
import { Role } from '../../src/common/auth/role.enum';
import { assessmentBody } from '../assessments/assessment-helpers';
import { createGroup, createReferral, enroll, Reference, sessionsOf, startProgramApp } from '../helpers/domain';
import { bearer, Staff } from '../helpers/fixtures';
import { TestApp } from '../helpers/test-app';

const ZONE = 'America/Los_Angeles';
const isoDow = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** Business days by walking the calendar one day at a time: the independent model of the deadline. */
function modelAddBusinessDays(startDate: string, days: number, closed: Set<string>): string {
  let date = startDate;
  let remaining = days;
  while (remaining > 0) {
    date = addDays(date, 1);
    if (isoDow(date) < 6 && !closed.has(date)) remaining--;
  }
  return date;
}

/**
 * Acceptance: "Washington level 3 order: 12 months; a holiday in the notice window pushes the due
 * date by one business day". A Washington program (federal and Washington holidays seeded), an
 * order assessed at level 3, a violation the day before a closed day.
 */
describe('acceptance: a Washington level 3 order, and a holiday in its notice window', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let washington: Policy;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp({
      env: { PROGRAM_HOLIDAYS: 'us', PROGRAM_STATE: 'WA', PROGRAM_TIMEZONE: ZONE },
    }));
    washington = reference.policies.find((policy) => policy.key === 'wa-wac-388-60b')!;
  });
  afterAll(() => testApp.close());

  const admin = () => bearer(staff.tokens[Role.Admin]);
  const closedDays = async () =>
    new Set<string>(
      (await testApp.dataSource.query(`SELECT date::text AS date FROM program_holidays WHERE closed`)).map(
        (row: { date: string }) => row.date,
      ),
    );

  /** A level-3 Washington order, enrolled, removed from a session: its violation notices' due dates. */
  async function levelThreeViolation(): Promise<{ referralId: string; completeBy: string; requiredSessions: number; due: string[] }> {
    const referral = await createReferral(testApp, staff, { policyId: washington.id, orderedOn: '2026-11-09' });
    await testApp.http
      .post(`/api/v1/referrals/${referral.id}/assessments`)
      .set(admin())
      .send(assessmentBody('3', { assessedOn: '2026-11-13' }))
      .expect(201);
    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 2,
      startsOn: '2026-11-03',
    });
    const session = (await sessionsOf(testApp, staff, group.id, '2026-11-17', '2026-11-17'))[0];
    const { enrollment } = await enroll(testApp, staff, referral.id, group.id, '2026-11-17');
    await testApp.http
      .put(`/api/v1/sessions/${session.id}/attendance`)
      .set(admin())
      .send({ marks: [{ enrollmentId: enrollment.id, status: 'removed', note: 'Threatened another man' }] })
      .expect(200);
    const view = await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(admin()).expect(200);
    const due = await testApp.dataSource.query<Array<{ due: string }>>(
      `SELECT (n.due_by AT TIME ZONE $2)::date::text AS due FROM notices n JOIN compliance_events e ON e.id = n.event_id
        WHERE n.referral_id = $1 AND e.kind = 'removed_for_behaviour' ORDER BY n.recipient_kind`,
      [referral.id, ZONE],
    );
    return {
      referralId: referral.id,
      completeBy: view.body.completeBy,
      requiredSessions: view.body.compliance.sessionsRequired,
      due: due.map((row) => row.due),
    };
  }

  it('a level 3 order runs 12 months with 52 sessions; a holiday the day after the violation pushes its notices due by one business day', async () => {
    const [{ today }] = await testApp.dataSource.query(`SELECT (now() AT TIME ZONE $1)::date::text AS today`, [ZONE]);
    const seeded = await closedDays();
    // The state calendar is seeded: Washington's own day after Thanksgiving (RCW 1.16.050) beside the federal days.
    expect(seeded.has('2026-11-27')).toBe(true);
    expect(seeded.has('2026-12-25')).toBe(true);

    // Without a holiday in the window.
    const before = await levelThreeViolation();
    expect(before.completeBy).toBe('2027-11-09');
    expect(before.requiredSessions).toBe(52);
    expect(before.due).toHaveLength(2);
    const days = washington.violationReportBusinessDays;
    const withoutHoliday = modelAddBusinessDays(today, days, seeded);
    expect(before.due).toEqual([withoutHoliday, withoutHoliday]);

    // The next business day becomes a holiday: today's violation is now "the day before a holiday".
    const holiday = modelAddBusinessDays(today, 1, seeded);
    await testApp.http.put(`/api/v1/holidays/${holiday}`).set(admin()).send({ name: 'County closed: state holiday observed' }).expect(200);
    try {
      const after = await levelThreeViolation();
      expect(after.completeBy).toBe('2027-11-09');
      const pushed = modelAddBusinessDays(withoutHoliday, 1, new Set([...seeded, holiday]));
      expect(after.due).toEqual([pushed, pushed]);
      // One business day later, not one calendar day: over a weekend it is the Monday.
      expect(modelAddBusinessDays(before.due[0], 1, new Set([...seeded, holiday]))).toBe(after.due[0]);
      expect(after.due[0] > before.due[0]).toBe(true);
    } finally {
      await testApp.http.delete(`/api/v1/holidays/${holiday}`).set(admin()).expect(200);
    }
  });

  it('the seeded calendar does the same on its own: a violation on Christmas Eve is due one business day later than without Christmas', async () => {
    const at = async (start: string) =>
      (
        await testApp.dataSource.query<Array<{ due: string }>>(
          `SELECT (add_business_days(($1::timestamp) AT TIME ZONE $2, $3, $2) AT TIME ZONE $2)::date::text AS due`,
          [start, ZONE, washington.violationReportBusinessDays],
        )
      )[0].due;
    const seeded = await closedDays();
    const withChristmas = await at('2026-12-24 10:00');
    const withoutChristmas = modelAddBusinessDays(
      '2026-12-24',
      washington.violationReportBusinessDays,
      new Set([...seeded].filter((day) => day !== '2026-12-25')),
    );
    expect(withChristmas).toBe(modelAddBusinessDays('2026-12-24', washington.violationReportBusinessDays, seeded));
    expect(withChristmas).toBe(modelAddBusinessDays(withoutChristmas, 1, seeded));
    expect({ withoutChristmas, withChristmas }).toEqual({ withoutChristmas: '2026-12-30', withChristmas: '2026-12-31' });
  });
});
