import { randomUUID } from 'node:crypto';
import { addDays } from '../../src/common/dates';
import { bearer, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, Reference, sessionsOf, startProgramApp, TODAY } from '../helpers/domain';
import { StatementCounter } from '../helpers/statement-counter';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * The roster save keeps every guarantee (one transaction with the rules and the outbox inside,
 * idempotent, audited) in as few round trips as that needs, counted here so they cannot creep
 * back. Three round trips: (1) BEGIN with the session locked, who may mark it and who is on its
 * roster; (2) the marks that changed written and audited with the men's referrals locked, then the
 * rules' facts, marks and events, then the roster read back; (3) the rules' status changes,
 * events, notices and audit entries in one statement, with COMMIT. Nothing after commit: the
 * notices' trigger signals the worker, which queues them (the request sends nothing to Redis). A
 * replay, which changes nothing, sends COMMIT alone in its third. The session check is cached
 * (SESSION_CACHE_MS). The save's statements are prepared (named), so each connection plans them once.
 */
describe('the roster save in few statements', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let sessionId: string;
  let enrollmentId: string;
  let referralId: string;
  const counter = new StatementCounter();

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp({ env: { SESSION_CACHE_MS: '5000' } }));
    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 2,
    });
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -30) });
    referralId = referral.id;
    const sessions = await sessionsOf(testApp, staff, group.id, addDays(TODAY, -14), TODAY);
    const session = sessions[sessions.length - 1];
    sessionId = session.id;
    ({
      enrollment: { id: enrollmentId },
    } = await enroll(testApp, staff, referral.id, group.id, session.date));
    await testApp.http.get('/api/v1/auth/me').set(bearer(staff.tokens.facilitator)).expect(200);
    counter.install();
  });
  afterAll(async () => {
    counter.uninstall();
    await testApp.close();
  });

  /** One save; the statements sent for it, including what it does after commit. */
  async function save(status: string): Promise<{
    statements: string[];
    trips: string[][];
    names: Array<string | undefined>;
    requestId: string;
    body: { entries: Array<{ mark: { status: string } | null }> };
  }> {
    const requestId = randomUUID();
    const response = await testApp.http
      .put(`/api/v1/sessions/${sessionId}/attendance`)
      .set(bearer(staff.tokens.facilitator))
      .set('X-Request-Id', requestId)
      .send({ marks: [{ enrollmentId, status }] });
    expect(response.status).toBe(200);
    // Anything the request still sent after answering would be counted too.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return {
      statements: counter.ofWork(requestId),
      trips: counter.tripsOf(requestId),
      names: counter.namesOf(requestId),
      requestId,
      body: response.body as { entries: Array<{ mark: { status: string } | null }> },
    };
  }
  const auditOf = async (requestId: string) =>
    await testApp.dataSource.query<Array<{ action: string; details: Record<string, unknown> | null }>>(
      `SELECT action, details FROM audit_entries WHERE request_id = $1 ORDER BY id`,
      [requestId],
    );
  const statusOf = async () =>
    (await testApp.dataSource.query<Array<{ status: string }>>(`SELECT status FROM referrals WHERE id = $1`, [referralId]))[0].status;
  const print = (what: string, statements: string[], trips: string[][]) =>
    process.stdout.write(`roster save, ${what}: ${statements.length} statements in ${trips.length} round trips\n`);
  /** BEGIN, the lock | the marks, the rules' read, the roster | [the rules' write,] COMMIT. */
  const expectTrips = (trips: string[][], last: number) => {
    expect(trips.map((trip) => trip.length)).toEqual([2, 3, last]);
    expect(trips[0][0]).toBe('BEGIN');
    expect(trips[0][1]).toMatch(/FOR UPDATE OF s/);
    expect(trips[1][0]).toMatch(/^WITH changed AS/);
    expect(trips[2][last - 1]).toBe('COMMIT');
  };
  /** Every statement but BEGIN and COMMIT is a named prepared statement. */
  const expectPrepared = (statements: string[], names: Array<string | undefined>) =>
    statements.forEach((sql, index) => expect([sql, names[index] === undefined]).toEqual([sql, sql === 'BEGIN' || sql === 'COMMIT']));

  it('a first save of the session: 6 statements in 3 round trips (no crossing: the rules write nothing)', async () => {
    const { statements, trips, names, requestId, body } = await save('present');
    print('first marks', statements, trips);
    expect(statements).toHaveLength(6);
    expectTrips(trips, 1);
    expectPrepared(statements, names);
    expect(body.entries[0].mark?.status).toBe('present');
    expect((await auditOf(requestId)).map((entry) => entry.action)).toEqual(['attendance.mark', 'session.held']);
  });

  it('a save with a crossing: 7 statements in 3 round trips, the event, its notices, the status change and every entry', async () => {
    const { statements, trips, names, requestId, body } = await save('removed');
    print('a crossing', statements, trips);
    expect(statements).toHaveLength(7);
    expectTrips(trips, 2);
    expect(trips[2][0]).toMatch(/^WITH status_changes AS/);
    expectPrepared(statements, names);
    // The roster as the save left it, read inside its transaction.
    expect(body.entries[0].mark?.status).toBe('removed');
    const audit = await auditOf(requestId);
    expect(audit.map((entry) => entry.action)).toEqual(['attendance.correct', 'referral.status_change', 'compliance.event']);
    expect(audit[0].details).toMatchObject({ sessionId, referralId, from: { status: 'present' }, to: { status: 'removed' } });
    expect(audit[1].details).toMatchObject({ from: 'active', to: 'non_compliant' });
    expect(await statusOf()).toBe('non_compliant');
    // Queued by the worker, on the signal of their commit.
    const noticesNow = () =>
      testApp.dataSource.query<Array<{ recipient: string; queued: boolean }>>(
        `SELECT n.recipient_kind::text AS recipient, n.queued_at IS NOT NULL AS queued FROM notices n JOIN compliance_events e ON e.id = n.event_id
          WHERE e.referral_id = $1 AND e.kind = 'removed_for_behaviour' ORDER BY 1`,
        [referralId],
      );
    await waitFor(async () => (await noticesNow()).every((notice) => notice.queued), { what: 'both notices queued', timeoutMs: 5_000 });
    expect(await noticesNow()).toEqual([
      { recipient: 'court', queued: true },
      { recipient: 'probation_officer', queued: true },
    ]);
  });

  it('the same save again changes nothing, audits nothing and sends 6 statements in 3 round trips', async () => {
    const { statements, trips, requestId } = await save('removed');
    print('a replay', statements, trips);
    expect(statements).toHaveLength(6);
    expectTrips(trips, 1);
    expect(await auditOf(requestId)).toEqual([]);
  });

  it('its correction: 7 statements in 3 round trips, the corrected follow-up and the man active again', async () => {
    const { statements, trips, requestId, body } = await save('present');
    print('a correction', statements, trips);
    expect(statements).toHaveLength(7);
    expectTrips(trips, 2);
    expect(body.entries[0].mark?.status).toBe('present');
    expect((await auditOf(requestId)).map((entry) => entry.action)).toEqual([
      'attendance.correct',
      'referral.status_change',
      'compliance.event',
    ]);
    expect(await statusOf()).toBe('active');
  });
});
