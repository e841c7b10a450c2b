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
});
