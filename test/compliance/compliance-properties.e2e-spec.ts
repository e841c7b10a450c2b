import { PROGRAM_DECISION_KINDS } from '../../src/common/program/compliance-event-kind.enum';
import fc from 'fast-check';
import { ProgramClock } from '../../src/config/program-clock';
import { AppConfig } from '../../src/config/app-config';
import { ComplianceSweepService } from '../../src/modules/compliance/compliance-sweep.service';
import { ComplianceService } from '../../src/modules/compliance/compliance.service';
import { OutboxTransaction } from '../../src/modules/mail/outbox-transaction';
import { bearer, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, pinToday, Reference, sessionsOf, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import {
  Action,
  describeActions,
  historyArbitrary,
  judge,
  markedHistory,
  newWorld,
  plusDays,
  recount,
  RecordedEvent,
  resolveStep,
  Status,
  World,
} from './compliance-model';

/**
 * The compliance properties through the product: generated histories replayed through
 * PUT /sessions/:id/attendance, enrollments, cancellations, program decisions and the sweep,
 * with the events and notices PostgreSQL holds judged by the independent model after every step.
 * Catches drift between the request path and the sweep, and between SQL and the pure rules.
 * Replay with COMPLIANCE_PROPERTY_SEED (the path fast-check prints narrows it to one history).
 */
const seed = Number(process.env.COMPLIANCE_PROPERTY_SEED ?? Date.now() % 2_147_483_647);
const HISTORIES = Number(process.env.COMPLIANCE_DB_HISTORIES ?? 25);
const MAX_STEPS = 18;

describe('compliance properties through the API and PostgreSQL', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let histories = 0;
  let steps = 0;

  // Notices are judged as written (the outbox); delivering them is the notice suites' business.
  beforeAll(async () => ({ testApp, staff, reference } = await startProgramApp({ env: { APP_ROLE: 'api' } })));
  afterAll(async () => {
    console.log(
      `compliance properties through PostgreSQL: ${histories} histories, ${steps} steps, seed ${seed} (COMPLIANCE_PROPERTY_SEED=${seed} replays them)`,
    );
    await testApp.close();
  });

  const admin = () => bearer(staff.tokens.admin);
  const ok = async (request: Promise<{ status: number; body: unknown }>, expected: number, what: string) => {
    const response = await request;
    if (response.status !== expected) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as Record<string, unknown>;
  };

  async function recorded(referralId: string, known: Map<string, number>, step: number): Promise<RecordedEvent[]> {
    const rows: Array<{ id: string; kind: string; threshold_key: string; corrects_event_id: string | null }> =
      await testApp.dataSource.query(
        // The program's own decisions (enrolled, reinstated, …) are told to the court but the rules neither raise nor withdraw them.
        `SELECT id, kind, threshold_key, corrects_event_id FROM compliance_events WHERE referral_id = $1 AND NOT (kind = ANY($2::compliance_event_kind[])) ORDER BY created_at, id`,
        [referralId, PROGRAM_DECISION_KINDS],
      );
    for (const row of rows) if (!known.has(row.id)) known.set(row.id, step);
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      key: row.threshold_key,
      correctsId: row.corrects_event_id,
      step: known.get(row.id)!,
    }));
  }

  /** Every event has its notices, and a correction reaches exactly whoever heard of what it withdraws. */
  async function noticeProblems(referralId: string): Promise<string[]> {
    const rows: Array<{ id: string; kind: string; corrects_event_id: string | null; recipients: string[] | null }> =
      await testApp.dataSource.query(
        `SELECT e.id, e.kind, e.corrects_event_id,
              array_agg(n.recipient_kind::text ORDER BY n.recipient_kind::text) FILTER (WHERE n.id IS NOT NULL AND n.purpose = 'event') AS recipients
         FROM compliance_events e LEFT JOIN notices n ON n.event_id = e.id
        WHERE e.referral_id = $1 AND NOT (e.kind = ANY($2::compliance_event_kind[])) GROUP BY e.id`,
        [referralId, PROGRAM_DECISION_KINDS],
      );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const problems: string[] = [];
    for (const row of rows) {
      const expected = row.kind === 'at_risk' ? ['probation_officer'] : ['court', 'probation_officer'];
      const target = row.corrects_event_id ? byId.get(row.corrects_event_id) : undefined;
      const wanted = target ? (target.recipients ?? []) : expected;
      if (JSON.stringify(row.recipients ?? []) !== JSON.stringify(wanted))
        problems.push(`${row.kind} has notices to ${String(row.recipients)} (expected ${String(wanted)})`);
    }
    return problems;
  }

  it('after every step of generated histories, the events and status in PostgreSQL are what the model says', async () => {
    // The nightly sweep is the worker's; the same class, on this app's services.
    const sweep = new ComplianceSweepService(
      testApp.dataSource,
      testApp.app.get(ComplianceService),
      testApp.app.get(OutboxTransaction),
      testApp.app.get(ProgramClock),
      testApp.app.get(AppConfig),
    );
    await fc.assert(
      fc.asyncProperty(historyArbitrary(MAX_STEPS, 10), async ({ setup, steps: generated }) => {
        histories += 1;
        const { firstMonday } = setup;
        pinToday(testApp, plusDays(firstMonday, 56));
        const policy = await ok(
          testApp.http
            .post('/api/v1/policies')
            .set(admin())
            .send({
              name: `Generated ${histories}-${Math.random().toString(36).slice(2, 7)}`,
              sessionMinutes: 90,
              enrollWithinDays: setup.enrollWithinDays,
              completeWithinMonths: Math.max(
                Math.round(setup.completeWithinDays / 30),
                1,
                Math.ceil((setup.policy.requiredSessions * 7) / 30.4) + 1,
              ),
              progressReportEveryDays: 30,
              violationReportBusinessDays: 1,
              feesRequired: false,
              ...setup.policy,
            }),
          201,
          'policy',
        );
        const groups = [
          await createGroup(testApp, staff, {
            curriculumId: reference.duluth.id,
            facilitatorIds: [staff.users.facilitator.id],
            weekday: 1,
            startsOn: firstMonday,
          }),
          await createGroup(testApp, staff, {
            curriculumId: reference.duluth.id,
            facilitatorIds: [staff.users.facilitator.id],
            weekday: 4,
            startsOn: plusDays(firstMonday, 3),
          }),
        ];
        const sessionIds = new Map<string, string>();
        for (const [index, group] of groups.entries()) {
          for (const session of await sessionsOf(testApp, staff, group.id, firstMonday, plusDays(firstMonday, 7 * 17)))
            sessionIds.set(`${index}|${session.date}`, session.id);
        }
        const world: World = newWorld(setup, (group, date) => sessionIds.get(`${group}|${date}`) ?? `missing ${group} ${date}`);
        // Another man in each group, whose attendance is how a week is known to have met without him.
        const others = [];
        for (const group of groups) {
          const other = await createReferral(testApp, staff, {
            policyId: reference.duluthPolicy.id,
            orderedOn: plusDays(firstMonday, -20),
          });
          others.push((await enroll(testApp, staff, other.id, group.id, firstMonday)).enrollment.id);
        }
        const referral = await createReferral(testApp, staff, { policyId: policy.id as string, orderedOn: world.orderedOn });
        world.enrollBy = referral.enrollBy;
        world.completeBy = referral.completeBy;
        pinToday(testApp, world.today);

        const enrollmentIds: string[] = [];
        const known = new Map<string, number>();
        const actions: Action[] = [];
        let status: Status = 'referred';
        let events: RecordedEvent[] = [];
        for (const [index, step] of generated.entries()) {
          steps += 1;
          const previous = { status, eventCount: events.length, step: index };
          const action = resolveStep(world, step, status, recount(markedHistory(world), world.policy).attended);
          actions.push(action);
          /** His enrollment (its id in PostgreSQL) in the session's group on its date. */
          const enrollmentFor = (session: { group: number; date: string }) =>
            enrollmentIds[
              world.enrollments.findIndex(
                (e) => e.group === session.group && e.start <= session.date && (e.end === null || e.end >= session.date),
              )
            ];
          switch (action.type) {
            case 'mark':
              await ok(
                testApp.http
                  .put(`/api/v1/sessions/${action.session.id}/attendance`)
                  .set(admin())
                  .send({ marks: [{ enrollmentId: enrollmentFor(action.session), status: action.mark }] }),
                200,
                'mark',
              );
              break;
            case 'heldWithoutHim':
              await ok(
                testApp.http
                  .put(`/api/v1/sessions/${action.session.id}/attendance`)
                  .set(admin())
                  .send({ marks: [{ enrollmentId: others[action.session.group], status: 'present' }] }),
                200,
                'held',
              );
              break;
            case 'cancel':
              await ok(
                testApp.http.post(`/api/v1/sessions/${action.session.id}/cancel`).set(admin()).send({ reason: 'Facilitator ill' }),
                200,
                'cancel',
              );
              break;
            case 'advance':
              pinToday(testApp, action.today);
              break;
            case 'sweep':
              await sweep.run(world.today);
              break;
            case 'enroll': {
              const body = await ok(
                testApp.http
                  .post('/api/v1/enrollments')
                  .set(admin())
                  .send({ referralId: referral.id, groupId: groups[action.group].id, startDate: action.start }),
                201,
                'enroll',
              );
              enrollmentIds.push((body.enrollment as { id: string }).id);
              break;
            }
            case 'reinstate':
              await ok(
                testApp.http.post(`/api/v1/referrals/${referral.id}/reinstate`).set(admin()).send({ reason: 'Make-up plan' }),
                200,
                'reinstate',
              );
              world.reinstatedAtStep = index;
              break;
            case 'end': {
              const path = action.how === 'completed' ? 'complete' : action.how === 'terminated' ? 'terminate' : 'close';
              // Completion takes no body; terminating and closing take the program's reason.
              const body = action.how === 'completed' ? undefined : { reason: 'Program decision' };
              await ok(testApp.http.post(`/api/v1/referrals/${referral.id}/${path}`).set(admin()).send(body), 200, path);
              break;
            }
          }
          events = await recorded(referral.id, known, index);
          status = (
            await testApp.dataSource.query<Array<{ status: Status }>>(`SELECT status FROM referrals WHERE id = $1`, [referral.id])
          )[0].status;
          const evaluated = action.type === 'mark' || action.type === 'cancel' || action.type === 'enroll' || action.type === 'sweep';
          const verdict = judge(world, events, status, previous, { evaluated, calendarSeen: action.type === 'sweep' });
          if (verdict.problems.length) {
            throw new Error(
              `after step ${index + 1} (${describeActions([action]) || 'nothing'}): ${verdict.problems.join('; ')}\nhistory (${setup.firstMonday}, policy ${JSON.stringify(setup.policy)}): ${describeActions(actions)}`,
            );
          }
        }
        const notices = await noticeProblems(referral.id);
        if (notices.length) throw new Error(`notices: ${notices.join('; ')}\nhistory: ${describeActions(actions)}`);
      }),
      { numRuns: HISTORIES, seed, endOnFailure: true },
    );
  }, 240_000);
});
