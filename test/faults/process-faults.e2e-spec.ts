import { addDays } from '../../src/common/dates';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, createStaff, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, pinToday, seedReference, sessionsOf, TODAY } from '../helpers/domain';
import { TcpProxy } from '../helpers/tcp-proxy';
import { startTestApp, TestApp } from '../helpers/test-app';
import { TEST_PG_SERVER } from '../helpers/test-database';
import { waitFor } from '../helpers/wait-for';
import { WorkerProcess } from '../helpers/worker-process';

const DOMAIN = '@throughline.local>';

async function enrolledMan(testApp: TestApp, staff: Staff, reference: Awaited<ReturnType<typeof seedReference>>) {
  const group = await createGroup(testApp, staff, { curriculumId: reference.duluth.id, facilitatorIds: [staff.users.facilitator.id] });
  const sessions = (await sessionsOf(testApp, staff, group.id, addDays(TODAY, -60), TODAY)).filter((s) => s.date <= TODAY);
  const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -50) });
  // These faults are about the violation's two notices: this policy sends no enrollment confirmation.
  await testApp.dataSource.query(`UPDATE policies SET notice_recipients = notice_recipients || '{"enrolled": []}'::jsonb WHERE id = $1`, [
    reference.duluthPolicy.id,
  ]);
  const { enrollment } = await enroll(testApp, staff, referral.id, group.id, sessions[0].date);
  return { referral, sessions, enrollment };
}

/**
 * Two unexcused absences with attendance between them; the next one (session 4) crosses
 * Duluth's limit of two: one event, two notices (no run of absences to cross as well).
 */
async function nearUnexcusedLimit(testApp: TestApp, staff: Staff, reference: Awaited<ReturnType<typeof seedReference>>) {
  const man = await enrolledMan(testApp, staff, reference);
  for (const [index, status] of ['absent_unexcused', 'present', 'absent_unexcused', 'present'].entries()) {
    await testApp.http
      .put(`/api/v1/sessions/${man.sessions[index].id}/attendance`)
      .set(bearer(staff.tokens.admin))
      .send({ marks: [{ enrollmentId: man.enrollment.id, status }] })
      .expect(200);
  }
  return man;
}

