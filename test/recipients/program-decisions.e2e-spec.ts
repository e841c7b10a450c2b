import { bearer, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { pageSession } from '../security/security-fixtures';
import { groupWithSessions, violation } from './recipient-helpers';

/** Program decisions reach the court and probation: reinstated, closed, enrolled, transferred, each told once. */
describe('program decisions as events with notices', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let group: Awaited<ReturnType<typeof groupWithSessions>>;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    group = await groupWithSessions(testApp, staff, reference);
  });
  afterAll(async () => testApp.close());

  const eventsOf = async (referralId: string, kind: string) =>
    await testApp.dataSource.query<Array<{ id: string; facts: Record<string, unknown>; recipients: string[]; notices: string[] }>>(
      `SELECT e.id, e.facts, array_agg(n.recipient_kind::text ORDER BY n.recipient_kind::text) AS recipients, array_agg(n.id::text) AS notices
         FROM compliance_events e JOIN notices n ON n.event_id = e.id WHERE e.referral_id = $1 AND e.kind = $2 GROUP BY e.id`,
      [referralId, kind],
    );

  /** Every notice delivered, each exactly once (by Message-ID), also after the relay has had time to run again. */
  async function deliveredOnce(noticeIds: string[]): Promise<void> {
    await waitFor(
      async () => {
        const rows = await testApp.dataSource.query<Array<{ status: string }>>(`SELECT status FROM notices WHERE id = ANY($1::uuid[])`, [
          noticeIds,
        ]);
        return rows.length === noticeIds.length && rows.every((row) => row.status === 'sent');
      },
      { what: 'the decision notices sent', timeoutMs: 30_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const id of noticeIds)
      expect({ id, mails: testApp.smtp.received.filter((mail) => mail.messageId?.startsWith(`<${id}@`)).length }).toEqual({ id, mails: 1 });
  }

  it('confirms an enrollment and a transfer to the officer and the court (the presets tell both)', async () => {
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: '2026-11-10' });
    const { enrollment } = await enroll(testApp, staff, referral.id, group.groupId, '2026-11-16');
    const [enrolled] = await eventsOf(referral.id, 'enrolled');
    expect(enrolled.recipients).toEqual(['court', 'probation_officer']);
    expect(enrolled.facts).toMatchObject({ startDate: '2026-11-16' });
    const other = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 4,
      startsOn: '2026-10-22',
      name: 'Thursday men',
    });
    await enroll(testApp, staff, referral.id, other.id, '2026-11-26');
    const [transferred] = await eventsOf(referral.id, 'transferred');
    expect(transferred.facts).toMatchObject({ groupName: 'Thursday men', startDate: '2026-11-26' });
    expect(transferred.recipients).toEqual(['court', 'probation_officer']);
    // The transfer ended his first enrollment the day before the new group's first session.
    const [first] = await testApp.dataSource.query<Array<{ endDate: string | null }>>(
      `SELECT end_date::text AS "endDate" FROM enrollments WHERE id = $1`,
      [enrollment.id],
    );
    expect(first.endDate).toBe('2026-11-25');
    await deliveredOnce([...enrolled.notices, ...transferred.notices]);
    const mail = testApp.smtp.received.find((item) => item.messageId?.startsWith(`<${transferred.notices[0]}@`))!;
    expect(mail.raw.replace(/=\r?\n/g, '')).toContain('Transferred to another group');
  });

  it('tells them of a reinstatement (each one its own event) and of a closed order', async () => {
    const made = await violation(testApp, staff, group, { policyId: reference.duluthPolicy.id });
    await testApp.http
      .post(`/api/v1/referrals/${made.referral.id}/reinstate`)
      .set(bearer(staff.tokens.admin))
      .send({ reason: 'Make-up plan agreed with probation' })
      .expect(200);
    const reinstated = await eventsOf(made.referral.id, 'reinstated');
    expect(reinstated).toHaveLength(1);
    expect(reinstated[0].facts).toMatchObject({ reason: 'Make-up plan agreed with probation' });
    // A second non-compliance and a second reinstatement: a second event, not swallowed by the first.
    await testApp.dataSource.query(`UPDATE referrals SET status = 'non_compliant' WHERE id = $1`, [made.referral.id]);
    await testApp.http
      .post(`/api/v1/referrals/${made.referral.id}/reinstate`)
      .set(bearer(staff.tokens.admin))
      .send({ reason: 'The court said so' })
      .expect(200);
    expect(await eventsOf(made.referral.id, 'reinstated')).toHaveLength(2);
    await testApp.http
      .post(`/api/v1/referrals/${made.referral.id}/close`)
      .set(bearer(staff.tokens.admin))
      .send({ reason: 'Order withdrawn by the court' })
      .expect(200);
    const closed = await eventsOf(made.referral.id, 'closed');
    expect(closed).toHaveLength(1);
    expect(closed[0].recipients).toEqual(['court', 'probation_officer']);
    await deliveredOnce([...(await eventsOf(made.referral.id, 'reinstated')).flatMap((event) => event.notices), ...closed[0].notices]);
  });

  it('follows the policy’s noticeRecipients, and the referral page says who is told', async () => {
    await testApp.dataSource.query(
      `UPDATE policies SET notice_recipients = notice_recipients || '{"enrolled": ["court"], "reinstated": ["probation_officer"]}'::jsonb WHERE id = $1`,
      [reference.caPolicy.id],
    );
    const referral = await createReferral(testApp, staff, { policyId: reference.caPolicy.id, orderedOn: '2026-11-10' });
    await enroll(testApp, staff, referral.id, group.groupId, '2026-11-16');
    expect((await eventsOf(referral.id, 'enrolled'))[0].recipients).toEqual(['court']);
    const cookie = await pageSession(testApp, staff.users.admin.email);
    const page = await testApp.http.get(`/referrals/${referral.id}?enrolled=1`).set('Cookie', cookie).expect(200);
    expect(page.text).toContain('Enrolled. A confirmation goes to the court.');
    expect(page.text).toContain('reinstating — the probation officer;');
    expect(page.text).toContain('closing — the probation officer and the court;');
    const decided = await testApp.http.get(`/referrals/${referral.id}?decided=close`).set('Cookie', cookie).expect(200);
    expect(decided.text).toContain('Closed. The probation officer and the court are being told.');
  });
});
