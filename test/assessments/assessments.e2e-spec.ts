import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { Policy } from '../../src/modules/policies/policy.entity';
import { Role } from '../../src/common/auth/role.enum';
import { createGroup, createReferral, enroll, Reference, sessionsOf, startProgramApp } from '../helpers/domain';
import { bearer, createAgency, createUser, signIn, Staff } from '../helpers/fixtures';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { pageSession } from '../security/security-fixtures';

import { assessmentBody, WASHINGTON_FACTORS as FACTORS } from './assessment-helpers';

/** Intake assessment and levels: the routes, their validation, their scope, and the level-change notice. */
describe('intake assessments and levels', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let washington: Policy;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    washington = reference.policies.find((policy) => policy.key === 'wa-wac-388-60b')!;
  });
  afterAll(async () => testApp.close());

  const as = (role: Role) => bearer(staff.tokens[role]);
  const assess = (referralId: string, body: unknown, role = Role.Admin) =>
    testApp.http
      .post(`/api/v1/referrals/${referralId}/assessments`)
      .set(as(role))
      .send(body as object);
  const referralRow = async (id: string) =>
    (
      await testApp.dataSource.query<Array<Record<string, unknown>>>(
        `SELECT required_sessions, complete_within_months, level_key, complete_by::text AS complete_by FROM referrals WHERE id = $1`,
        [id],
      )
    )[0];

  it('seeds the Washington preset with its four levels and factors, citing the code', async () => {
    expect(washington.levels.map((level) => `${level.key}:${level.requiredSessions}/${level.completeWithinMonths}`)).toEqual([
      '1:26/6',
      '2:39/9',
      '3:52/12',
      '4:78/18',
    ]);
    expect(washington.assessmentFactors).toEqual(FACTORS);
    expect(washington.source).toContain('WAC 388-60B-0420');
    const { body } = await testApp.http.get(`/api/v1/policies/${washington.id}`).set(as(Role.Facilitator)).expect(200);
    expect(body.levels).toHaveLength(4);
  });

  it('sets the order’s sessions and complete-by from the level, and keeps the history', async () => {
    const referral = await createReferral(testApp, staff, { policyId: washington.id, orderedOn: '2026-11-16' });
    // Before an assessment the order carries the policy's own figures.
    expect(await referralRow(referral.id)).toEqual({
      required_sessions: 78,
      complete_within_months: 18,
      level_key: null,
      complete_by: '2028-05-16',
    });
    const first = await assess(referral.id, assessmentBody('2')).expect(201);
    expect(first.body).toMatchObject({
      levelKey: '2',
      levelName: 'Level 2',
      requiredSessions: 39,
      completeWithinMonths: 9,
      assessedBy: 'J. Ortiz, MSW',
      supersedesId: null,
      recordedBy: staff.users.admin.name,
    });
    expect(first.body.factors[2]).toEqual({ factor: 'Legal history', present: true, note: 'two prior convictions' });
    expect(await referralRow(referral.id)).toEqual({
      required_sessions: 39,
      complete_within_months: 9,
      level_key: '2',
      complete_by: '2027-08-16',
    });
    const view = await testApp.http.get(`/api/v1/referrals/${referral.id}`).set(as(Role.Admin)).expect(200);
    expect(view.body).toMatchObject({ levelKey: '2', requiredSessions: 39, completeBy: '2027-08-16' });
    expect(view.body.compliance.sessionsRequired).toBe(39);
    // The first assessment is no level change: nothing told yet.
    expect(
      await testApp.dataSource.query(`SELECT 1 FROM compliance_events WHERE referral_id = $1 AND kind = 'level_changed'`, [referral.id]),
    ).toHaveLength(0);

    const second = await assess(referral.id, assessmentBody('3', { reason: 'New information: a second protection order' })).expect(201);
    expect(second.body).toMatchObject({ levelKey: '3', supersedesId: first.body.id });
    const history = await testApp.http.get(`/api/v1/referrals/${referral.id}/assessments`).set(as(Role.Admin)).expect(200);
    expect(history.body.total).toBe(2);
    expect(history.body.items.map((item: { levelKey: string; superseded: boolean }) => [item.levelKey, item.superseded])).toEqual([
      ['3', false],
      ['2', true],
    ]);
    // Append-only: the database refuses to change an assessment.
    await expect(testApp.dataSource.query(`UPDATE referral_assessments SET reason = 'x' WHERE id = $1`, [first.body.id])).rejects.toThrow(
      /append-only/,
    );
    const audit = await testApp.dataSource.query(
      `SELECT details FROM audit_entries WHERE action = 'referral.assessment' AND record_id = $1`,
      [referral.id],
    );
    expect(audit).toHaveLength(2);
  });

  it('tells probation and the court of a change of level, by e-mail through the outbox', async () => {
    const referral = await createReferral(testApp, staff, { policyId: washington.id, orderedOn: '2026-11-16' });
    await assess(referral.id, assessmentBody('1')).expect(201);
    await assess(referral.id, assessmentBody('4', { reason: 'Violence during the program reported by probation' })).expect(201);
    const notices = await testApp.dataSource.query<Array<{ id: string; recipient_kind: string; facts: Record<string, unknown> }>>(
      `SELECT n.id, n.recipient_kind::text AS recipient_kind, e.facts FROM notices n JOIN compliance_events e ON e.id = n.event_id
        WHERE e.referral_id = $1 AND e.kind = 'level_changed' ORDER BY n.recipient_kind`,
      [referral.id],
    );
    expect(notices.map((notice) => notice.recipient_kind).sort()).toEqual(['court', 'probation_officer']);
    expect(notices[0].facts).toMatchObject({
      fromLevel: 'Level 1',
      toLevel: 'Level 4',
      sessionsRequired: 78,
      levelCompleteBy: '2028-05-16',
    });
    await waitFor(
      async () => {
        const rows = await testApp.dataSource.query<Array<{ status: string }>>(`SELECT status FROM notices WHERE id = ANY($1::uuid[])`, [
          notices.map((notice) => notice.id),
        ]);
        return rows.every((row) => row.status === 'sent');
      },
      { what: 'the level-change notices sent', timeoutMs: 30_000 },
    );
    for (const notice of notices) {
      const mails = testApp.smtp.received.filter((mail) => mail.messageId?.startsWith(`<${notice.id}@`));
      expect(mails).toHaveLength(1);
      const text = mails[0].raw.replace(/=\r?\n/g, '');
      expect(text).toContain('Program level changed');
      expect(text).toContain('places');
      expect(text).toContain('Violence during the program reported by probation');
    }
    const recipients = testApp.smtp.received
      .filter((mail) => notices.some((notice) => mail.messageId?.startsWith(`<${notice.id}@`)))
      .flatMap((mail) => mail.to);
    expect(recipients).toEqual(expect.arrayContaining([staff.users.probation_officer.email, staff.court.noticeEmail]));
    // The letter says it in the court's words.
    const letter = await testApp.http
      .get(`/api/v1/notices/${notices[0].id}/letter.pdf`)
      .set(as(Role.Admin))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const dir = mkdtempSync(join(tmpdir(), 'level-letter-'));
    writeFileSync(join(dir, 'letter.pdf'), letter.body as Buffer);
    const words = execFileSync('pdftotext', ['-layout', join(dir, 'letter.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(words).toContain('A new assessment places');
    expect(words).toContain('at Level 4 (was Level 1): 78 sessions, to be completed by');
    expect(words).toContain('Level before Level 1');
    expect(words.match(/Complete by/g)).toHaveLength(1);
    // The same level again is no change: no further event.
    await assess(referral.id, assessmentBody('4', { reason: 'Reviewed at three months' })).expect(201);
    expect(
      await testApp.dataSource.query(`SELECT 1 FROM compliance_events WHERE referral_id = $1 AND kind = 'level_changed'`, [referral.id]),
    ).toHaveLength(1);
  });

  it('answers bad input with a message per field, and writes nothing', async () => {
    const referral = await createReferral(testApp, staff, { policyId: washington.id, orderedOn: '2026-11-16' });
    const shape = await assess(referral.id, { levelKey: '', assessedOn: '20-11-2026', assessedBy: 'J', factors: 'none' }).expect(400);
    expect(shape.body.fields).toEqual({
      levelKey: ['levelKey is required: the level chosen from the policy'],
      assessedOn: ['assessedOn must be a date written YYYY-MM-DD'],
      assessedBy: ['assessedBy must be 2-200 characters: the name of who assessed him'],
      reason: ['reason must be at most 2000 characters', 'reason is required: why this level', 'reason must be text'],
      factors: [
        'each factor must be an object',
        'factors must not answer a factor twice',
        'factors must contain no more than 30 elements',
        'factors must be a list',
        'each value in nested property factors must be either object or array',
      ],
    });
    expect(shape.body.fields.assessedOn).toEqual(['assessedOn must be a date written YYYY-MM-DD']);
    const wrongLevel = await assess(referral.id, assessmentBody('5')).expect(422);
    expect(wrongLevel.body.details.fields.levelKey).toEqual(['levelKey must be one of the policy’s levels: 1, 2, 3, 4']);
    const future = await assess(referral.id, assessmentBody('1', { assessedOn: '2026-12-25' })).expect(422);
    expect(future.body.details.fields.assessedOn).toEqual(['assessedOn cannot be in the future']);
    const missing = await assess(
      referral.id,
      assessmentBody('1', {
        factors: [
          { factor: 'Legal history', present: true },
          { factor: 'Astrology', present: false },
        ],
      }),
    ).expect(422);
    expect(missing.body.details.fields['factors.1.factor']).toEqual(['"Astrology" is not one of the policy’s assessment factors']);
    expect(missing.body.details.fields.factors[0]).toContain('missing: Behavioral assessment and screening interview');
    const unanswered = await assess(referral.id, assessmentBody('1', { factors: FACTORS.map((factor) => ({ factor })) })).expect(422);
    expect(unanswered.body.details.fields['factors.0']).toEqual([
      'Behavioral assessment and screening interview: answer yes or no, or write a note',
    ]);
    // A policy without levels keeps its one length.
    const duluth = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id });
    const none = await assess(duluth.id, assessmentBody('1')).expect(422);
    expect(none.body.details.fields.levelKey).toEqual(['this order’s policy has no levels: its length is fixed']);
    expect(
      await testApp.dataSource.query(`SELECT 1 FROM referral_assessments WHERE referral_id = ANY($1::uuid[])`, [[referral.id, duluth.id]]),
    ).toHaveLength(0);
    expect(await referralRow(referral.id)).toMatchObject({ level_key: null, required_sessions: 78 });
  });

  it('lets probation and the court read the level, date and reason of their own cases only; the coordinator as the court; the facilitator and advocate none', async () => {
    const referral = await createReferral(testApp, staff, { policyId: washington.id, orderedOn: '2026-11-16' });
    await assess(referral.id, assessmentBody('3')).expect(201);
    for (const role of [Role.ProbationOfficer, Role.CourtClerk, Role.Coordinator]) {
      const { body } = await testApp.http.get(`/api/v1/referrals/${referral.id}/assessments`).set(as(role)).expect(200);
      expect(Object.keys(body.items[0]).sort()).toEqual([
        'assessedOn',
        'completeWithinMonths',
        'id',
        'levelKey',
        'levelName',
        'reason',
        'requiredSessions',
        'superseded',
      ]);
    }
    for (const role of [Role.Facilitator, Role.Advocate]) {
      await testApp.http.get(`/api/v1/referrals/${referral.id}/assessments`).set(as(role)).expect(403);
    }
    for (const role of [Role.ProbationOfficer, Role.CourtClerk, Role.Facilitator])
      await assess(referral.id, assessmentBody('1'), role).expect(403);
    // Another officer, another court: as if it did not exist.
    const otherOfficer = await createUser(testApp.dataSource, Role.ProbationOfficer, staff.probation.id);
    const otherCourt = await createAgency(testApp.dataSource, AgencyKind.Court);
    const otherClerk = await createUser(testApp.dataSource, Role.CourtClerk, otherCourt.id);
    for (const user of [otherOfficer, otherClerk]) {
      const token = await signIn(testApp, user.email);
      await testApp.http.get(`/api/v1/referrals/${referral.id}/assessments`).set(bearer(token)).expect(404);
    }
    await assess('00000000-0000-4000-8000-000000000000', assessmentBody('1')).expect(404);

    // The facilitator sees the level on his roster, and nothing else of the assessment.
    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 2,
      startsOn: '2026-11-03',
    });
    const { enrollment } = await enroll(testApp, staff, referral.id, group.id, '2026-11-17');
    const session = (await sessionsOf(testApp, staff, group.id, '2026-11-17', '2026-11-17'))[0];
    const roster = await testApp.http.get(`/api/v1/sessions/${session.id}/roster`).set(as(Role.Facilitator)).expect(200);
    const entry = roster.body.entries.find((candidate: { enrollmentId: string }) => candidate.enrollmentId === enrollment.id);
    expect(entry).toMatchObject({ level: '3', standing: { sessionsRequired: 52 } });
    expect(JSON.stringify(roster.body)).not.toContain('moderate risk');
    expect(JSON.stringify(roster.body)).not.toContain('J. Ortiz');
  });

  it('refuses a policy version whose level cannot be finished in its months, naming the level', async () => {
    const { key, version, id, createdAt, createdById, isCurrent, noticeRecipients, ...fields } = washington;
    const body = {
      ...fields,
      source: fields.source ?? undefined,
      progressReportDayOfMonth: undefined,
      key: 'wa-test',
      name: 'Washington test',
      levels: [...washington.levels, { key: '5', name: 'Level 5', requiredSessions: 60, completeWithinMonths: 12 }],
    };
    const refused = await testApp.http.post('/api/v1/policies').set(as(Role.Admin)).send(body).expect(422);
    expect(refused.body.details.fields['levels.4.requiredSessions'][0]).toContain(
      'level 5: 60 sessions cannot be finished at one a week within 12 months',
    );
    const badShape = await testApp.http
      .post('/api/v1/policies')
      .set(as(Role.Admin))
      .send({
        ...body,
        levels: [
          { key: '1', name: 'A', requiredSessions: 0, completeWithinMonths: 6 },
          { key: '1', name: 'B', requiredSessions: 10, completeWithinMonths: 6 },
        ],
      })
      .expect(400);
    expect(badShape.body.fields.levels).toEqual(['levels must not use a key twice']);
    expect(badShape.body.fields['levels.0.requiredSessions']).toEqual(['requiredSessions must not be less than 1']);
    const made = await testApp.http
      .post('/api/v1/policies')
      .set(as(Role.Admin))
      .send({ ...body, levels: washington.levels })
      .expect(201);
    expect(made.body.levels).toHaveLength(4);
  });

  it('shows the levels on the policy page and their range at intake, and keeps them through an edit of the version on the settings page', async () => {
    const cookie = await pageSession(testApp, staff.users.admin.email);
    const policyPage = await testApp.http.get(`/admin/policies/${washington.id}`).set('Cookie', cookie).expect(200);
    expect(policyPage.text).toContain('Level 3: 52 sessions, 12 months');
    expect(policyPage.text).toContain('Behavioral assessment and screening interview');
    const intake = await testApp.http.get('/intake').set('Cookie', cookie).expect(200);
    expect(intake.text).toContain('4 levels, 26–78 sessions by assessment');
    // The settings form does not speak of levels: a new version made from it keeps them.
    const { key, version, id, createdAt, createdById, isCurrent, noticeRecipients, levels, assessmentFactors, ...fields } = washington;
    const next = await testApp.http
      .put(`/api/v1/policies/${id}`)
      .set(as(Role.Admin))
      .send({ ...fields, source: fields.source ?? undefined, progressReportDayOfMonth: undefined, maxAbsences: 4 })
      .expect(200);
    expect(next.body).toMatchObject({ version: 2, maxAbsences: 4 });
    expect(next.body.levels).toEqual(washington.levels);
    expect(next.body.assessmentFactors).toEqual(washington.assessmentFactors);
  });
});
