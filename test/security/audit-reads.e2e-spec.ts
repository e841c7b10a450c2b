import { addDays } from '../../src/common/dates';
import { AuthService } from '../../src/modules/auth/auth.service';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, Reference, sessionsOf, startProgramApp, TODAY } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * SPEC: every read of a participant's record by a non-facilitator, and every change, is written
 * to the audit log — who, what, when, from where (address and request id). Each read below is
 * one request; its entry is found by that request's X-Request-Id.
 */
describe('audit trail of reads of a participant by non-facilitators', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let referralId: string;
  let caseNumber: string;
  let noticeId: string;
  let courtNoticeId: string;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 2,
    });
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -30) });
    referralId = referral.id;
    caseNumber = referral.caseNumber;
    const [session] = (await sessionsOf(testApp, staff, group.id, addDays(TODAY, -14), TODAY)).slice(-1);
    const { enrollment } = await enroll(testApp, staff, referral.id, group.id, session.date);
    await testApp.http
      .put(`/api/v1/sessions/${session.id}/attendance`)
      .set(bearer(staff.tokens.facilitator))
      .send({ marks: [{ enrollmentId: enrollment.id, status: 'removed', note: 'threats' }] })
      .expect(200);
    const notices = await waitFor(
      async () => {
        const rows = await testApp.dataSource.query<Array<{ id: string; recipient_kind: string }>>(
          `SELECT id, recipient_kind FROM notices WHERE referral_id = $1 AND letter_pdf IS NOT NULL`,
          [referralId],
        );
        return rows.length >= 2 ? rows : null;
      },
      { what: 'notices rendered' },
    );
    noticeId = notices.find((row) => row.recipient_kind === 'probation_officer')!.id;
    courtNoticeId = notices.find((row) => row.recipient_kind === 'court')!.id;
  });
  afterAll(() => testApp.close());

  const apiReads: Array<[Role, string]> = [
    [Role.Admin, '/api/v1/referrals/{referral}'],
    [Role.Admin, '/api/v1/referrals/{referral}/attendance'],
    [Role.Admin, '/api/v1/referrals/{referral}/progress-report'],
    [Role.Admin, '/api/v1/notices?referralId={referral}'],
    [Role.Admin, '/api/v1/notices/{notice}'],
    [Role.Admin, '/api/v1/notices/{notice}/letter.pdf'],
    [Role.Admin, '/api/v1/notices/{notice}/preview'],
    [Role.ProbationOfficer, '/api/v1/referrals/{referral}'],
    [Role.ProbationOfficer, '/api/v1/referrals/{referral}/attendance'],
    [Role.ProbationOfficer, '/api/v1/referrals/{referral}/progress-report'],
    [Role.ProbationOfficer, '/api/v1/compliance/caseload'],
    [Role.ProbationOfficer, '/api/v1/notices/{notice}'],
    [Role.ProbationOfficer, '/api/v1/notices/{notice}/letter.pdf'],
    [Role.CourtClerk, '/api/v1/referrals?caseNumber={case}'],
    [Role.CourtClerk, '/api/v1/referrals/{referral}'],
    [Role.CourtClerk, '/api/v1/notices/{courtNotice}'],
    [Role.CourtClerk, '/api/v1/notices/{courtNotice}/letter.pdf'],
  ];

  const resolve = (path: string) =>
    path
      .replace('{referral}', referralId)
      .replace('{notice}', noticeId)
      .replace('{courtNotice}', courtNoticeId)
      .replace('{case}', encodeURIComponent(caseNumber));

  async function entriesOf(requestId: string) {
    return testApp.dataSource.query<
      Array<{
        actor_user_id: string;
        actor_role: string;
        action: string;
        record_type: string;
        ip_address: string | null;
        occurred_at: Date;
      }>
    >(`SELECT actor_user_id, actor_role, action, record_type, ip_address, occurred_at FROM audit_entries WHERE request_id = $1`, [
      requestId,
    ]);
  }

  it.each(apiReads)('%s: GET %s leaves an entry naming who, what, when and from where', async (role, path) => {
    const response = await testApp.http.get(resolve(path)).set(bearer(staff.tokens[role])).expect(200);
    const entries = await entriesOf(response.headers['x-request-id']);
    expect(entries.length).toBeGreaterThanOrEqual(1);
    for (const entry of entries) {
      expect(entry).toMatchObject({ actor_user_id: staff.users[role].id, actor_role: role });
      expect(entry.action).toMatch(/\.(read|list|letter_read|preview|attendance_read|progress_report)$|_read$/);
      expect(entry.ip_address).toBeTruthy();
      expect(Date.now() - new Date(entry.occurred_at).getTime()).toBeLessThan(60_000);
    }
  });

  it.each([
    [Role.Admin, '/referrals/{referral}'],
    [Role.ProbationOfficer, '/referrals/{referral}'],
    [Role.ProbationOfficer, '/caseload'],
    [Role.CourtClerk, '/lookup/{referral}'],
  ] as Array<[Role, string]>)('%s: page %s leaves an entry too', async (role, path) => {
    const { token } = await testApp.app.get(AuthService).startSession(staff.users[role], 'page', 1800, { typ: 'page' });
    const response = await testApp.http.get(resolve(path)).set('Cookie', `tl_session=${token}`).expect(200);
    const entries = await entriesOf(response.headers['x-request-id']);
    expect(entries.length).toBeGreaterThanOrEqual(1);
    expect(entries.every((entry) => entry.actor_user_id === staff.users[role].id && entry.ip_address)).toBe(true);
  });

  it("the facilitator's roster read is not counted as a participant read (he sees first name and attendance only)", async () => {
    const [session] = (
      await sessionsOf(
        testApp,
        staff,
        (await testApp.dataSource.query(`SELECT group_id FROM enrollments WHERE referral_id = $1`, [referralId]))[0].group_id,
        addDays(TODAY, -14),
        TODAY,
      )
    ).slice(-1);
    const response = await testApp.http.get(`/api/v1/sessions/${session.id}/roster`).set(bearer(staff.tokens.facilitator)).expect(200);
    expect(JSON.stringify(response.body)).not.toContain(caseNumber);
  });
});