describe('a worker killed mid-delivery (SIGKILL, real child processes)', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Awaited<ReturnType<typeof seedReference>>;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    // This process serves the API only; delivery happens in the child workers.
    testApp = await startTestApp({ env: { APP_ROLE: 'api' } });
    staff = await createStaff(testApp);
    reference = await seedReference(testApp);
    pinToday(testApp);
  });

  // Each test owns its workers: a survivor from an earlier test would take the next test's jobs.
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.kill()));
  });

  afterAll(async () => {
    await testApp.close();
  });

  function worker(faultPoints = ''): WorkerProcess {
    const config = testApp.config;
    const child = new WorkerProcess({
      DATABASE_URL: config.databaseUrl,
      REDIS_URL: config.redisUrl,
      SMTP_URL: config.smtpUrl,
      QUEUE_PREFIX: config.queuePrefix,
      QUEUE_LOCK_MS: '3000',
      NOTICE_RELAY_INTERVAL_MS: '200',
      NOTICE_RELAY_GRACE_MS: '1000',
      NOTICE_RETRY_BASE_MS: '100',
      FAULT_POINTS: faultPoints,
    });
    workers.push(child);
    child.start();
    return child;
  }

  const noticeRows = async (referralId: string) =>
    await testApp.dataSource.query<
      Array<{
        id: string;
        status: string;
        last_response: string | null;
      }>
    >(`SELECT id, status, last_response FROM notices WHERE referral_id = $1 ORDER BY recipient_kind::text`, [referralId]);

  const receivedCount = (id: string) => testApp.smtp.received.filter((mail) => mail.messageId === `<${id}${DOMAIN}`).length;

  async function markThirdAbsence(man: Awaited<ReturnType<typeof nearUnexcusedLimit>>) {
    await testApp.http
      .put(`/api/v1/sessions/${man.sessions[4].id}/attendance`)
      .set(bearer(staff.tokens.admin))
      .send({ marks: [{ enrollmentId: man.enrollment.id, status: 'absent_unexcused' }] })
      .expect(200);
  }

  jest.setTimeout(120_000);

  it('delivers once when the worker is killed before sending: another worker picks the notices up', async () => {
    const man = await nearUnexcusedLimit(testApp, staff, reference);
    const doomed = worker('before-send=120000');
    await markThirdAbsence(man);
    const notices = await waitFor(async () => {
      const rows = await noticeRows(man.referral.id);
      return rows.length === 2 ? rows : null;
    });
    await doomed.waitForLine(/FAULT_POINT before-send/);
    await doomed.kill('SIGKILL');
    expect((await noticeRows(man.referral.id)).map((n) => n.status)).toEqual(['pending', 'pending']);

    worker();
    await waitFor(async () => (await noticeRows(man.referral.id)).every((n) => n.status === 'sent'), {
      what: 'sent by the second worker',
      timeoutMs: 60_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const counts = notices.map((n) => receivedCount(n.id));
    process.stdout.write(`killed before send: received per notice ${JSON.stringify(counts)}\n`);
    expect(counts).toEqual([1, 1]);
  });

  it('leaves a notice unknown, visible and not resent when the worker dies after the SMTP server accepted it', async () => {
    const man = await nearUnexcusedLimit(testApp, staff, reference);
    const doomed = worker('after-accept=120000');
    await markThirdAbsence(man);
    const notices = await waitFor(
      async () => {
        const rows = await noticeRows(man.referral.id);
        return rows.length === 2 && rows.every((n) => receivedCount(n.id) === 1) ? rows : null;
      },
      { what: 'both accepted by the SMTP server', timeoutMs: 60_000 },
    );
    await doomed.waitForLine(/FAULT_POINT after-accept/);
    await doomed.kill('SIGKILL');
    expect((await noticeRows(man.referral.id)).map((n) => n.status)).toEqual(['sending', 'sending']);

    worker();
    const unknown = await waitFor(
      async () => {
        const rows = await noticeRows(man.referral.id);
        return rows.every((n) => n.status === 'unknown') ? rows : null;
      },
      { what: 'marked unknown', timeoutMs: 60_000 },
    );
    expect(unknown[0].last_response).toMatch(/may have accepted/);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const counts = notices.map((n) => receivedCount(n.id));
    process.stdout.write(`killed after accept: received per notice ${JSON.stringify(counts)}, statuses unknown\n`);
    expect(counts).toEqual([1, 1]);

    const listed = await testApp.http.get('/api/v1/notices?status=unknown').set(bearer(staff.tokens.admin)).expect(200);
    expect(listed.body.items.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining(notices.map((n) => n.id)));
    const ready = await testApp.http.get('/health/ready').expect(200);
    expect(ready.body.info.notices.unknown).toBeGreaterThanOrEqual(2);
  });
});

