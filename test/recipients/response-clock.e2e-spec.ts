import { ComplianceSweepService } from '../../src/modules/compliance/compliance-sweep.service';
import { AppConfig } from '../../src/config/app-config';
import { runResponseClock } from '../../src/modules/responses/response-clock';
import { bearer, Staff } from '../helpers/fixtures';
import { Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { groupWithSessions, violation } from './recipient-helpers';

/**
 * The response clock: no response within the policy's business days → a reminder to the
 * recipient; after twice that → an escalation to the program admin and the CCR coordinator.
 * Once per period, whatever the number of sweeps; stopped by a response.
 */
describe('the response clock', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let group: Awaited<ReturnType<typeof groupWithSessions>>;
  let sweep: ComplianceSweepService;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp({ env: { ADMIN_NOTICE_EMAIL: 'director@program.test' } }));
    group = await groupWithSessions(testApp, staff, reference);
    sweep = testApp.app.get(ComplianceSweepService);
  });
  afterAll(async () => testApp.close());

  const clockNotices = async (eventId: string) =>
    await testApp.dataSource.query<Array<{ id: string; purpose: string; recipient_kind: string; recipient_email: string; status: string }>>(
      `SELECT id, purpose::text, recipient_kind::text, recipient_email, status::text FROM notices
        WHERE event_id = $1 AND purpose::text NOT IN ('event', 'reminder') ORDER BY created_at, recipient_kind::text DESC`,
      [eventId],
    );
  /** As if the notice had been e-mailed this many calendar days ago. */
  const sentDaysAgo = (noticeId: string, days: number) =>
    testApp.dataSource.query(`UPDATE notices SET sent_at = now() - make_interval(days => $2) WHERE id = $1`, [noticeId, days]);
  const sweeps = async (times: number) => {
    for (let i = 0; i < times; i += 1) await sweep.run();
  };
  const allSent = (ids: string[]) =>
    waitFor(
      async () => {
        const rows = await testApp.dataSource.query<Array<{ status: string }>>(`SELECT status FROM notices WHERE id = ANY($1::uuid[])`, [
          ids,
        ]);
        return rows.length === ids.length && rows.every((row) => row.status === 'sent');
      },
      { what: 'the clock notices sent', timeoutMs: 30_000 },
    );
  const mailsOf = (id: string) => testApp.smtp.received.filter((mail) => mail.messageId?.startsWith(`<${id}@`)).length;

  it('reminds probation after its period, escalates to the admin and the coordinator after two, each once over 5 sweeps', async () => {
    const made = await violation(testApp, staff, group, { policyId: reference.duluthPolicy.id });
    await allSent([made.poNotice, made.courtNotice]);
    // Duluth preset: probation 10 business days, the court 22. Five days: nothing due yet.
    await sentDaysAgo(made.poNotice, 5);
    await sweeps(2);
    expect(await clockNotices(made.eventId)).toEqual([]);

    await sentDaysAgo(made.poNotice, 16);
    await sweeps(5);
    const reminded = await clockNotices(made.eventId);
    expect(reminded.map((n) => [n.purpose, n.recipient_kind, n.recipient_email])).toEqual([
      ['response_reminder', 'probation_officer', staff.users.probation_officer.email],
    ]);

    await sentDaysAgo(made.poNotice, 30);
    await sweeps(5);
    const escalated = await clockNotices(made.eventId);
    expect(escalated.map((n) => [n.purpose, n.recipient_kind, n.recipient_email])).toEqual([
      ['response_reminder', 'probation_officer', staff.users.probation_officer.email],
      ['probation_response_escalation', 'program_admin', 'director@program.test'],
      ['probation_response_escalation', 'coordinator', staff.users.coordinator.email],
    ]);
    await allSent(escalated.map((n) => n.id));
    await sweeps(5);
    expect(await clockNotices(made.eventId)).toHaveLength(3);
    for (const notice of escalated) expect({ id: notice.id, mails: mailsOf(notice.id) }).toEqual({ id: notice.id, mails: 1 });
    const mail = testApp.smtp.received.find((item) => item.messageId?.startsWith(`<${escalated[1].id}@`))!;
    expect(mail.raw.replace(/=\r?\n/g, '')).toMatch(/Subject: .*Escalation/);
  });

  it('runs the court’s clock on its own period, and stops each agency’s clock at its response', async () => {
    const made = await violation(testApp, staff, group, { policyId: reference.duluthPolicy.id });
    await allSent([made.poNotice, made.courtNotice]);
    // Probation answers in time; the court lets two periods pass.
    await testApp.http
      .post(`/api/v1/events/${made.eventId}/responses`)
      .set(bearer(staff.tokens.probation_officer))
      .send({ kind: 'violation_filed', date: '2026-11-26' })
      .expect(201);
    await sentDaysAgo(made.poNotice, 90);
    await sentDaysAgo(made.courtNotice, 40);
    await sweeps(5);
    expect((await clockNotices(made.eventId)).map((n) => [n.purpose, n.recipient_kind])).toEqual([['response_reminder', 'court']]);
    await sentDaysAgo(made.courtNotice, 70);
    await sweeps(5);
    expect((await clockNotices(made.eventId)).map((n) => [n.purpose, n.recipient_kind])).toEqual([
      ['response_reminder', 'court'],
      ['court_response_escalation', 'program_admin'],
      ['court_response_escalation', 'coordinator'],
    ]);
  });

  it('cancels a reminder not yet delivered the moment the response is recorded, and raises nothing after', async () => {
    const made = await violation(testApp, staff, group, { policyId: reference.duluthPolicy.id });
    await allSent([made.poNotice, made.courtNotice]);
    // The mail server refuses for now: the reminder waits for its retry.
    testApp.smtp.answer = () => ({ code: 451, message: '4.3.0 try later' });
    await sentDaysAgo(made.poNotice, 16);
    await sweeps(1);
    const [reminder] = await clockNotices(made.eventId);
    expect(reminder).toMatchObject({ purpose: 'response_reminder', recipient_kind: 'probation_officer' });
    // Refused once, and its next attempt an hour away (the claim waits for next_attempt_at).
    await waitFor(
      async () =>
        (
          await testApp.dataSource.query<[unknown[], number]>(
            `UPDATE notices SET next_attempt_at = now() + interval '1 hour' WHERE id = $1 AND status = 'failed' RETURNING id`,
            [reminder.id],
          )
        )[1] === 1,
      { what: 'the reminder refused once' },
    );
    await testApp.http
      .post(`/api/v1/events/${made.eventId}/responses`)
      .set(bearer(staff.tokens.probation_officer))
      .send({ kind: 'no_action', details: 'In custody on another matter' })
      .expect(201);
    expect((await clockNotices(made.eventId))[0].status).toBe('acknowledged');
    testApp.smtp.answer = () => null;
    await sentDaysAgo(made.poNotice, 60);
    await sweeps(5);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await clockNotices(made.eventId)).map((n) => n.purpose)).toEqual(['response_reminder']);
    expect(mailsOf(reminder.id)).toBe(0);
  });

  it('works out the business-day clocks only for what is still to be raised, not every night again for every notice already reminded and escalated', async () => {
    // One pass of the clock, rolled back, counting its calls of add_business_days (this
    // transaction's own function statistics).
    const config = testApp.app.get(AppConfig);
    const clockCalls = async () => {
      const runner = testApp.dataSource.createQueryRunner();
      await runner.startTransaction();
      try {
        await runner.query(`SET LOCAL track_functions = 'all'`);
        await runResponseClock(runner.manager, 'director@program.test', config.programTimeZone);
        // No row when the pass called it not once.
        const rows = (await runner.query(
          `SELECT calls FROM pg_stat_xact_user_functions WHERE schemaname = 'public' AND funcname = 'add_business_days'`,
        )) as Array<{ calls: string }>;
        return rows.length === 0 ? 0 : Number(rows[0].calls);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    };
    const before = await clockCalls();
    // Three violations past both agencies' periods twice over: everything the clock raises for them is raised.
    const made = [];
    for (let i = 0; i < 3; i += 1) made.push(await violation(testApp, staff, group, { policyId: reference.duluthPolicy.id }));
    await allSent(made.flatMap((m) => [m.poNotice, m.courtNotice]));
    for (const m of made) {
      await sentDaysAgo(m.poNotice, 120);
      await sentDaysAgo(m.courtNotice, 120);
    }
    await sweeps(1);
    for (const m of made) expect(await clockNotices(m.eventId)).toHaveLength(6);
    // Their six notices cost the next passes nothing (before: both clocks of each, in both passes, every night).
    expect(await clockCalls()).toBeLessThanOrEqual(before);
  });
});
