import { addDays } from '../../src/common/dates';
import { bearer, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, Reference, sessionsOf, TODAY } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';

/**
 * A man removed for behaviour on today's session: a new group, his referral and enrollment, and the
 * save that raises the event and its two notices (probation, court). Answers the notices' ids and
 * when the save answered. Enrolling raised notices of its own; they are not among these.
 */
export async function removedToday(
  testApp: TestApp,
  staff: Staff,
  reference: Reference,
): Promise<{ noticeIds: string[]; savedAt: number }> {
  const group = await createGroup(testApp, staff, {
    curriculumId: reference.duluth.id,
    facilitatorIds: [staff.users.facilitator.id],
    weekday: 2,
  });
  const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -30) });
  const sessions = await sessionsOf(testApp, staff, group.id, addDays(TODAY, -14), TODAY);
  const session = sessions[sessions.length - 1];
  const { enrollment } = await enroll(testApp, staff, referral.id, group.id, session.date);
  await testApp.http
    .put(`/api/v1/sessions/${session.id}/attendance`)
    .set(bearer(staff.tokens.facilitator))
    .send({ marks: [{ enrollmentId: enrollment.id, status: 'removed' }] })
    .expect(200);
  const savedAt = Date.now();
  const notices = await testApp.dataSource.query<Array<{ id: string }>>(
    `SELECT n.id FROM notices n JOIN compliance_events e ON e.id = n.event_id WHERE e.referral_id = $1 AND e.kind = 'removed_for_behaviour'`,
    [referral.id],
  );
  expect(notices).toHaveLength(2);
  return { noticeIds: notices.map((notice) => notice.id), savedAt };
}