describe('concurrency and a lost database', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Awaited<ReturnType<typeof seedReference>>;
  let pgProxy: TcpProxy;

  beforeAll(async () => {
    const pg = new URL(TEST_PG_SERVER);
    pgProxy = new TcpProxy(pg.hostname, Number(pg.port || 5432));
    await pgProxy.start();
    const { createDatabaseFromTemplate } = await import('../helpers/test-database');
    const databaseName = await createDatabaseFromTemplate();
    testApp = await startTestApp({
      databaseName,
      env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${pgProxy.port}/${databaseName}` },
    });
    staff = await createStaff(testApp);
    reference = await seedReference(testApp);
    pinToday(testApp);
  });

  afterAll(async () => {
    await pgProxy.start().catch(() => undefined);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset if setup failed; the proxy must still be cut
    await testApp?.close();
    const { dropDatabase } = await import('../helpers/test-database');
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset if setup failed
    if (testApp) await dropDatabase(testApp.databaseName);
    await pgProxy.cut();
  });

  it('creates one event and one notice per recipient when the same roster is saved 50 times at once', async () => {
    const man = await nearUnexcusedLimit(testApp, staff, reference);
    const body = { marks: [{ enrollmentId: man.enrollment.id, status: 'absent_unexcused' }] };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        testApp.http.put(`/api/v1/sessions/${man.sessions[4].id}/attendance`).set(bearer(staff.tokens.facilitator)).send(body),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    const events = await testApp.dataSource.query(
      `SELECT kind, threshold_key FROM compliance_events WHERE referral_id = $1 AND kind <> 'enrolled'`,
      [man.referral.id],
    );
    const notices = await testApp.dataSource.query(
      `SELECT recipient_kind FROM notices WHERE referral_id = $1 ORDER BY recipient_kind::text`,
      [man.referral.id],
    );
    const marks = await testApp.dataSource.query(
      `SELECT count(*)::int AS count FROM audit_entries WHERE action IN ('attendance.mark', 'attendance.correct') AND details->>'sessionId' = $1`,
      [man.sessions[4].id],
    );
    process.stdout.write(
      `50 concurrent saves: ${events.length} event(s), ${notices.length} notice(s), ${marks[0].count} mark audit entr(ies)\n`,
    );
    expect(events).toEqual([{ kind: 'absence_limit_exceeded', threshold_key: 'unexcused:3' }]);
    expect(notices.map((n: { recipient_kind: string }) => n.recipient_kind)).toEqual(['court', 'probation_officer']);
    expect(marks[0].count).toBe(1);
  });

  it('answers 503 while PostgreSQL is unreachable, writes nothing, reports not ready, and recovers', async () => {
    const man = await enrolledMan(testApp, staff, reference);
    const session = man.sessions[0];
    await pgProxy.cut();
    try {
      const response = await testApp.http
        .put(`/api/v1/sessions/${session.id}/attendance`)
        .set(bearer(staff.tokens.facilitator))
        .send({ marks: [{ enrollmentId: man.enrollment.id, status: 'present' }] });
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
      const ready = await testApp.http.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.details.database.status).toBe('down');
    } finally {
      await pgProxy.start();
    }
    const [{ count }] = await testApp.dataSource.query(`SELECT count(*)::int AS count FROM attendance_marks WHERE session_id = $1`, [
      session.id,
    ]);
    expect(count).toBe(0);
    const [{ status }] = await testApp.dataSource.query(`SELECT status FROM sessions WHERE id = $1`, [session.id]);
    expect(status).toBe('scheduled');
    await waitFor(
      async () => {
        const response = await testApp.http
          .put(`/api/v1/sessions/${session.id}/attendance`)
          .set(bearer(staff.tokens.facilitator))
          .send({ marks: [{ enrollmentId: man.enrollment.id, status: 'present' }] });
        return response.status === 200;
      },
      { what: 'marking works again' },
    );
  });

  it('answers 503 to the court clerk’s case lookup (a prepared statement) while PostgreSQL is unreachable, and finds the case again after', async () => {
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -10) });
    const lookup = () =>
      testApp.http
        .get(`/api/v1/referrals?caseNumber=${encodeURIComponent(referral.caseNumber)}`)
        .set(bearer(staff.tokens[Role.CourtClerk]));
    // Prepared on every pooled connection it ran on: the cut connections take their statements with them.
    for (let i = 0; i < 8; i++) expect((await lookup()).body.items.map((item: { id: string }) => item.id)).toEqual([referral.id]);
    const auditedBefore = await lookupAudits(referral.id);
    await pgProxy.cut();
    try {
      const response = await lookup();
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
      expect(JSON.stringify(response.body)).not.toContain(referral.caseNumber);
    } finally {
      await pgProxy.start();
    }
    // New connections prepare the lookup again; the read and its audit entry stay one statement.
    await waitFor(async () => (await lookup()).status === 200, { what: 'the lookup works again' });
    const found = await lookup();
    expect(found.body.items.map((item: { id: string }) => item.id)).toEqual([referral.id]);
    expect(await lookupAudits(referral.id)).toBeGreaterThan(auditedBefore);
  });

  async function lookupAudits(referralId: string): Promise<number> {
    const [{ count }] = await testApp.dataSource.query(
      `SELECT count(*)::int AS count FROM audit_entries WHERE action = 'referral.list' AND details::text LIKE '%' || $1 || '%'`,
      [referralId],
    );
    return count as number;
  }
});
