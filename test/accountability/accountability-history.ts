import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, createAgency, createUser, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, Reference } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';

/**
 * A small history whose every figure is known, written by hand with exact instants (UTC; the
 * program's zone is America/Chicago, CDT = UTC−5 until 1 November 2026 07:00 UTC). The period
 * under test is October 2026. accountability.e2e-spec.ts states each figure it must give.
 *
 * Violations raised in October (all on Duluth 24: notices due in 2 business days, acknowledgement
 * 3, probation's answer 10, the court's 22):
 *   E1 (R1, court A, en)  Mon 5 Oct 15:00  PO sent +2 h, ack +24 h, warning +96 h; court sent +1 h, ack +72 h (an hour before its deadline), hearing set +240 h
 *   E2 (R2, court A, es)  Mon 12 Oct 15:00 PO sent +4 h, ack +48 h, but probation answered at +24 h: before acknowledging; court sent +0.5 h, never acknowledged, no answer
 *   E3 (R3, court B, en, another probation department) Tue 20 Oct 15:00  PO sent +24 h, court sent +72 h (after its due-by), nothing else
 *   E4 (R4, court B, en)  1 Nov 04:30 UTC = Sat 31 Oct 23:30 in Chicago: October's. PO sent +1 h; court sent +2 h, warrant +24 h
 *   F  (RF, court A, en)  failed to enroll, 13 Oct 12:00, told to nobody, answered by nobody
 * Not counted: EX (R2) no attendance on 13 Oct, withdrawn by a correction; RF2's failure to enroll,
 * withdrawn; E5 (R1) 1 Oct 04:30 UTC = Wed 30 Sep 23:30 in Chicago: September's (only in the
 * trend); a reinstatement of R1 on 20 Oct (a program decision, not a crossing).
 *
 * Orders: R1 ordered 20 Sep, enrolled 1 Oct (11 days); R2 25 Sep → 2 Oct (7); R3 1 Sep → 6 Oct (35);
 * RF (28 Sep, enroll-by 12 Oct) never enrolled, failure stands; RF2 (29 Sep, enroll-by 13 Oct)
 * failure withdrawn; T terminated 28 Oct after attending 2 held sessions (and one that was then
 * cancelled, which counts for nobody); C completed 30 Oct; C2 completed 1 Nov 04:00 UTC (31 Oct
 * 23:00 in Chicago); X closed in October (neither completed nor terminated).
 */
export interface History {
  courtB: string;
  otherProbation: string;
  groupId: string;
  groupName: string;
  policyId: string;
  referrals: Record<'R1' | 'R2' | 'R3' | 'R4' | 'RF' | 'RF2' | 'T' | 'C' | 'C2' | 'X', { id: string; caseNumber: string }>;
  events: Record<'E1' | 'E2' | 'E3' | 'E4' | 'F' | 'EX' | 'E5', string>;
  /** The name of R1's man, to look for in exports. */
  participantName: string;
  attendanceNote: string;
  responseDetails: string;
}

