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
 * back: BEGIN; the session locked with who may mark it and who is on its roster; the marks that
 * changed written and audited with the men's referrals locked; the rules' facts, marks and
 * events; their status changes, events, notices and audit entries with the roster read back, in
 * one statement; COMMIT. Nothing after commit: the notices' trigger signals the worker, which
 * queues them (the request sends nothing to Redis). A replay, which changes nothing, reads the
 * roster after its COMMIT. The session check is cached (SESSION_CACHE_MS).
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
  async function save(
    status: string,
  ): Promise<{ statements: string[]; requestId: string; body: { entries: Array<{ mark: { status: string } | null }> } }> {
    const requestId = randomUUID();
    const response = await testApp.http
      .put(`/api/v1/sessions/${sessionId}/attendance`)
      .set(bearer(staff.tokens.facilitator))
      .set('X-Request-Id', requestId)
      .send({ marks: [{ enrollmentId, status }] });
    expect(response.status).toBe(200);
    // Anything the request still sent after answering would be counted too.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { statements: counter.ofWork(requestId), requestId, body: response.body };
  }
  const auditOf = async (requestId: string) =>
    await testApp.dataSource.query<Array<{ action: string; details: Record<string, unknown> | null }>>(
      `SELECT action, details FROM audit_entries WHERE request_id = $1 ORDER BY id`,
      [requestId],
    );
  const statusOf = async () =>
    (await testApp.dataSource.query<Array<{ status: string }>>(`SELECT status FROM referrals WHERE id = $1`, [referralId]))[0].status;
  const print = (what: string, statements: string[]) => process.stdout.write(`roster save, ${what}: ${statements.length} statements\n`);

  it('a first save of the session: 6 statements (no crossing: the rules write nothing, their last statement reads the roster back)', async () => {
    const { statements, requestId, body } = await save('present');
    print('first marks', statements);
    expect(statements).toHaveLength(6);
    expect(statements[0]).toMatch(/^START TRANSACTION|^BEGIN/);
    expect(statements[5]).toBe('COMMIT');
    expect(body.entries[0].mark?.status).toBe('present');
    expect((await auditOf(requestId)).map((entry) => entry.action)).toEqual(['attendance.mark', 'session.held']);
  });

  it('a save with a crossing: 6 statements, the event, its notices, the status change and every entry', async () => {
    const { statements, requestId, body } = await save('removed');
    print('a crossing', statements);
    expect(statements).toHaveLength(6);
    expect(statements[5]).toBe('COMMIT');
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

  it('the same save again changes nothing, audits nothing and sends 5 statements', async () => {
    const { statements, requestId } = await save('removed');
    print('a replay', statements);
    expect(statements).toHaveLength(5);
    expect(await auditOf(requestId)).toEqual([]);
  });

  it('its correction: 6 statements, the corrected follow-up and the man active again', async () => {
    const { statements, requestId, body } = await save('present');
    print('a correction', statements);
    expect(statements).toHaveLength(6);
    expect(statements[5]).toBe('COMMIT');
    expect(body.entries[0].mark?.status).toBe('present');
    expect((await auditOf(requestId)).map((entry) => entry.action)).toEqual([
      'attendance.correct',
      'referral.status_change',
      'compliance.event',
    ]);
    expect(await statusOf()).toBe('active');
  });
});
