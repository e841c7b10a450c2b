import { Client } from 'pg';
import { addDays } from '../../src/common/dates';
import { bearer, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, otherFacilitator, sessionsOf, TODAY, Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';

describe('enrollment, roster and attendance', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;

  // API only: a worker's relay timer and jobs would add their own queries to the counts below.
  beforeAll(async () => ({ testApp, staff, reference } = await startProgramApp({ env: { APP_ROLE: 'api' } })));
  afterAll(() => testApp.close());

  const admin = () => bearer(staff.tokens.admin);
  const facilitator = () => bearer(staff.tokens.facilitator);

  async function groupWithPastSessions(capacity = 12) {
    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      capacity,
    });
    const sessions = await sessionsOf(testApp, staff, group.id, addDays(TODAY, -60), addDays(TODAY, 60));
    return { group, sessions, past: sessions.filter((s) => s.date <= TODAY), future: sessions.filter((s) => s.date > TODAY) };
  }

  async function auditCount(action: string): Promise<number> {
    const [{ count }] = await testApp.dataSource.query(`SELECT count(*)::int AS count FROM audit_entries WHERE action = $1`, [action]);
    return count;
  }

  it('enrolls a referred man, making him active, and shows him on the next roster', async () => {
    const { group, past } = await groupWithPastSessions();
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -50) });
    const { enrollment } = await enroll(testApp, staff, referral.id, group.id, past[0].date);

    const fetched = await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(admin()).expect(200);
    expect(fetched.body.status).toBe('active');

    const roster = await testApp.http.get(`/api/v1/sessions/${past[0].id}/roster`).set(facilitator()).expect(200);
    expect(roster.body.entries.map((entry: { enrollmentId: string }) => entry.enrollmentId)).toEqual([enrollment.id]);
    expect(roster.body.entries[0].mark).toBeNull();
  });

  it('refuses a full group with 409 and the counts', async () => {
    const { group, past } = await groupWithPastSessions(1);
    const first = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id });
    const second = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id });
    await enroll(testApp, staff, first.id, group.id, past[past.length - 1].date);
    const response = await testApp.http
      .post('/api/v1/enrollments')
      .set(admin())
      .send({ referralId: second.id, groupId: group.id, startDate: TODAY })
      .expect(409);
    expect(response.body).toMatchObject({ code: 'GROUP_FULL', details: { capacity: 1, enrolled: 1 } });
  });

  it('refuses to enroll a referral that is no longer open (422) and an unknown group (404)', async () => {
    const { group } = await groupWithPastSessions();
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id });
    await testApp.http
      .post(`/api/v1/referrals/${referral.id}/close`)
      .set(admin())
      .send({ reason: 'Order withdrawn by the court' })
      .expect(200);
    const closed = await testApp.http
      .post('/api/v1/enrollments')
      .set(admin())
      .send({ referralId: referral.id, groupId: group.id, startDate: TODAY })
      .expect(422);
    expect(closed.body.code).toBe('REFERRAL_NOT_OPEN');
    const open = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id });
    await testApp.http
      .post('/api/v1/enrollments')
      .set(admin())
      .send({ referralId: open.id, groupId: '00000000-0000-4000-8000-000000000000', startDate: TODAY })
      .expect(404);
    const bad = await testApp.http
      .post('/api/v1/enrollments')
      .set(admin())
      .send({ referralId: 'x', groupId: group.id, startDate: '2026-02-30' })
      .expect(400);
    expect(bad.body.fields).toEqual({
      referralId: ['referralId must be a UUID'],
      startDate: ['startDate must be a date written YYYY-MM-DD'],
    });
  });

  it('transfers a man to another group, ending the first enrollment and keeping the history', async () => {
    const { group: first, past: firstPast } = await groupWithPastSessions();
    const { group: second } = await groupWithPastSessions();
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -50) });
    const { enrollment: original } = await enroll(testApp, staff, referral.id, first.id, firstPast[0].date);
    await testApp.http
      .put(`/api/v1/sessions/${firstPast[0].id}/attendance`)
      .set(facilitator())
      .send({ marks: [{ enrollmentId: original.id, status: 'present' }] })
      .expect(200);

    const transfer = await testApp.http
      .post('/api/v1/enrollments')
      .set(admin())
      .send({ referralId: referral.id, groupId: second.id, startDate: TODAY })
      .expect(201);
    expect(transfer.body.transferredFrom).toMatchObject({ id: original.id, endDate: addDays(TODAY, -1) });

    const history = await testApp.http.get(`/api/v1/referrals/${referral.id}/attendance`).set(admin()).expect(200);
    expect(history.body.enrollments.map((e: { groupId: string; endDate: string | null }) => [e.groupId, e.endDate])).toEqual([
      [first.id, addDays(TODAY, -1)],
      [second.id, null],
    ]);
    expect(history.body.attendance).toHaveLength(1);
    expect(history.body.attendance[0]).toMatchObject({ groupId: first.id, status: 'present', date: firstPast[0].date });

    const again = await testApp.http
      .post('/api/v1/enrollments')
      .set(admin())
      .send({ referralId: referral.id, groupId: second.id, startDate: TODAY })
      .expect(409);
    expect(again.body.code).toBe('ALREADY_ENROLLED');
  });

  it('refuses a transfer dated before attendance already recorded in the current group', async () => {
    const { group: first, past } = await groupWithPastSessions();
    const { group: second } = await groupWithPastSessions();
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -50) });
    const { enrollment } = await enroll(testApp, staff, referral.id, first.id, past[0].date);
    await testApp.http
      .put(`/api/v1/sessions/${past[2].id}/attendance`)
      .set(admin())
      .send({ marks: [{ enrollmentId: enrollment.id, status: 'present' }] })
      .expect(200);
    const response = await testApp.http
      .post('/api/v1/enrollments')
      .set(admin())
      .send({ referralId: referral.id, groupId: second.id, startDate: past[1].date })
      .expect(422);
    expect(response.body.code).toBe('MARKS_AFTER_TRANSFER');
  });

  describe('marking a roster', () => {
    let group: { id: string };
    let past: Array<{ id: string; date: string }>;
    let future: Array<{ id: string; date: string }>;
    let enrollmentIds: string[];
    let referralIds: string[];

    beforeAll(async () => {
      ({ group, past, future } = await groupWithPastSessions());
      enrollmentIds = [];
      referralIds = [];
      for (let index = 0; index < 3; index++) {
        const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -50) });
        const { enrollment } = await enroll(testApp, staff, referral.id, group.id, past[0].date);
        enrollmentIds.push(enrollment.id);
        referralIds.push(referral.id);
      }
    });

    it('records the whole roster, sets the session held, and a replay changes nothing and audits nothing', async () => {
      const body = {
        marks: [
          { enrollmentId: enrollmentIds[0], status: 'present' },
          { enrollmentId: enrollmentIds[1], status: 'late', note: 'Bus was late' },
          { enrollmentId: enrollmentIds[2], status: 'absent_unexcused' },
        ],
      };
      const first = await testApp.http.put(`/api/v1/sessions/${past[0].id}/attendance`).set(facilitator()).send(body).expect(200);
      expect(first.body.session.status).toBe('held');
      expect(first.body.entries.map((e: { mark: { status: string } }) => e.mark.status).sort()).toEqual([
        'absent_unexcused',
        'late',
        'present',
      ]);

      const marksBefore = await auditCount('attendance.mark');
      const [{ stamp: stampBefore }] = await testApp.dataSource.query(
        `SELECT max(marked_at) AS stamp FROM attendance_marks WHERE session_id = $1`,
        [past[0].id],
      );
      await testApp.http.put(`/api/v1/sessions/${past[0].id}/attendance`).set(facilitator()).send(body).expect(200);
      expect(await auditCount('attendance.mark')).toBe(marksBefore);
      expect(await auditCount('attendance.correct')).toBe(0);
      const [{ stamp: stampAfter }] = await testApp.dataSource.query(
        `SELECT max(marked_at) AS stamp FROM attendance_marks WHERE session_id = $1`,
        [past[0].id],
      );
      expect(stampAfter).toEqual(stampBefore);
    });

    it('keeps the earlier value of a correction in the audit trail', async () => {
      await testApp.http
        .put(`/api/v1/sessions/${past[0].id}/attendance`)
        .set(facilitator())
        .send({ marks: [{ enrollmentId: enrollmentIds[2], status: 'absent_excused', note: 'Court date' }] })
        .expect(200);
      const [entry] = await testApp.dataSource.query(
        `SELECT details, actor_user_id FROM audit_entries WHERE action = 'attendance.correct' AND record_id = $1`,
        [enrollmentIds[2]],
      );
      expect(entry.actor_user_id).toBe(staff.users.facilitator.id);
      expect(entry.details.from).toEqual({ status: 'absent_unexcused' });
      expect(entry.details.to).toEqual({ status: 'absent_excused' });
      // The note itself stays on the mark; the entry says it changed.
      expect(entry.details.fields).toEqual(['note']);
    });

    it('refuses a future session with 422 and writes nothing', async () => {
      const response = await testApp.http
        .put(`/api/v1/sessions/${future[0].id}/attendance`)
        .set(facilitator())
        .send({ marks: [{ enrollmentId: enrollmentIds[0], status: 'present' }] })
        .expect(422);
      expect(response.body.code).toBe('SESSION_IN_FUTURE');
      const [{ count }] = await testApp.dataSource.query(`SELECT count(*)::int AS count FROM attendance_marks WHERE session_id = $1`, [
        future[0].id,
      ]);
      expect(count).toBe(0);
    });

    it('refuses the whole roster when one mark names another group’s enrollment, writing nothing', async () => {
      const { group: otherGroup, past: otherPast } = await groupWithPastSessions();
      const stranger = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -50) });
      const { enrollment: strangerEnrollment } = await enroll(testApp, staff, stranger.id, otherGroup.id, otherPast[0].date);
      const response = await testApp.http
        .put(`/api/v1/sessions/${past[1].id}/attendance`)
        .set(admin())
        .send({
          marks: [
            { enrollmentId: enrollmentIds[0], status: 'present' },
            { enrollmentId: strangerEnrollment.id, status: 'present' },
          ],
        })
        .expect(422);
      expect(response.body).toMatchObject({ code: 'NOT_ON_ROSTER', details: { enrollmentIds: [strangerEnrollment.id] } });
      const [{ count }] = await testApp.dataSource.query(`SELECT count(*)::int AS count FROM attendance_marks WHERE session_id = $1`, [
        past[1].id,
      ]);
      expect(count).toBe(0);
      const [{ status }] = await testApp.dataSource.query(`SELECT status FROM sessions WHERE id = $1`, [past[1].id]);
      expect(status).toBe('scheduled');
    });

    it('refuses a mark for a man not yet enrolled on that date', async () => {
      const late = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -50) });
      const { enrollment } = await enroll(testApp, staff, late.id, group.id, past[past.length - 1].date);
      const response = await testApp.http
        .put(`/api/v1/sessions/${past[1].id}/attendance`)
        .set(admin())
        .send({ marks: [{ enrollmentId: enrollment.id, status: 'present' }] })
        .expect(422);
      expect(response.body.code).toBe('NOT_ON_ROSTER');
    });

    it('gives field messages for a bad roster body', async () => {
      const response = await testApp.http
        .put(`/api/v1/sessions/${past[1].id}/attendance`)
        .set(admin())
        .send({
          marks: [
            { enrollmentId: 'nope', status: 'asleep', extra: 1 },
            { enrollmentId: enrollmentIds[0], status: 'present' },
            { enrollmentId: enrollmentIds[0], status: 'late' },
          ],
        })
        .expect(400);
      expect(response.body.fields).toMatchObject({
        'marks.0.enrollmentId': ['enrollmentId must be a UUID'],
        'marks.0.status': [expect.stringContaining('status must be one of')],
        'marks.0.extra': ['marks.0.extra is not an allowed field'],
        marks: ['marks must not mark the same enrollmentId twice'],
      });
    });

    it('answers 400 when a mark is not an object', async () => {
      const response = await testApp.http
        .put(`/api/v1/sessions/${past[1].id}/attendance`)
        .set(admin())
        .send({ marks: [[]] })
        .expect(400);
      expect(response.body.fields.marks).toContain('each mark must be an object');
    });

    it('does not let a facilitator of another group mark or read this roster (404)', async () => {
      const other = await otherFacilitator(testApp, staff);
      await testApp.http.get(`/api/v1/sessions/${past[1].id}/roster`).set(bearer(other.token)).expect(404);
      await testApp.http
        .put(`/api/v1/sessions/${past[1].id}/attendance`)
        .set(bearer(other.token))
        .send({ marks: [{ enrollmentId: enrollmentIds[0], status: 'present' }] })
        .expect(404);
    });
  });

  it('computes standing from a sequence of marks and warns the facilitator before a limit is crossed', async () => {
    const { group, past } = await groupWithPastSessions();
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -50) });
    const { enrollment } = await enroll(testApp, staff, referral.id, group.id, past[0].date);
    const sequence = ['present', 'late', 'left_early', 'absent_excused', 'absent_unexcused', 'absent_unexcused'];
    for (const [index, status] of sequence.entries()) {
      await testApp.http
        .put(`/api/v1/sessions/${past[index].id}/attendance`)
        .set(facilitator())
        .send({ marks: [{ enrollmentId: enrollment.id, status }] })
        .expect(200);
    }
    const fetched = await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(admin()).expect(200);
    // Duluth 24: left early does not count; a removal or absence breaks nothing but the run.
    expect(fetched.body.compliance).toMatchObject({
      sessionsRequired: 24,
      sessionsAttended: 2,
      absences: 3,
      unexcusedAbsences: 2,
      consecutiveAbsences: 3,
    });
    const roster = await testApp.http.get(`/api/v1/sessions/${past[5].id}/roster`).set(facilitator()).expect(200);
    const entry = roster.body.entries.find((e: { enrollmentId: string }) => e.enrollmentId === enrollment.id);
    expect(entry.standing.warnings).toEqual([
      'Absences: 3 of 3 — one more crosses the limit',
      'Unexcused absences: 2 of 2 — one more crosses the limit',
      'Absences in a row: 3, over the limit of 2',
    ]);
  });

  it('answers a save with the roster as read afterwards: the standing of the men it marks and of the men it leaves out', async () => {
    const { group, past } = await groupWithPastSessions();
    const marked = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -50) });
    const left = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -50) });
    const { enrollment: markedEnrollment } = await enroll(testApp, staff, marked.id, group.id, past[0].date);
    const { enrollment: leftEnrollment } = await enroll(testApp, staff, left.id, group.id, past[0].date);
    for (const [index, [first, second]] of [
      ['present', 'absent_excused'],
      ['absent_unexcused', 'late'],
      ['late', 'absent_unexcused'],
    ].entries()) {
      await testApp.http
        .put(`/api/v1/sessions/${past[index].id}/attendance`)
        .set(facilitator())
        .send({
          marks: [
            { enrollmentId: markedEnrollment.id, status: first },
            { enrollmentId: leftEnrollment.id, status: second },
          ],
        })
        .expect(200);
    }
    // The save names one man: his standing comes from the rules' read of his marks, the other's from the roster's.
    const saved = await testApp.http
      .put(`/api/v1/sessions/${past[3].id}/attendance`)
      .set(facilitator())
      .send({ marks: [{ enrollmentId: markedEnrollment.id, status: 'absent_excused' }] })
      .expect(200);
    const read = await testApp.http.get(`/api/v1/sessions/${past[3].id}/roster`).set(facilitator()).expect(200);
    expect(saved.body).toEqual(read.body);
    const standing = (id: string) =>
      (saved.body.entries as Array<{ enrollmentId: string; standing: Record<string, unknown> }>).find((e) => e.enrollmentId === id)
        ?.standing;
    expect(standing(markedEnrollment.id)).toMatchObject({ sessionsAttended: 2, absences: 2, unexcusedAbsences: 1, consecutiveAbsences: 1 });
    expect(standing(leftEnrollment.id)).toMatchObject({ sessionsAttended: 1, absences: 2, unexcusedAbsences: 1, consecutiveAbsences: 1 });
  });

  it('ignores a cancelled session: it counts for nobody and against nobody', async () => {
    const { group, past } = await groupWithPastSessions();
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -50) });
    const { enrollment } = await enroll(testApp, staff, referral.id, group.id, past[0].date);
    await testApp.http
      .put(`/api/v1/sessions/${past[0].id}/attendance`)
      .set(facilitator())
      .send({ marks: [{ enrollmentId: enrollment.id, status: 'absent_unexcused' }] })
      .expect(200);
    await testApp.http.post(`/api/v1/sessions/${past[1].id}/cancel`).set(admin()).send({ reason: 'Snow storm' }).expect(200);
    await testApp.http
      .put(`/api/v1/sessions/${past[2].id}/attendance`)
      .set(facilitator())
      .send({ marks: [{ enrollmentId: enrollment.id, status: 'absent_unexcused' }] })
      .expect(200);
    const fetched = await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(admin()).expect(200);
    expect(fetched.body.compliance).toMatchObject({ absences: 2, consecutiveAbsences: 2, sessionsAttended: 0 });
  });

  describe('query counts', () => {
    async function countQueries(work: () => Promise<unknown>): Promise<number> {
      const spy = jest.spyOn(Client.prototype, 'query');
      try {
        await work();
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    }

    async function rosterOf(size: number) {
      const { group, past } = await groupWithPastSessions(30);
      const marks = [];
      for (let index = 0; index < size; index++) {
        const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -50) });
        const { enrollment } = await enroll(testApp, staff, referral.id, group.id, past[0].date);
        marks.push({ enrollmentId: enrollment.id, status: 'present' });
      }
      for (const session of past.slice(0, 3)) {
        await testApp.http.put(`/api/v1/sessions/${session.id}/attendance`).set(admin()).send({ marks }).expect(200);
      }
      return {
        session: past[3],
        referralId: (await testApp.dataSource.query(`SELECT referral_id FROM enrollments WHERE id = $1`, [marks[0].enrollmentId]))[0]
          .referral_id,
        marks,
      };
    }

    it('reads a roster with the same number of queries for 2 men as for 15', async () => {
      const small = await rosterOf(2);
      const large = await rosterOf(15);
      const smallCount = await countQueries(() =>
        testApp.http.get(`/api/v1/sessions/${small.session.id}/roster`).set(facilitator()).expect(200),
      );
      const largeCount = await countQueries(async () => {
        const response = await testApp.http.get(`/api/v1/sessions/${large.session.id}/roster`).set(facilitator()).expect(200);
        expect(response.body.entries).toHaveLength(15);
      });
      expect(largeCount).toBe(smallCount);
      expect(largeCount).toBeLessThanOrEqual(5);
    });

    it('saves a roster with the same number of queries for 2 men as for 15', async () => {
      const small = await rosterOf(2);
      const large = await rosterOf(15);
      const smallCount = await countQueries(() =>
        testApp.http.put(`/api/v1/sessions/${small.session.id}/attendance`).set(facilitator()).send({ marks: small.marks }).expect(200),
      );
      const largeCount = await countQueries(() =>
        testApp.http.put(`/api/v1/sessions/${large.session.id}/attendance`).set(facilitator()).send({ marks: large.marks }).expect(200),
      );
      expect(largeCount).toBe(smallCount);
    });

    it('reads a man’s history with the same number of queries after 3 sessions as after 6', async () => {
      const { group, past } = await groupWithPastSessions();
      const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -50) });
      const { enrollment } = await enroll(testApp, staff, referral.id, group.id, past[0].date);
      const mark = (index: number) =>
        testApp.http
          .put(`/api/v1/sessions/${past[index].id}/attendance`)
          .set(admin())
          .send({ marks: [{ enrollmentId: enrollment.id, status: 'present' }] })
          .expect(200);
      for (const index of [0, 1, 2]) await mark(index);
      const read = () => testApp.http.get(`/api/v1/referrals/${referral.id}/attendance`).set(admin()).expect(200);
      const shortCount = await countQueries(read);
      for (const index of [3, 4, 5]) await mark(index);
      const longCount = await countQueries(read);
      expect(longCount).toBe(shortCount);
    });
  });
});