export async function buildHistory(testApp: TestApp, staff: Staff, reference: Reference): Promise<History> {
  const db = testApp.dataSource;
  const courtB = (await createAgency(db, AgencyKind.Court, 'Second District Court')).id;
  const otherProbation = (await createAgency(db, AgencyKind.Probation, 'North County Probation')).id;
  const otherOfficer = (await createUser(db, Role.ProbationOfficer, otherProbation)).id;
  // A name a spreadsheet would run as a formula: the export must neutralise it.
  const groupName = '=SUM(1+1) Tuesday group';
  const groupId = (
    await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      name: groupName,
      startsOn: '2026-11-03',
    })
  ).id;
  const policyId = reference.duluthPolicy.id;

  const referral = async (
    orderedOn: string,
    options: { courtAgencyId?: string; probationOfficerId?: string; firstName?: string; lastName?: string } = {},
  ) => {
    const made = await createReferral(testApp, staff, { policyId, orderedOn, ...options });
    return { id: made.id, caseNumber: made.caseNumber };
  };
  const participantName = 'Zebulon Quartermaine';
  const referrals: History['referrals'] = {
    R1: await referral('2026-09-20', { firstName: 'Zebulon', lastName: 'Quartermaine' }),
    R2: await referral('2026-09-25'),
    R3: await referral('2026-09-01', { courtAgencyId: courtB, probationOfficerId: otherOfficer }),
    R4: await referral('2026-08-01', { courtAgencyId: courtB }),
    RF: await referral('2026-09-28'),
    RF2: await referral('2026-09-29'),
    T: await referral('2026-08-01'),
    C: await referral('2026-03-01'),
    C2: await referral('2026-03-02'),
    X: await referral('2026-09-15'),
  };
  await db.query(`UPDATE participants SET language = 'es' WHERE id = (SELECT participant_id FROM referrals WHERE id = $1)`, [
    referrals.R2.id,
  ]);

  const enrollment = (referralId: string, startDate: string) =>
    db
      .query(`INSERT INTO enrollments (referral_id, group_id, start_date) VALUES ($1, $2, $3) RETURNING id`, [
        referralId,
        groupId,
        startDate,
      ])
      .then((rows: Array<{ id: string }>) => rows[0].id);
  await enrollment(referrals.R1.id, '2026-10-01');
  await enrollment(referrals.R2.id, '2026-10-02');
  await enrollment(referrals.R3.id, '2026-10-06');
  await enrollment(referrals.R4.id, '2026-08-05');
  const tEnrollment = await enrollment(referrals.T.id, '2026-08-10');
  await enrollment(referrals.C.id, '2026-03-10');
  await enrollment(referrals.C2.id, '2026-03-10');

  // T's sessions: two held and attended, one attended and then cancelled, one held and missed.
  const attendanceNote = 'NOTE-7Q2 said he would call his lawyer';
  const sessions: Array<{ id: string }> = await db.query(
    `INSERT INTO sessions (group_id, date, start_time, kind, status)
     VALUES ($1, '2026-09-01', '18:30', 'one_off', 'held'), ($1, '2026-09-08', '18:30', 'one_off', 'held'),
            ($1, '2026-09-15', '18:30', 'one_off', 'cancelled'), ($1, '2026-09-22', '18:30', 'one_off', 'held')
     RETURNING id`,
    [groupId],
  );
  const marks = ['present', 'late', 'present', 'absent_unexcused'];
  for (const [i, session] of sessions.entries()) {
    await db.query(
      `INSERT INTO attendance_marks (session_id, enrollment_id, referral_id, status, note, marked_by_id) VALUES ($1, $2, $3, $4, $5, $6)`,
      [session.id, tEnrollment, referrals.T.id, marks[i], i === 0 ? attendanceNote : null, staff.users.facilitator.id],
    );
  }
  const setStatus = (id: string, status: string, at: string) =>
    db.query(`UPDATE referrals SET status = $2, status_changed_at = $3 WHERE id = $1`, [id, status, at]);
  await setStatus(referrals.T.id, 'terminated', '2026-10-28T20:00:00Z');
  await setStatus(referrals.C.id, 'completed', '2026-10-30T15:00:00Z');
  await setStatus(referrals.C2.id, 'completed', '2026-11-01T04:00:00Z');
  await setStatus(referrals.X.id, 'closed', '2026-10-10T15:00:00Z');
  await setStatus(referrals.RF.id, 'failed_to_enroll', '2026-10-13T12:00:00Z');

  let keys = 0;
  const event = async (referralId: string, kind: string, createdAt: string, correctsEventId: string | null = null) => {
    keys += 1;
    const [row] = await db.query<Array<{ id: string }>>(
      `INSERT INTO compliance_events (referral_id, kind, threshold_key, occurred_on, facts, corrects_event_id, created_at)
       VALUES ($1, $2, $3, ($4::timestamptz AT TIME ZONE 'America/Chicago')::date, '{}', $5, $4) RETURNING id`,
      [referralId, kind, `hand:${keys}`, createdAt, correctsEventId],
    );
    return row.id;
  };
  const plus = (at: string, hours: number) => new Date(new Date(at).getTime() + hours * 3_600_000).toISOString();
  const notice = async (
    eventId: string,
    referralId: string,
    recipient: 'probation_officer' | 'court',
    crossedAt: string,
    timing: { sent: number; ack?: number; dueBy: string },
  ) => {
    const officer = recipient === 'probation_officer';
    await db.query(
      `INSERT INTO notices (event_id, referral_id, purpose, recipient_kind, recipient_email, recipient_user_id, recipient_agency_id, status, due_by, sent_at, acknowledged_at, created_at)
       VALUES ($1, $2, 'event', $3, 'someone@example.org', $4, (SELECT court_agency_id FROM referrals WHERE id = $2), $5, $6, $7, $8, $9)`,
      [
        eventId,
        referralId,
        recipient,
        officer ? staff.users.probation_officer.id : null,
        timing.ack === undefined ? 'sent' : 'acknowledged',
        timing.dueBy,
        plus(crossedAt, timing.sent),
        timing.ack === undefined ? null : plus(crossedAt, timing.ack),
        crossedAt,
      ],
    );
  };
  const responseDetails = 'DETAILS-4KX told him at the office about his partner';
  const respond = (eventId: string, referralId: string, kind: string, at: string, details: string | null = null) =>
    db.query(
      `INSERT INTO event_responses (event_id, referral_id, agency, kind, occurs_on, details, recorded_by_id, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        eventId,
        referralId,
        ['hearing_set', 'hearing_held', 'warrant_issued'].includes(kind) ? 'court' : 'probation',
        kind,
        kind === 'hearing_set' ? '2026-11-20' : null,
        details,
        kind === 'warning_given' ? staff.users.probation_officer.id : staff.users.court_clerk.id,
        at,
      ],
    );

  const e1At = '2026-10-05T15:00:00Z';
  const E1 = await event(referrals.R1.id, 'absence_limit_exceeded', e1At);
  await notice(E1, referrals.R1.id, 'probation_officer', e1At, { sent: 2, ack: 24, dueBy: '2026-10-07T15:00:00Z' });
  await notice(E1, referrals.R1.id, 'court', e1At, { sent: 1, ack: 72, dueBy: '2026-10-07T15:00:00Z' });
  await respond(E1, referrals.R1.id, 'warning_given', plus(e1At, 96), responseDetails);
  await respond(E1, referrals.R1.id, 'hearing_set', plus(e1At, 240));

  const e2At = '2026-10-12T15:00:00Z';
  const E2 = await event(referrals.R2.id, 'consecutive_absences', e2At);
  await notice(E2, referrals.R2.id, 'probation_officer', e2At, { sent: 4, ack: 48, dueBy: '2026-10-14T15:00:00Z' });
  await notice(E2, referrals.R2.id, 'court', e2At, { sent: 0.5, dueBy: '2026-10-14T15:00:00Z' });
  await respond(E2, referrals.R2.id, 'warning_given', plus(e2At, 24));

  const exAt = '2026-10-13T15:00:00Z';
  const EX = await event(referrals.R2.id, 'no_attendance', exAt);
  await notice(EX, referrals.R2.id, 'probation_officer', exAt, { sent: 1, dueBy: '2026-10-15T15:00:00Z' });
  await event(referrals.R2.id, 'corrected', '2026-10-14T15:00:00Z', EX);

  const e3At = '2026-10-20T15:00:00Z';
  const E3 = await event(referrals.R3.id, 'no_attendance', e3At);
  await notice(E3, referrals.R3.id, 'probation_officer', e3At, { sent: 24, dueBy: '2026-10-22T15:00:00Z' });
  await notice(E3, referrals.R3.id, 'court', e3At, { sent: 72, dueBy: '2026-10-22T15:00:00Z' });

  const e4At = '2026-11-01T04:30:00Z';
  const E4 = await event(referrals.R4.id, 'removed_for_behaviour', e4At);
  await notice(E4, referrals.R4.id, 'probation_officer', e4At, { sent: 1, dueBy: '2026-11-03T04:30:00Z' });
  await notice(E4, referrals.R4.id, 'court', e4At, { sent: 2, dueBy: '2026-11-03T04:30:00Z' });
  await respond(E4, referrals.R4.id, 'warrant_issued', plus(e4At, 24));

  const F = await event(referrals.RF.id, 'failed_to_enroll', '2026-10-13T12:00:00Z');
  const f2 = await event(referrals.RF2.id, 'failed_to_enroll', '2026-10-14T12:00:00Z');
  await event(referrals.RF2.id, 'corrected', '2026-10-15T12:00:00Z', f2);

  const e5At = '2026-10-01T04:30:00Z';
  const E5 = await event(referrals.R1.id, 'absence_limit_exceeded', e5At);
  await notice(E5, referrals.R1.id, 'probation_officer', e5At, { sent: 1, dueBy: '2026-10-02T04:30:00Z' });

  const reinstatedAt = '2026-10-20T16:00:00Z';
  const reinstated = await event(referrals.R1.id, 'reinstated', reinstatedAt);
  await notice(reinstated, referrals.R1.id, 'court', reinstatedAt, { sent: 1, dueBy: '2026-10-22T16:00:00Z' });

  // The advocate's record of the partner of R1's man: never in any figure or file.
  await testApp.http
    .post(`/api/v1/referrals/${referrals.R1.id}/protected-parties`)
    .set(bearer(staff.tokens.advocate))
    .send({
      name: 'Jane VICTIM-9ZP',
      relationship: 'former partner',
      phone: '218 555 0100',
      safetyNotes: 'VICTIM-9ZP mornings only',
      preferredChannel: 'phone',
      notificationWish: 'wants',
    })
    .expect(201);

  return {
    courtB,
    otherProbation,
    groupId,
    groupName,
    policyId,
    referrals,
    events: { E1, E2, E3, E4, F, EX, E5 },
    participantName,
    attendanceNote,
    responseDetails,
  };
}
