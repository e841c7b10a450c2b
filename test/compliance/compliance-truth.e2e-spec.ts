import { PROGRAM_DECISION_KINDS } from '../../src/common/program/compliance-event-kind.enum';
import { ComplianceSweepService } from '../../src/modules/compliance/compliance-sweep.service';
import { bearer, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, pinToday, Reference, sessionsOf, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';

/**
 * Nine stories in which the rules told the court something false (issue 20), each replayed
 * through the HTTP API and PostgreSQL on a Monday group in the autumn of 2026.
 */
describe('compliance tells the court the truth', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;

  beforeAll(async () => ({ testApp, staff, reference } = await startProgramApp()));
  afterAll(() => testApp.close());

  const admin = () => bearer(staff.tokens.admin);
  const sweep = (today: string) => testApp.app.get(ComplianceSweepService).run(today);

  interface Event {
    id: string;
    kind: string;
    threshold_key: string;
    corrects_event_id: string | null;
    facts: Record<string, unknown>;
    withdrawn: boolean;
  }
  const eventsOf = async (referralId: string): Promise<Event[]> =>
    testApp.dataSource.query(
      `SELECT e.id, e.kind, e.threshold_key, e.corrects_event_id, e.facts,
              EXISTS (SELECT 1 FROM compliance_events c WHERE c.corrects_event_id = e.id) AS withdrawn
         FROM compliance_events e WHERE e.referral_id = $1 ORDER BY e.created_at, e.threshold_key`,
      [referralId],
    );
  // The program's own decisions (enrolled, reinstated, …) are told to the court but are not crossings.
  const standing = async (referralId: string) =>
    (await eventsOf(referralId))
      .filter((e) => e.kind !== 'corrected' && !e.withdrawn && !(PROGRAM_DECISION_KINDS as readonly string[]).includes(e.kind))
      .map((e) => `${e.kind}|${e.threshold_key}`);
  const corrections = async (referralId: string) => (await eventsOf(referralId)).filter((e) => e.kind === 'corrected');
  const noticesFor = async (referralId: string, kind: string) =>
    await testApp.dataSource.query<Array<{ recipient_kind: string }>>(
      `SELECT n.recipient_kind FROM notices n JOIN compliance_events e ON e.id = n.event_id WHERE n.referral_id = $1 AND e.kind = $2 ORDER BY n.recipient_kind::text`,
      [referralId, kind],
    );
  const statusOf = async (referralId: string) =>
    (await testApp.http.get(`/api/v1/referrals/${referralId}`).set(admin()).expect(200)).body as {
      status: string;
      statusReason: string | null;
    };

  /** A Monday group from 7 September 2026 and one man in it; `mark` and `cancel` go by session date. */
  async function mondayMan(options: { orderedOn: string; enrolledFrom?: string; policyId?: string; today: string }) {
    pinToday(testApp, options.today);
    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 1,
      startsOn: '2026-09-07',
    });
    const sessions = await sessionsOf(testApp, staff, group.id, '2026-09-01', '2027-01-31');
    const sessionOn = (date: string) => {
      const session = sessions.find((s) => s.date === date);
      if (!session) throw new Error(`no session on ${date}`);
      return session;
    };
    const referral = await createReferral(testApp, staff, {
      policyId: options.policyId ?? reference.duluthPolicy.id,
      orderedOn: options.orderedOn,
    });
    let enrollmentId: string | null = null;
    const enrollFrom = async (date: string) => {
      enrollmentId = (await enroll(testApp, staff, referral.id, group.id, date)).enrollment.id;
    };
    if (options.enrolledFrom) await enrollFrom(options.enrolledFrom);
    const mark = async (date: string, status: string, note?: string) =>
      testApp.http
        .put(`/api/v1/sessions/${sessionOn(date).id}/attendance`)
        .set(admin())
        .send({ marks: [{ enrollmentId, status, ...(note ? { note } : {}) }] })
        .expect(200);
    const cancel = (date: string) =>
      testApp.http
        .post(`/api/v1/sessions/${sessionOn(date).id}/cancel`)
        .set(admin())
        .send({ reason: 'Building closed' })
        .expect(200);
    /** Another man attends, so the group is known to have met that week. */
    const held = async (...dates: string[]) => {
      const other = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: '2026-09-01' });
      const { enrollment } = await enroll(testApp, staff, other.id, group.id, '2026-09-07');
      for (const date of dates) {
        await testApp.http
          .put(`/api/v1/sessions/${sessionOn(date).id}/attendance`)
          .set(admin())
          .send({ marks: [{ enrollmentId: enrollment.id, status: 'present' }] })
          .expect(200);
      }
    };
    return { referral, group, mark, cancel, held, enrollFrom };
  }

  async function createPolicy(fields: Record<string, unknown>) {
    const response = await testApp.http
      .post('/api/v1/policies')
      .set(admin())
      .send({
        name: `Policy ${Math.random().toString(36).slice(2, 7)}`,
        requiredSessions: 24,
        sessionMinutes: 90,
        enrollWithinDays: 14,
        completeWithinMonths: 9,
        maxAbsences: 3,
        maxUnexcusedAbsences: 2,
        maxConsecutiveAbsences: 2,
        noAttendanceDays: 14,
        progressReportEveryDays: 30,
        violationReportBusinessDays: 2,
        feesRequired: false,
        ...fields,
      });
    if (response.status !== 201) throw new Error(`policy: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { id: string };
  }

  it('1. ending a referral, then saving a mark of his, withdraws nothing the court was told', async () => {
    const man = await mondayMan({ orderedOn: '2026-10-26', enrolledFrom: '2026-11-02', today: '2026-11-30' });
    await man.mark('2026-11-02', 'present');
    await man.mark('2026-11-09', 'present');
    await man.mark('2026-11-16', 'absent_unexcused');
    await man.mark('2026-11-23', 'removed');
    expect(await standing(man.referral.id)).toEqual(['removed_for_behaviour|removed:2026-11-23']);
    expect((await statusOf(man.referral.id)).status).toBe('non_compliant');

    // Terminated in the morning; his enrollment ends today, so he is still on tonight's roster.
    await testApp.http
      .post(`/api/v1/referrals/${man.referral.id}/terminate`)
      .set(admin())
      .send({ reason: 'Removed and did not return' })
      .expect(200);
    await man.mark('2026-11-30', 'absent_unexcused');
    await man.mark('2026-11-16', 'absent_unexcused', 'Called in drunk, per the facilitator');

    expect(await corrections(man.referral.id)).toEqual([]);
    expect(await standing(man.referral.id)).toEqual(['removed_for_behaviour|removed:2026-11-23', 'terminated|terminated']);
    expect((await statusOf(man.referral.id)).status).toBe('terminated');
  });

  it('2. a limit crossed again after a correction is raised again', async () => {
    const man = await mondayMan({ orderedOn: '2026-09-01', enrolledFrom: '2026-09-07', today: '2026-11-30' });
    for (const [date, status] of [
      ['2026-09-07', 'absent_excused'],
      ['2026-09-14', 'present'],
      ['2026-09-21', 'absent_excused'],
      ['2026-09-28', 'present'],
      ['2026-10-05', 'absent_excused'],
      ['2026-10-12', 'present'],
    ])
      await man.mark(date, status);
    expect((await statusOf(man.referral.id)).status).toBe('active');
    await man.mark('2026-10-19', 'absent_excused');
    expect(await standing(man.referral.id)).toEqual(['absence_limit_exceeded|absences:4']);
    await man.mark('2026-10-19', 'present'); // the wrong man was marked
    expect(await standing(man.referral.id)).toEqual([]);
    expect((await statusOf(man.referral.id)).status).toBe('active');

    await man.mark('2026-10-26', 'present');
    await man.mark('2026-11-02', 'absent_excused'); // a real fourth absence
    const again = await standing(man.referral.id);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatch(/^absence_limit_exceeded\|absences:4/);
    expect((await statusOf(man.referral.id)).status).toBe('non_compliant');
    expect((await noticesFor(man.referral.id, 'absence_limit_exceeded')).map((n) => n.recipient_kind)).toEqual([
      'court',
      'court',
      'probation_officer',
      'probation_officer',
    ]);
    await sweep('2026-11-30');
    expect((await statusOf(man.referral.id)).status).toBe('non_compliant');

    // The same for the unexcused limit.
    const other = await mondayMan({ orderedOn: '2026-09-01', enrolledFrom: '2026-09-07', today: '2026-11-30' });
    for (const [date, status] of [
      ['2026-09-07', 'absent_unexcused'],
      ['2026-09-14', 'present'],
      ['2026-09-21', 'absent_unexcused'],
      ['2026-09-28', 'present'],
      ['2026-10-05', 'absent_unexcused'],
      ['2026-10-05', 'present'],
      ['2026-10-12', 'absent_unexcused'],
    ])
      await other.mark(date, status);
    expect((await standing(other.referral.id)).filter((key) => key.includes('unexcused'))).toHaveLength(1);
    expect((await statusOf(other.referral.id)).status).toBe('non_compliant');
  });

  it('3. the no-attendance rule does not count weeks his group cancelled', async () => {
    const man = await mondayMan({ orderedOn: '2026-10-26', enrolledFrom: '2026-11-02', today: '2026-12-01' });
    await man.mark('2026-11-02', 'present');
    await man.mark('2026-11-09', 'present');
    await man.cancel('2026-11-16');
    await man.cancel('2026-11-23');
    await man.mark('2026-11-30', 'absent_excused');
    await sweep('2026-12-01');
    expect((await standing(man.referral.id)).filter((key) => key.startsWith('no_attendance'))).toEqual([]);
    expect((await statusOf(man.referral.id)).status).toBe('active');
  });

  it('4. finishing on the complete-by date is not a missed deadline', async () => {
    const policy = await createPolicy({ requiredSessions: 2, completeWithinMonths: 1, enrollWithinDays: 30 });
    const man = await mondayMan({ orderedOn: '2026-10-30', enrolledFrom: '2026-11-23', policyId: policy.id, today: '2026-11-30' });
    expect(man.referral.completeBy).toBe('2026-11-30');
    await man.mark('2026-11-23', 'present');
    await man.mark('2026-11-30', 'present');
    pinToday(testApp, '2026-12-01');
    await sweep('2026-12-01');
    expect((await standing(man.referral.id)).filter((key) => key.startsWith('completion_deadline_missed'))).toEqual([]);
    expect((await statusOf(man.referral.id)).status).toBe('active');
    await testApp.http.post(`/api/v1/referrals/${man.referral.id}/complete`).set(admin()).expect(200);
  });

  it('5. a late-entered earlier absence extends the run already reported, it is not a new run', async () => {
    const policy = await createPolicy({ maxAbsences: 10, maxUnexcusedAbsences: 10 });
    const man = await mondayMan({ orderedOn: '2026-10-01', enrolledFrom: '2026-10-05', policyId: policy.id, today: '2026-11-30' });
    await man.mark('2026-10-05', 'present');
    await man.mark('2026-10-19', 'absent_excused');
    await man.mark('2026-10-26', 'absent_excused');
    await man.mark('2026-11-02', 'absent_excused');
    expect(await standing(man.referral.id)).toEqual(['consecutive_absences|streak:2026-10-19']);
    await testApp.http.post(`/api/v1/referrals/${man.referral.id}/reinstate`).set(admin()).send({ reason: 'Make-up plan' }).expect(200);

    await man.mark('2026-10-12', 'absent_excused'); // entered late
    expect(await standing(man.referral.id)).toEqual(['consecutive_absences|streak:2026-10-19']);
    expect(await corrections(man.referral.id)).toEqual([]);
    expect((await statusOf(man.referral.id)).status).toBe('active');
  });

  it('6. withdrawing the only new crossing after a reinstatement makes him active again', async () => {
    const man = await mondayMan({ orderedOn: '2026-09-01', enrolledFrom: '2026-09-28', today: '2026-11-30' });
    for (const [date, status] of [
      ['2026-09-28', 'absent_unexcused'],
      ['2026-10-05', 'present'],
      ['2026-10-12', 'absent_unexcused'],
      ['2026-10-19', 'present'],
      ['2026-10-26', 'absent_unexcused'],
      ['2026-11-02', 'present'],
    ])
      await man.mark(date, status);
    expect(await standing(man.referral.id)).toEqual(['absence_limit_exceeded|unexcused:3']);
    await testApp.http
      .post(`/api/v1/referrals/${man.referral.id}/reinstate`)
      .set(admin())
      .send({ reason: 'Court said continue' })
      .expect(200);
    await man.mark('2026-11-09', 'present');
    await man.mark('2026-11-16', 'present');
    await man.mark('2026-11-23', 'removed');
    expect((await statusOf(man.referral.id)).status).toBe('non_compliant');
    // The removal was also his fourth absence.
    expect(await standing(man.referral.id)).toEqual([
      'absence_limit_exceeded|unexcused:3',
      'absence_limit_exceeded|absences:4',
      'removed_for_behaviour|removed:2026-11-23',
    ]);
    await man.mark('2026-11-23', 'present'); // it was another man
    expect((await corrections(man.referral.id)).map((c) => c.facts.corrects).sort()).toEqual([
      'absence_limit_exceeded',
      'removed_for_behaviour',
    ]);
    expect(await standing(man.referral.id)).toEqual(['absence_limit_exceeded|unexcused:3']);
    expect(await statusOf(man.referral.id)).toMatchObject({ status: 'active' });
  });

  it('7. enroll-by is judged by the date he started, not by whether an enrollment exists', async () => {
    // Missed: enrolled to start after enroll-by, typed in before the sweep.
    const late = await mondayMan({ orderedOn: '2026-11-01', today: '2026-11-25' });
    expect(late.referral.enrollBy).toBe('2026-11-15');
    await late.enrollFrom('2026-11-23');
    await sweep('2026-11-25');
    expect(await standing(late.referral.id)).toContain('failed_to_enroll|enroll_by:2026-11-15');
    expect((await noticesFor(late.referral.id, 'failed_to_enroll')).length).toBe(2);

    // False: raised while nothing was recorded, then an enrollment that started in time is entered.
    const inTime = await mondayMan({ orderedOn: '2026-11-01', today: '2026-11-25' });
    await sweep('2026-11-25');
    expect(await standing(inTime.referral.id)).toContain('failed_to_enroll|enroll_by:2026-11-15');
    expect((await statusOf(inTime.referral.id)).status).toBe('failed_to_enroll');
    pinToday(testApp, '2026-11-26');
    await inTime.enrollFrom('2026-11-09');
    await inTime.held('2026-11-09', '2026-11-16', '2026-11-23');
    await inTime.mark('2026-11-09', 'present');
    await inTime.mark('2026-11-16', 'present');
    await inTime.mark('2026-11-23', 'present');
    await sweep('2026-11-26');
    expect((await standing(inTime.referral.id)).filter((key) => key.startsWith('failed_to_enroll'))).toEqual([]);
    expect((await corrections(inTime.referral.id)).map((c) => c.facts.corrects)).toEqual(['failed_to_enroll']);
    expect((await statusOf(inTime.referral.id)).status).toBe('active');
  });

  it('8. a back-dated enrollment’s no-attendance notice is withdrawn when his attendance is entered', async () => {
    const man = await mondayMan({ orderedOn: '2026-10-26', today: '2026-12-01' });
    await man.held('2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30');
    await man.enrollFrom('2026-11-02'); // typed in today
    await sweep('2026-12-01');
    expect(await standing(man.referral.id)).toContain('no_attendance|since:2026-11-02');
    expect((await statusOf(man.referral.id)).status).toBe('non_compliant');

    for (const date of ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30']) await man.mark(date, 'present');
    await sweep('2026-12-01');
    expect((await standing(man.referral.id)).filter((key) => key.startsWith('no_attendance'))).toEqual([]);
    expect((await corrections(man.referral.id)).map((c) => c.facts.corrects)).toEqual(['no_attendance']);
    expect((await statusOf(man.referral.id)).status).toBe('active');
  });

  it('found by the properties: a week cancelled between absences joins them into one run, raised at once', async () => {
    const man = await mondayMan({ orderedOn: '2026-10-26', enrolledFrom: '2026-11-02', today: '2026-11-25' });
    await man.mark('2026-11-02', 'absent_excused');
    await man.mark('2026-11-09', 'absent_excused');
    await man.mark('2026-11-23', 'absent_excused');
    expect(await standing(man.referral.id)).toEqual([]); // 11-16 is not marked for him yet: no run of three
    await man.cancel('2026-11-16');
    expect(await standing(man.referral.id)).toEqual(['consecutive_absences|streak:2026-11-02']);
    expect((await statusOf(man.referral.id)).status).toBe('non_compliant');
  });

  it('9. business days are counted in the program’s time zone, by the one function the notices use', async () => {
    const at = async (sql: string, params: unknown[]) => (await testApp.dataSource.query<Array<{ at: string }>>(sql, params))[0].at;
    const chicago = `to_char(%s AT TIME ZONE 'America/Chicago', 'Dy YYYY-MM-DD HH24:MI')`;
    const plus = (days: number) =>
      chicago.replace('%s', `add_business_days('2026-11-20 20:00 America/Chicago'::timestamptz, ${days}, 'America/Chicago')`);
    // Friday 20:00 in Chicago is already Saturday in UTC.
    expect(await at(`SELECT ${plus(2)} AS at`, [])).toBe('Tue 2026-11-24 20:00');
    expect(await at(`SELECT ${plus(1)} AS at`, [])).toBe('Mon 2026-11-23 20:00'); // Texas: next working day, not Sunday
    expect(await at(`SELECT ${plus(0)} AS at`, [])).toBe('Fri 2026-11-20 20:00');
    // Across the end of daylight saving time (1 November 2026): the wall-clock hour is kept.
    const dst = chicago.replace('%s', `add_business_days('2026-10-30 20:00 America/Chicago'::timestamptz, 1, 'America/Chicago')`);
    expect(await at(`SELECT ${dst} AS at`, [])).toBe('Mon 2026-11-02 20:00');

    // A Texas notice written now is due one business day later, counted in the program's time zone.
    const tx = await mondayMan({
      orderedOn: '2026-10-26',
      enrolledFrom: '2026-11-02',
      policyId: reference.txPolicy.id,
      today: '2026-11-30',
    });
    await tx.mark('2026-11-02', 'removed');
    const [row] = await testApp.dataSource.query<Array<{ ok: boolean; dow: string }>>(
      `SELECT (n.due_by = add_business_days(n.created_at, 1, 'America/Chicago')) AS ok, extract(isodow FROM n.due_by AT TIME ZONE 'America/Chicago') AS dow
         FROM notices n WHERE n.referral_id = $1 LIMIT 1`,
      [tx.referral.id],
    );
    expect(row.ok).toBe(true);
    expect(Number(row.dow)).toBeLessThan(6);
  });
});
