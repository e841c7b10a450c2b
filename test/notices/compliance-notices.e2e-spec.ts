import { ComplianceSweepService } from '../../src/modules/compliance/compliance-sweep.service';
import { addDays, usDate } from '../../src/common/dates';
import { bearer, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, sessionsOf, TODAY, Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

describe('compliance events and their notices', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;

  beforeAll(
    async () => ({ testApp, staff, reference } = await startProgramApp({ env: { ADMIN_NOTICE_EMAIL: 'coordinator@program.test' } })),
  );
  afterAll(() => testApp.close());

  const admin = () => bearer(staff.tokens.admin);

  async function enrolledMan(orderedOn = addDays(TODAY, -50)) {
    const group = await createGroup(testApp, staff, { curriculumId: reference.duluth.id, facilitatorIds: [staff.users.facilitator.id] });
    const sessions = (await sessionsOf(testApp, staff, group.id, addDays(TODAY, -60), TODAY)).filter((s) => s.date <= TODAY);
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn });
    const { enrollment } = await enroll(testApp, staff, referral.id, group.id, sessions[0].date);
    const mark = (index: number, status: string) =>
      testApp.http
        .put(`/api/v1/sessions/${sessions[index].id}/attendance`)
        .set(admin())
        .send({ marks: [{ enrollmentId: enrollment.id, status }] })
        .expect(200);
    return { referral, sessions, enrollment, mark };
  }

  // The enrollment confirmations and other program decisions have their own suite (test/recipients/program-decisions).
  const PROGRAM_DECISIONS = `('reinstated', 'closed', 'enrolled', 'transferred')`;
  const noticesOf = async (referralId: string) =>
    await testApp.dataSource.query<
      Array<{
        id: string;
        status: string;
        recipient_kind: string;
        recipient_email: string;
        purpose: string;
        kind: string;
        threshold_key: string;
        occurred_on: string;
      }>
    >(
      `SELECT n.id, n.status, n.recipient_kind, n.recipient_email, n.purpose, e.kind, e.threshold_key, e.occurred_on::text AS occurred_on FROM notices n JOIN compliance_events e ON e.id = n.event_id WHERE n.referral_id = $1 AND e.kind NOT IN ${PROGRAM_DECISIONS} ORDER BY n.created_at, n.recipient_kind::text`,
      [referralId],
    );

  it('raises one event when the third unexcused absence crosses the Duluth limit, and delivers a notice to the officer and to the court', async () => {
    const { referral, mark, sessions } = await enrolledMan();
    await mark(0, 'present');
    await mark(1, 'absent_unexcused');
    await mark(2, 'present');
    await mark(3, 'absent_unexcused');
    expect(await noticesOf(referral.id)).toEqual([]);
    await mark(4, 'absent_unexcused');

    const fetched = await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(admin()).expect(200);
    expect(fetched.body.status).toBe('non_compliant');
    const notices = await noticesOf(referral.id);
    expect(notices.map((n) => [n.kind, n.threshold_key, n.recipient_kind])).toEqual([
      ['absence_limit_exceeded', 'unexcused:3', 'court'],
      ['absence_limit_exceeded', 'unexcused:3', 'probation_officer'],
    ]);
    expect(notices.map((n) => n.recipient_email).sort()).toEqual([staff.court.noticeEmail, staff.users.probation_officer.email].sort());

    await waitFor(async () => (await noticesOf(referral.id)).every((n) => n.status === 'sent'), { what: 'both notices sent' });
    const mails = testApp.smtp.received.filter((mail) => notices.some((n) => mail.messageId === `<${n.id}@throughline.local>`));
    expect(mails).toHaveLength(2);
    const toOfficer = mails.find((mail) => mail.to.includes(staff.users.probation_officer.email))!;
    expect(toOfficer.raw).toContain(fetched.body.caseNumber);
    expect(toOfficer.raw).toMatch(/Content-Type: application\/pdf/);
    // Named as the unexcused limit (not the total-absence one), the same words as on the pages.
    expect(toOfficer.raw).toMatch(/Subject: =\?UTF-8\?Q\?Unexcused_absence_limit_exceeded/);
    // Typed in weeks after the session, the letter is dated by the absence that crossed the limit, in the US way.
    expect(sessions[4].date < TODAY).toBe(true);
    const text = toOfficer.raw.replace(/=\r?\n/g, ''); // quoted-printable soft line breaks
    expect(text).toContain(`Date: ${usDate(sessions[4].date)}`);
    expect(text).not.toContain(`Date: ${usDate(TODAY)}`);
    expect(text).toContain('Referral status: Non-compliant');
    // Each sent notice is audited once, by the worker, with the server's answer kept on the notice.
    const audited: Array<{ record_id: string; actor_user_id: string | null; n: number }> = await testApp.dataSource.query(
      `SELECT record_id, actor_user_id, count(*)::int AS n FROM audit_entries
        WHERE action = 'notice.sent' AND record_type = 'notice' AND record_id = ANY($1::text[]) GROUP BY 1, 2`,
      [notices.map((n) => n.id)],
    );
    expect(audited.map((row) => ({ ...row })).sort((a, b) => a.record_id.localeCompare(b.record_id))).toEqual(
      notices.map((n) => ({ record_id: n.id, actor_user_id: null, n: 1 })).sort((a, b) => a.record_id.localeCompare(b.record_id)),
    );
    const answers: Array<{ last_response: string; message_id: string }> = await testApp.dataSource.query(
      `SELECT last_response, message_id FROM notices WHERE id = ANY($1::uuid[])`,
      [notices.map((n) => n.id)],
    );
    for (const answer of answers)
      expect(answer).toEqual({ last_response: expect.stringMatching(/^250/), message_id: expect.stringMatching(/@throughline\.local>$/) });
  });

  it('does not raise the same crossing twice when the roster is saved again', async () => {
    const { referral, mark } = await enrolledMan();
    for (const index of [0, 1, 2]) await mark(index, 'absent_excused');
    await mark(3, 'absent_excused');
    const first = await noticesOf(referral.id);
    await mark(3, 'absent_excused');
    await mark(3, 'absent_unexcused');
    await mark(3, 'absent_excused');
    const kinds = (await noticesOf(referral.id)).filter((n) => n.kind === 'absence_limit_exceeded').map((n) => n.threshold_key);
    expect(kinds).toEqual(['absences:4', 'absences:4']);
    expect(first.length).toBeGreaterThan(0);
  });

  it('records and sends a correction when a corrected mark undoes a crossing, and restores the status', async () => {
    const { referral, mark } = await enrolledMan();
    await mark(0, 'present');
    await mark(1, 'absent_unexcused');
    await mark(2, 'absent_unexcused');
    await mark(3, 'absent_unexcused');
    expect((await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(admin())).body.status).toBe('non_compliant');

    await mark(2, 'absent_excused'); // the court letter came in: excused after all
    await mark(3, 'present'); // and the facilitator had marked the wrong man
    const events = await testApp.dataSource.query(
      `SELECT kind, threshold_key FROM compliance_events WHERE referral_id = $1 AND kind NOT IN ${PROGRAM_DECISIONS} ORDER BY created_at`,
      [referral.id],
    );
    expect(
      events
        .filter((e: { kind: string }) => e.kind !== 'corrected')
        .map((e: { threshold_key: string }) => e.threshold_key)
        .sort(),
    ).toEqual(
      ['streak:2026-10-20', 'unexcused:3']
        .map((key) =>
          key.replace(
            '2026-10-20',
            events.find((e: { threshold_key: string }) => e.threshold_key.startsWith('streak:')).threshold_key.slice(7),
          ),
        )
        .sort(),
    );
    expect(events.filter((e: { kind: string }) => e.kind === 'corrected')).toHaveLength(2);
    expect((await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(admin())).body.status).toBe('active');
    const corrections = (await noticesOf(referral.id)).filter((n) => n.kind === 'corrected');
    expect(corrections).toHaveLength(4);
    await waitFor(async () => (await noticesOf(referral.id)).every((n) => n.status === 'sent'), { what: 'corrections sent' });
  });

  it('lets the program reinstate a non-compliant man, who stays active until he crosses a new limit', async () => {
    const { referral, mark } = await enrolledMan();
    for (const index of [0, 1, 2]) await mark(index, 'absent_unexcused');
    expect((await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(admin())).body.status).toBe('non_compliant');
    await testApp.http
      .post(`/api/v1/referrals/${referral.id}/reinstate`)
      .set(bearer(staff.tokens.probation_officer))
      .send({ reason: 'x' })
      .expect(403);
    const reinstated = await testApp.http
      .post(`/api/v1/referrals/${referral.id}/reinstate`)
      .set(admin())
      .send({ reason: 'Make-up plan agreed with probation' })
      .expect(200);
    expect(reinstated.body).toMatchObject({ status: 'active', statusReason: 'reinstated: Make-up plan agreed with probation' });
    await mark(3, 'present');
    expect((await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(admin())).body.status).toBe('active');
    await mark(4, 'absent_excused'); // the fourth absence: a new crossing
    expect((await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(admin())).body.status).toBe('non_compliant');
    const again = await testApp.http
      .post(`/api/v1/referrals/${referral.id}/reinstate`)
      .set(admin())
      .send({ reason: 'Second chance' })
      .expect(200);
    expect(again.body.status).toBe('active');
    const illegal = await testApp.http
      .post(`/api/v1/referrals/${referral.id}/reinstate`)
      .set(admin())
      .send({ reason: 'Twice' })
      .expect(422);
    expect(illegal.body.code).toBe('ILLEGAL_TRANSITION');
  });

  it('sends a completion notice with the certificate', async () => {
    const longGroup = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      startsOn: addDays(TODAY, -200),
      capacity: 30,
    });
    const longSessions = (await sessionsOf(testApp, staff, longGroup.id, addDays(TODAY, -200), TODAY)).filter((s) => s.date <= TODAY);
    expect(longSessions.length).toBeGreaterThanOrEqual(24);
    const other = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -201) });
    const { enrollment: longEnrollment } = await enroll(testApp, staff, other.id, longGroup.id, longSessions[0].date);
    for (const session of longSessions.slice(0, 24)) {
      await testApp.http
        .put(`/api/v1/sessions/${session.id}/attendance`)
        .set(admin())
        .send({ marks: [{ enrollmentId: longEnrollment.id, status: 'present' }] })
        .expect(200);
    }
    await testApp.http.post(`/api/v1/referrals/${other.id}/complete`).set(admin()).expect(200);
    const notices = await noticesOf(other.id);
    expect(notices.map((n) => [n.kind, n.recipient_kind])).toEqual([
      ['completed', 'court'],
      ['completed', 'probation_officer'],
    ]);
    await waitFor(async () => (await noticesOf(other.id)).every((n) => n.status === 'sent'), { what: 'completion sent' });
    const mail = testApp.smtp.received.find((m) => m.messageId === `<${notices[0].id}@throughline.local>`)!;
    expect(mail.raw).toContain(`filename=${other.caseNumber}-letter-program-completed-and-certificate-${notices[0].occurred_on}.pdf`);
  });

  describe('the daily sweep', () => {
    it('marks a man who never enrolled as failed to enroll, once, however often it runs, and he is active again when he enrolls', async () => {
      const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -20) });
      const sweep = testApp.app.get(ComplianceSweepService);
      await Promise.all([sweep.run(TODAY), sweep.run(TODAY)]);
      await sweep.run(TODAY);
      expect((await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(admin())).body.status).toBe('failed_to_enroll');
      const notices = (await noticesOf(referral.id)).filter((n) => n.kind === 'failed_to_enroll');
      expect(notices).toHaveLength(2);

      const group = await createGroup(testApp, staff, { curriculumId: reference.duluth.id, facilitatorIds: [staff.users.facilitator.id] });
      await enroll(testApp, staff, referral.id, group.id, TODAY);
      expect((await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(admin())).body.status).toBe('active');
    });

    it('raises no attendance for a man who stopped coming while his group met, and progress reports on the policy’s cadence', async () => {
      const { referral, sessions, mark } = await enrolledMan(addDays(TODAY, -45));
      await mark(0, 'present');
      // The group meets on without him: another man is marked at the next sessions.
      const groupId = (await testApp.dataSource.query(`SELECT group_id FROM enrollments WHERE referral_id = $1`, [referral.id]))[0]
        .group_id;
      const other = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -45) });
      const { enrollment } = await enroll(testApp, staff, other.id, groupId, sessions[0].date);
      for (const session of sessions.slice(1, 4)) {
        await testApp.http
          .put(`/api/v1/sessions/${session.id}/attendance`)
          .set(admin())
          .send({ marks: [{ enrollmentId: enrollment.id, status: 'present' }] })
          .expect(200);
      }
      await testApp.app.get(ComplianceSweepService).run(TODAY);
      const kinds = (await noticesOf(referral.id)).map((n) => `${n.kind}|${n.threshold_key}`);
      expect(kinds).toContain(`no_attendance|since:${sessions[0].date}`);
      expect(kinds).toContain('progress_report_due|period:1');
      expect(kinds.filter((kind) => kind.startsWith('no_attendance'))).toHaveLength(2);

      // The progress report itself travels with its notice.
      const reports = await waitFor(
        async () => {
          const rows = (await noticesOf(referral.id)).filter((n) => n.kind === 'progress_report_due');
          return rows.length === 2 && rows.every((n) => n.status === 'sent') ? rows : null;
        },
        { what: 'progress reports sent' },
      );
      for (const notice of reports) {
        const mail = testApp.smtp.received.find((m) => m.messageId === `<${notice.id}@throughline.local>`)!;
        // Named by case number, kind and date, not "notice.pdf" on every one.
        const names = [...mail.raw.matchAll(/filename="?([^";\r\n]+)"?/g)].map((match) => match[1]);
        expect(names).toEqual([
          `${referral.caseNumber}-letter-progress-report-${notice.occurred_on}.pdf`,
          `${referral.caseNumber}-progress-report-${notice.occurred_on}.pdf`,
        ]);
      }
    });

    it('does not count weeks his group cancelled against him', async () => {
      const { referral, sessions, mark } = await enrolledMan(addDays(TODAY, -45));
      await mark(0, 'present');
      for (const session of sessions.slice(1)) {
        await testApp.http
          .post(`/api/v1/sessions/${session.id}/cancel`)
          .set(admin())
          .send({ reason: 'Building closed for repairs' })
          .expect(200);
      }
      await testApp.app.get(ComplianceSweepService).run(TODAY);
      const kinds = (await noticesOf(referral.id)).map((n) => n.kind);
      expect(kinds).not.toContain('no_attendance');
      expect((await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(admin())).body.status).toBe('active');
    });

    it('escalates a notice nobody acknowledged to the recipient and the program administrator', async () => {
      const { referral, mark } = await enrolledMan();
      for (const index of [0, 1, 2]) await mark(index, 'absent_unexcused');
      await waitFor(async () => (await noticesOf(referral.id)).every((n) => n.status === 'sent'), { what: 'sent' });
      await testApp.dataSource.query(`UPDATE notices SET sent_at = now() - interval '10 days' WHERE referral_id = $1`, [referral.id]);
      const sweep = testApp.app.get(ComplianceSweepService);
      await sweep.escalate();
      await sweep.escalate();
      const reminders = (await noticesOf(referral.id)).filter((n) => n.purpose === 'reminder');
      expect(reminders.map((n) => n.recipient_kind).sort()).toEqual(
        ['court', 'court', 'probation_officer', 'probation_officer', 'program_admin', 'program_admin'].slice(0, reminders.length).sort(),
      );
      expect(reminders.some((n) => n.recipient_email === 'coordinator@program.test')).toBe(true);
      const again = (await noticesOf(referral.id)).filter((n) => n.purpose === 'reminder');
      expect(again).toHaveLength(reminders.length);
    });
  });

  describe('notices API', () => {
    it('lets the officer list and acknowledge his notices, and the clerk only the court’s', async () => {
      const { referral, mark } = await enrolledMan();
      for (const index of [0, 1, 2]) await mark(index, 'absent_unexcused');
      const notices = await waitFor(async () => {
        const rows = await noticesOf(referral.id);
        return rows.length > 0 && rows.every((n) => n.status === 'sent') ? rows : null;
      });
      const officerList = await testApp.http
        .get(`/api/v1/notices?referralId=${referral.id}`)
        .set(bearer(staff.tokens.probation_officer))
        .expect(200);
      // Besides these, his enrollment confirmation to each recipient.
      expect(officerList.body.total).toBe(notices.length + 2);
      const clerkList = await testApp.http
        .get(`/api/v1/notices?referralId=${referral.id}`)
        .set(bearer(staff.tokens.court_clerk))
        .expect(200);
      expect(clerkList.body.items.every((n: { recipientKind: string }) => n.recipientKind === 'court')).toBe(true);

      const toOfficer = notices.find((n) => n.recipient_kind === 'probation_officer')!;
      const toCourt = notices.find((n) => n.recipient_kind === 'court')!;
      await testApp.http.post(`/api/v1/notices/${toCourt.id}/acknowledge`).set(bearer(staff.tokens.probation_officer)).expect(404);
      await testApp.http.post(`/api/v1/notices/${toOfficer.id}/acknowledge`).set(bearer(staff.tokens.court_clerk)).expect(404);
      await testApp.http.post(`/api/v1/notices/${toOfficer.id}/acknowledge`).set(admin()).expect(403);
      const acknowledged = await testApp.http
        .post(`/api/v1/notices/${toOfficer.id}/acknowledge`)
        .set(bearer(staff.tokens.probation_officer))
        .expect(200);
      expect(acknowledged.body).toMatchObject({ status: 'acknowledged' });
      await testApp.http.post(`/api/v1/notices/${toOfficer.id}/acknowledge`).set(bearer(staff.tokens.probation_officer)).expect(200);
      await testApp.http.post(`/api/v1/notices/${toCourt.id}/acknowledge`).set(bearer(staff.tokens.court_clerk)).expect(200);
      const preview = await testApp.http.get(`/api/v1/notices/${toCourt.id}/preview`).set(bearer(staff.tokens.court_clerk)).expect(200);
      expect(preview.headers['content-type']).toMatch(/text\/html/);
      expect(preview.headers['content-security-policy']).toContain("default-src 'none'");
      expect(preview.text).toContain('Acknowledge in Throughline');
      await testApp.http.get(`/api/v1/notices/${toOfficer.id}/preview`).set(bearer(staff.tokens.court_clerk)).expect(404);
      const letter = await testApp.http.get(`/api/v1/notices/${toCourt.id}/letter.pdf`).set(bearer(staff.tokens.court_clerk)).expect(200);
      expect(letter.headers['content-type']).toBe('application/pdf');
      expect(letter.body.subarray(0, 5).toString()).toBe('%PDF-');
      await testApp.http.get('/api/v1/notices?status=lost').set(admin()).expect(400);
      await testApp.http.get('/api/v1/notices').set(bearer(staff.tokens.facilitator)).expect(403);
    });

    it('shows a probation officer his caseload worst first', async () => {
      const response = await testApp.http.get('/api/v1/compliance/caseload').set(bearer(staff.tokens.probation_officer)).expect(200);
      const standings = response.body.items.map((item: { standing: string }) => item.standing);
      const order = ['non_compliant', 'at_risk', 'failed_to_enroll', 'referred', 'active', 'completed', 'terminated', 'closed'];
      expect(standings).toEqual([...standings].sort((a: string, b: string) => order.indexOf(a) - order.indexOf(b)));
      expect(response.body.counts.non_compliant).toBeGreaterThan(0);
      const [audit] = await testApp.dataSource.query(
        `SELECT actor_user_id, details FROM audit_entries WHERE action = 'caseload.read' ORDER BY id DESC LIMIT 1`,
      );
      expect(audit.actor_user_id).toBe(staff.users.probation_officer.id);
      expect(audit.details.referralIds).toHaveLength(response.body.items.length);
      await testApp.http.get('/api/v1/compliance/caseload').set(bearer(staff.tokens.court_clerk)).expect(403);
      const page = await testApp.http
        .get('/api/v1/compliance/caseload?limit=1&offset=1')
        .set(bearer(staff.tokens.probation_officer))
        .expect(200);
      expect(page.body.items).toHaveLength(1);
      expect(page.body.items[0].referralId).toBe(response.body.items[1].referralId);
      expect(page.body.total).toBe(response.body.items.length);
    });

    it('serves a progress report as a PDF to the officer, and 404 to another officer', async () => {
      const { referral, mark } = await enrolledMan();
      await mark(0, 'present');
      const response = await testApp.http
        .get(`/api/v1/referrals/${referral.id}/progress-report`)
        .set(bearer(staff.tokens.probation_officer))
        .expect(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.body.subarray(0, 5).toString()).toBe('%PDF-');
    });
  });
});
