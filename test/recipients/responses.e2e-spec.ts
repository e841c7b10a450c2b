import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { ResponsesService } from '../../src/modules/responses/responses.service';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, createAgency, createUser, signIn, Staff } from '../helpers/fixtures';
import { Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { tableCounts } from '../security/security-fixtures';
import { groupWithSessions, violation } from './recipient-helpers';

/** Responses: what probation and the court did about an event, append-only, each agency its own kinds. */
describe('responses to compliance events', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let group: Awaited<ReturnType<typeof groupWithSessions>>;
  let made: Awaited<ReturnType<typeof violation>>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    group = await groupWithSessions(testApp, staff, reference);
    made = await violation(testApp, staff, group, { policyId: reference.duluthPolicy.id, firstName: 'Marcus', lastName: 'Delgado' });
    const otherCourt = await createAgency(testApp.dataSource, AgencyKind.Court);
    tokens.otherClerk = await signIn(testApp, (await createUser(testApp.dataSource, Role.CourtClerk, otherCourt.id)).email);
    tokens.otherOfficer = await signIn(testApp, (await createUser(testApp.dataSource, Role.ProbationOfficer, staff.probation.id)).email);
  });
  afterAll(async () => testApp.close());

  const record = (token: string, body: object, eventId = made.eventId) =>
    testApp.http.post(`/api/v1/events/${eventId}/responses`).set(bearer(token)).send(body);
  const fieldsOf = async (token: string, body: object) => Object.keys((await record(token, body).expect(400)).body.fields).sort();

  it('validates each probation kind with field messages, and records each', async () => {
    const po = staff.tokens.probation_officer;
    expect(await fieldsOf(po, { kind: 'violation_filed' })).toEqual(['date']);
    expect(await fieldsOf(po, { kind: 'violation_filed', date: '2026-02-30' })).toEqual(['date']);
    expect(await fieldsOf(po, { kind: 'sanction_imposed' })).toEqual(['details']);
    expect(await fieldsOf(po, { kind: 'no_action', details: '   ' })).toEqual(['details']);
    expect(await fieldsOf(po, { kind: 'nothing' })).toEqual(['kind']);
    expect(await fieldsOf(po, { kind: 'warning_given', outcome: 'jail' })).toEqual(['outcome']);
    expect(await fieldsOf(po, { kind: 'warning_given', extra: 1 })).toEqual(['extra']);
    const filed = await record(po, { kind: 'violation_filed', date: '2026-11-27' }).expect(201);
    expect(filed.body).toMatchObject({
      agency: 'probation',
      kind: 'violation_filed',
      date: '2026-11-27',
      eventId: made.eventId,
      referralId: made.referral.id,
      supersedesId: null,
    });
    for (const body of [
      { kind: 'warning_given' },
      { kind: 'sanction_imposed', details: 'Two days of community work' },
      { kind: 'no_action', details: 'Already in custody on another matter' },
      { kind: 'returned_to_program', details: 'Told to attend next Tuesday' },
    ]) {
      await record(po, body).expect(201);
    }
    const [{ n }] = await testApp.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'response.record' AND actor_user_id = $1`,
      [staff.users.probation_officer.id],
    );
    expect(n).toBe(5);
  });

  it('validates each court kind with field messages, and records each', async () => {
    const clerk = staff.tokens.court_clerk;
    expect(await fieldsOf(clerk, { kind: 'hearing_set' })).toEqual(['date']);
    expect(await fieldsOf(clerk, { kind: 'hearing_held' })).toEqual(['outcome']);
    expect(await fieldsOf(clerk, { kind: 'hearing_held', outcome: 'hanged' })).toEqual(['outcome']);
    await record(clerk, { kind: 'hearing_set', date: '2026-12-09' }).expect(201);
    for (const outcome of ['warning', 'reinstated_to_program', 'sanction', 'jail', 'probation_revoked', 'order_modified', 'dismissed']) {
      await record(clerk, { kind: 'hearing_held', outcome, date: '2026-12-09' }).expect(201);
    }
    await record(clerk, { kind: 'warrant_issued', date: '2026-12-10' }).expect(201);
  });

  it('lets each role record only its own agency’s kinds, on its own cases (403 role, 404 scope), writing nothing', async () => {
    const before = await tableCounts(testApp);
    expect((await record(staff.tokens.probation_officer, { kind: 'hearing_set', date: '2026-12-09' }).expect(403)).body.code).toBe(
      'RESPONSE_NOT_YOUR_AGENCY',
    );
    await record(staff.tokens.court_clerk, { kind: 'violation_filed', date: '2026-12-09' }).expect(403);
    for (const role of [Role.Admin, Role.Facilitator, Role.Advocate])
      await record(staff.tokens[role], { kind: 'warning_given' }).expect(403);
    await record(tokens.otherOfficer, { kind: 'warning_given' }).expect(404);
    await record(tokens.otherClerk, { kind: 'warrant_issued' }).expect(404);
    await record(staff.tokens.court_clerk, { kind: 'warrant_issued' }, '00000000-0000-4000-8000-000000000000').expect(404);
    expect(await tableCounts(testApp)).toEqual(before);
    await expect(testApp.dataSource.query(`UPDATE event_responses SET details = 'changed'`)).rejects.toThrow(/append-only/);
    await expect(testApp.dataSource.query(`DELETE FROM event_responses`)).rejects.toThrow(/append-only/);
  });

  it('corrects a response with a new one that supersedes it, once', async () => {
    const po = staff.tokens.probation_officer;
    const first = (await record(po, { kind: 'violation_filed', date: '2026-11-28' }).expect(201)).body;
    const fixed = (await record(po, { kind: 'violation_filed', date: '2026-11-29', supersedesId: first.id }).expect(201)).body;
    expect(fixed.supersedesId).toBe(first.id);
    expect((await record(po, { kind: 'warning_given', supersedesId: first.id }).expect(409)).body.code).toBe('RESPONSE_SUPERSEDED');
    // The court's response is not probation's to correct.
    const courts = (await record(staff.tokens.court_clerk, { kind: 'warrant_issued' }).expect(201)).body;
    await record(po, { kind: 'warning_given', supersedesId: courts.id }).expect(404);
    const list = await testApp.http.get(`/api/v1/referrals/${made.referral.id}/responses`).set(bearer(staff.tokens.admin)).expect(200);
    const byId = new Map(list.body.items.map((item: { id: string }) => [item.id, item]));
    expect(byId.get(first.id)).toMatchObject({ supersededById: fixed.id });
    expect(byId.get(fixed.id)).toMatchObject({ supersededById: null, recordedBy: { name: staff.users.probation_officer.name } });
  });

  it('answers 409 for a response on an event a correction withdrew', async () => {
    const withdrawn = await violation(testApp, staff, group, { policyId: reference.duluthPolicy.id, date: '2026-11-17' });
    await testApp.http
      .put(`/api/v1/sessions/${group.on('2026-11-17')}/attendance`)
      .set(bearer(staff.tokens.admin))
      .send({ marks: [{ enrollmentId: withdrawn.enrollmentId, status: 'present' }] })
      .expect(200);
    const [{ n }] = await testApp.dataSource.query(`SELECT count(*)::int AS n FROM compliance_events WHERE corrects_event_id = $1`, [
      withdrawn.eventId,
    ]);
    expect(n).toBe(1);
    expect(
      (await record(staff.tokens.court_clerk, { kind: 'hearing_set', date: '2026-12-09' }, withdrawn.eventId).expect(409)).body.code,
    ).toBe('EVENT_WITHDRAWN');
    await record(staff.tokens.probation_officer, { kind: 'warning_given' }, withdrawn.eventId).expect(409);
  });

  it('lets the admin and both agencies read a referral’s responses; facilitators and advocates never; others’ cases 404', async () => {
    for (const role of [Role.Admin, Role.ProbationOfficer, Role.CourtClerk]) {
      const list = await testApp.http.get(`/api/v1/referrals/${made.referral.id}/responses`).set(bearer(staff.tokens[role])).expect(200);
      const agencies = new Set(list.body.items.map((item: { agency: string }) => item.agency));
      expect({ role, agencies: [...agencies].sort() }).toEqual({ role, agencies: ['court', 'probation'] });
    }
    for (const role of [Role.Facilitator, Role.Advocate])
      await testApp.http.get(`/api/v1/referrals/${made.referral.id}/responses`).set(bearer(staff.tokens[role])).expect(403);
    await testApp.http.get(`/api/v1/referrals/${made.referral.id}/responses`).set(bearer(tokens.otherOfficer)).expect(404);
    await testApp.http.get(`/api/v1/referrals/${made.referral.id}/responses`).set(bearer(tokens.otherClerk)).expect(404);
  });

  it('puts a court outcome before the program admin at once, until a program decision answers it', async () => {
    const responses = testApp.app.get(ResponsesService);
    const man = await violation(testApp, staff, group, { policyId: reference.duluthPolicy.id, lastName: 'Okafor' });
    expect((await responses.courtOutcomesToActOn()).filter((outcome) => outcome.referralId === man.referral.id)).toEqual([]);
    await record(staff.tokens.court_clerk, { kind: 'hearing_held', outcome: 'reinstated_to_program' }, man.eventId).expect(201);
    expect((await responses.courtOutcomesToActOn()).filter((outcome) => outcome.referralId === man.referral.id)).toEqual([
      expect.objectContaining({ outcome: 'reinstated_to_program', caseNumber: man.referral.caseNumber }),
    ]);
    await testApp.http
      .post(`/api/v1/referrals/${man.referral.id}/reinstate`)
      .set(bearer(staff.tokens.admin))
      .send({ reason: 'The court reinstated him on 9 Dec' })
      .expect(200);
    expect((await responses.courtOutcomesToActOn()).filter((outcome) => outcome.referralId === man.referral.id)).toEqual([]);
  });
});
