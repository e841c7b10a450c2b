import { addDays } from '../../src/common/dates';
import { loadMarkFacts, markHistory } from '../../src/modules/compliance/mark-facts.repository';
import { bearer, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, Reference, sessionsOf, startProgramApp, TODAY } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';

/**
 * A man's mark history is read through his groups' sessions (markHistory), not by joining every
 * mark to its session: it must still be every mark of his on a held session, in date order, as
 * the plain join reads it — a mark on a session of a group he is not enrolled in included, and a
 * mark on a session cancelled since left out.
 */
describe('the mark history read through his groups', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let referralId: string;
  let otherReferralId: string;
  let lateOn: string;

  /** The history as the plain join reads it: every mark on a held session, by date. */
  const plainJoin = async (id: string): Promise<string | null> =>
    (
      await testApp.dataSource.query<Array<{ marks: string | null }>>(
        `SELECT string_agg(s.date::text || ' ' || m.status::text, ',' ORDER BY s.date, s.start_time) AS marks
           FROM attendance_marks m JOIN sessions s ON s.id = m.session_id WHERE m.referral_id = $1 AND s.status = 'held'`,
        [id],
      )
    )[0].marks;
  const throughGroups = async (id: string): Promise<string | null> =>
    (await testApp.dataSource.query<Array<{ marks: string | null }>>(markHistory('$1::uuid'), [id]))[0].marks;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 2,
    });
    const otherGroup = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 4,
    });
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -60) });
    const other = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -60) });
    referralId = referral.id;
    otherReferralId = other.id;
    const sessions = await sessionsOf(testApp, staff, group.id, addDays(TODAY, -35), TODAY);
    const otherSessions = await sessionsOf(testApp, staff, otherGroup.id, addDays(TODAY, -35), TODAY);
    const { enrollment } = await enroll(testApp, staff, referral.id, group.id, sessions[0].date);
    const { enrollment: otherEnrollment } = await enroll(testApp, staff, other.id, otherGroup.id, otherSessions[0].date);
    const statuses = ['present', 'absent_unexcused', 'late', 'absent_excused'];
    lateOn = sessions[2].date;
    for (const [index, session] of sessions.slice(0, 4).entries()) {
      await testApp.http
        .put(`/api/v1/sessions/${session.id}/attendance`)
        .set(bearer(staff.tokens.facilitator))
        .send({ marks: [{ enrollmentId: enrollment.id, status: statuses[index] }] })
        .expect(200);
    }
    await testApp.http
      .put(`/api/v1/sessions/${otherSessions[1].id}/attendance`)
      .set(bearer(staff.tokens.facilitator))
      .send({ marks: [{ enrollmentId: otherEnrollment.id, status: 'present' }] })
      .expect(200);
    // A mark of his on another group's session (nothing in the schema forbids it: data moved by hand,
    // an enrollment's group corrected), and a session of his own group cancelled after it was marked.
    await testApp.dataSource.query(
      `INSERT INTO attendance_marks (session_id, enrollment_id, referral_id, status) VALUES ($1, $2, $3, 'removed')`,
      [otherSessions[1].id, enrollment.id, referral.id],
    );
    await testApp.dataSource.query(`UPDATE sessions SET status = 'cancelled' WHERE id = $1`, [sessions[3].id]);
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('is every mark of his on a held session, by date, as the plain join reads it', async () => {
    const expected = await plainJoin(referralId);
    expect(expected?.split(',')).toHaveLength(4);
    expect(expected).toContain('removed');
    expect(expected).not.toContain('absent_excused');
    expect(await throughGroups(referralId)).toBe(expected);
    expect(await throughGroups(otherReferralId)).toBe(await plainJoin(otherReferralId));
  });

  it('is none for a man without a marked held session', async () => {
    const nobody = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -10) });
    expect(await throughGroups(nobody.id)).toBeNull();
    expect((await loadMarkFacts(testApp.dataSource.manager, [nobody.id])).get(nobody.id)).toEqual([]);
  });

  it('loadMarkFacts reads the same histories', async () => {
    const facts = await loadMarkFacts(testApp.dataSource.manager, [referralId, otherReferralId]);
    const asText = (id: string) => (facts.get(id) ?? []).map((mark) => `${mark.date} ${mark.status}`).join(',');
    expect(asText(referralId)).toBe(await plainJoin(referralId));
    expect(asText(otherReferralId)).toBe(await plainJoin(otherReferralId));
  });

  it('is what the caseload counts his attendance from, and his new notices are his own', async () => {
    const caseload = async () => {
      const response = await testApp.http.get('/api/v1/compliance/caseload').set(bearer(staff.tokens.probation_officer)).expect(200);
      const items = (response.body as { items: Array<{ referralId: string; unacknowledgedNotices: number }> }).items;
      return {
        his: items.find((item) => item.referralId === referralId)!,
        other: items.find((item) => item.referralId === otherReferralId)!,
      };
    };
    const before = await caseload();
    // His officer's new notice, one he has acknowledged, the court's, and a reminder: only the first is new to the officer.
    const event = async (key: string) =>
      (
        await testApp.dataSource.query<Array<{ id: string }>>(
          `INSERT INTO compliance_events (referral_id, kind, threshold_key, occurred_on, facts) VALUES ($1, 'progress_report_due', $2, $3, '{}') RETURNING id`,
          [referralId, key, TODAY],
        )
      )[0].id;
    const notice = (eventId: string, purpose: string, recipient: string, status: string) =>
      testApp.dataSource.query(
        `INSERT INTO notices (event_id, referral_id, purpose, recipient_kind, recipient_email, status, due_by)
         VALUES ($1, $2, $3, $4, 'someone@example.test', $5, now())`,
        [eventId, referralId, purpose, recipient, status],
      );
    const first = await event('report:1');
    await notice(first, 'event', 'probation_officer', 'sent');
    await notice(first, 'reminder', 'probation_officer', 'sent');
    await notice(first, 'event', 'court', 'sent');
    await notice(await event('report:2'), 'event', 'probation_officer', 'acknowledged');
    const after = await caseload();
    expect(after.his.unacknowledgedNotices).toBe(before.his.unacknowledgedNotices + 1);
    // Present and late attended; unexcused and the removal on the other group's session missed; the cancelled session not at all.
    expect(after.his).toMatchObject({ sessionsAttended: 2, absences: 2, lastAttendedOn: lateOn });
    expect(after.other).toMatchObject({ sessionsAttended: 1, absences: 0, unacknowledgedNotices: before.other.unacknowledgedNotices });
  });
});
