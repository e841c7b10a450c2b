import { addDays, addMonths } from '../../src/common/dates';
import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { bearer, createAgency, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, sessionsOf, TODAY, Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';

describe('referrals', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;

  beforeAll(async () => ({ testApp, staff, reference } = await startProgramApp()));
  afterAll(() => testApp.close());

  const admin = () => bearer(staff.tokens.admin);
  const body = (overrides: Record<string, unknown> = {}) => ({
    participant: { firstName: 'James', lastName: 'Whitfield', dateOfBirth: '1984-03-17', phone: '+1 218 555 0142', language: 'en' },
    caseNumber: `69du-cr-26-${Math.floor(Math.random() * 1e6)}`,
    courtAgencyId: staff.court.id,
    probationOfficerId: staff.users.probation_officer.id,
    policyId: reference.caPolicy.id,
    orderedOn: '2026-11-02',
    ...overrides,
  });

  it('creates the participant and the referral, deriving enroll-by and complete-by from the policy', async () => {
    const request = body();
    const response = await testApp.http.post('/api/v1/referrals').set(admin()).send(request).expect(201);
    expect(response.body).toMatchObject({
      status: 'referred',
      caseNumber: request.caseNumber.toUpperCase(),
      orderedOn: '2026-11-02',
      enrollBy: '2026-12-02', // CA: 30 days
      completeBy: '2028-05-02', // CA: 18 months
      participantMatched: false,
      participant: { firstName: 'James', lastName: 'Whitfield', dateOfBirth: '1984-03-17' },
      policy: { key: 'ca-pc-1203-097', version: 1, requiredSessions: 52 },
      compliance: { sessionsRequired: 52, sessionsAttended: 0, absences: 0, unexcusedAbsences: 0, consecutiveAbsences: 0 },
    });
    const [audit] = await testApp.dataSource.query(
      `SELECT actor_user_id FROM audit_entries WHERE action = 'referral.create' AND record_id = $1`,
      [response.body.id],
    );
    expect(audit.actor_user_id).toBe(staff.users.admin.id);
  });

  it('reuses the participant matched by name and date of birth and says so', async () => {
    const first = await testApp.http
      .post('/api/v1/referrals')
      .set(admin())
      .send(body({ participant: { firstName: 'Rory', lastName: 'Dunn', dateOfBirth: '1990-01-05' } }))
      .expect(201);
    const second = await testApp.http
      .post('/api/v1/referrals')
      .set(admin())
      .send(
        body({ participant: { firstName: ' rory ', lastName: 'DUNN', dateOfBirth: '1990-01-05' }, policyId: reference.duluthPolicy.id }),
      )
      .expect(201);
    expect(second.body.participantMatched).toBe(true);
    expect(second.body.participant.id).toBe(first.body.participant.id);
    const other = await testApp.http
      .post('/api/v1/referrals')
      .set(admin())
      .send(body({ participant: { firstName: 'Rory', lastName: 'Dunn', dateOfBirth: '1990-01-06' } }))
      .expect(201);
    expect(other.body.participantMatched).toBe(false);
  });

  it('answers 409 for a case number the same court already referred, and nothing is written', async () => {
    const request = body();
    await testApp.http.post('/api/v1/referrals').set(admin()).send(request).expect(201);
    const [{ before }] = await testApp.dataSource.query(`SELECT count(*)::int AS before FROM participants`);
    const duplicate = await testApp.http
      .post('/api/v1/referrals')
      .set(admin())
      .send({ ...request, participant: { firstName: 'Someone', lastName: 'Else', dateOfBirth: '1980-01-01' } })
      .expect(409);
    expect(duplicate.body.code).toBe('CASE_NUMBER_TAKEN');
    const [{ after }] = await testApp.dataSource.query(`SELECT count(*)::int AS after FROM participants`);
    expect(after).toBe(before);
  });

  it('accepts the same case number from another court', async () => {
    const otherCourt = await createAgency(testApp.dataSource, AgencyKind.Court);
    const request = body();
    await testApp.http.post('/api/v1/referrals').set(admin()).send(request).expect(201);
    await testApp.http
      .post('/api/v1/referrals')
      .set(admin())
      .send({ ...request, courtAgencyId: otherCourt.id })
      .expect(201);
  });

  it('answers 409 to two identical intakes racing, creating exactly one referral', async () => {
    const request = body();
    const results = await Promise.all([1, 2, 3].map(() => testApp.http.post('/api/v1/referrals').set(admin()).send(request)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const [{ count }] = await testApp.dataSource.query(`SELECT count(*)::int AS count FROM referrals WHERE case_number = $1`, [
      request.caseNumber.toUpperCase(),
    ]);
    expect(count).toBe(1);
  });

  it('gives field-level messages for a bad referral body', async () => {
    const response = await testApp.http
      .post('/api/v1/referrals')
      .set(admin())
      .send({
        participant: { firstName: '', dateOfBirth: '17/03/1984', email: 'x' },
        caseNumber: '!',
        courtAgencyId: 'court',
        policyId: 1,
        orderedOn: 'yesterday',
        judge: 'X',
      })
      .expect(400);
    expect(response.body.fields).toEqual({
      judge: ['judge is not an allowed field'],
      'participant.firstName': ['firstName must be longer than or equal to 1 characters'],
      'participant.lastName': ['lastName must be longer than or equal to 1 characters', 'lastName must be a string'],
      'participant.dateOfBirth': ['dateOfBirth must be a date written YYYY-MM-DD'],
      'participant.email': ['participant.email must be an e-mail address'],
      caseNumber: ['caseNumber must be 3-60 letters, digits and - . / _'],
      courtAgencyId: ['courtAgencyId must be a UUID'],
      probationOfficerId: ['probationOfficerId must be a UUID'],
      policyId: ['policyId must be a UUID'],
      orderedOn: ['orderedOn must be a date written YYYY-MM-DD'],
    });
  });

  it('answers 400, never 500, to a NUL character or a list where the participant belongs', async () => {
    const list = await testApp.http
      .post('/api/v1/referrals')
      .set(admin())
      .send(body({ participant: [] }))
      .expect(400);
    expect(list.body.fields.participant).toEqual(['participant must be an object']);
    const nul = await testApp.http
      .post('/api/v1/referrals')
      .set(admin())
      .send(body({ participant: { firstName: 'Le\u0000ak', lastName: 'Secretname', dateOfBirth: '1990-01-02' } }))
      .expect(400);
    // Refused before it reaches the database, naming the field.
    expect(nul.body.code).toBe('VALIDATION_FAILED');
    expect(nul.body.fields['participant.firstName']).toEqual(['participant.firstName must not contain a NUL character']);
    const [{ count }] = await testApp.dataSource.query(`SELECT count(*)::int AS count FROM participants WHERE last_name = 'Secretname'`);
    expect(count).toBe(0);
  });

  it('answers 422 when the references are wrong kinds or the order is dated in the future', async () => {
    const wrong = await testApp.http
      .post('/api/v1/referrals')
      .set(admin())
      .send(body({ courtAgencyId: staff.probation.id, probationOfficerId: staff.users.court_clerk.id }))
      .expect(422);
    expect(wrong.body.details.fields).toEqual({
      courtAgencyId: ['courtAgencyId must name a court'],
      probationOfficerId: ['probationOfficerId must name an active probation officer'],
    });
    const future = await testApp.http
      .post('/api/v1/referrals')
      .set(admin())
      .send(body({ orderedOn: addDays(TODAY, 1) }))
      .expect(422);
    expect(future.body.details.fields.orderedOn).toEqual(['orderedOn cannot be in the future']);
  });

  it('refuses an order date that cannot be right: a century ago, or before he was 14', async () => {
    const ancient = await testApp.http
      .post('/api/v1/referrals')
      .set(admin())
      .send(body({ orderedOn: '1900-01-01' }))
      .expect(422);
    expect(ancient.body.details.fields.orderedOn).toEqual(['orderedOn is more than five years ago; check the date']);
    const young = await testApp.http
      .post('/api/v1/referrals')
      .set(admin())
      .send(body({ orderedOn: '2024-01-01', participant: { firstName: 'Young', lastName: 'Man', dateOfBirth: '2011-06-01' } }))
      .expect(422);
    expect(young.body.details.fields.orderedOn).toEqual(['orderedOn is before he was 14; check the dates']);
  });

  it('lists referrals with filters and pagination', async () => {
    const caseNumber = `FILTER-${Date.now()}`;
    await testApp.http.post('/api/v1/referrals').set(admin()).send(body({ caseNumber })).expect(201);
    const byCase = await testApp.http.get(`/api/v1/referrals?caseNumber=${caseNumber.toLowerCase()}`).set(admin()).expect(200);
    expect(byCase.body.total).toBe(1);
    expect(byCase.body.items[0].caseNumber).toBe(caseNumber);

    const page = await testApp.http.get('/api/v1/referrals?status=referred&limit=2&offset=1').set(admin()).expect(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThan(3);
    const byOfficer = await testApp.http
      .get(`/api/v1/referrals?probationOfficerId=${staff.users.probation_officer.id}&limit=1`)
      .set(admin())
      .expect(200);
    expect(byOfficer.body.total).toBe(page.body.total);
    const bad = await testApp.http.get('/api/v1/referrals?status=asleep&probationOfficerId=x').set(admin()).expect(400);
    expect(bad.body.fields).toEqual({
      status: ['status must be one of: referred, failed_to_enroll, active, non_compliant, completed, terminated, closed'],
      probationOfficerId: ['probationOfficerId must be a UUID'],
    });
  });

  describe('life cycle', () => {
    async function activeReferral(policyId = reference.duluthPolicy.id) {
      const group = await createGroup(testApp, staff, {
        curriculumId: reference.duluth.id,
        facilitatorIds: [staff.users.facilitator.id],
        startsOn: addDays(TODAY, -400 + 3),
        capacity: 30,
      });
      const referral = await createReferral(testApp, staff, { policyId, orderedOn: addDays(TODAY, -400) });
      const sessions = (await sessionsOf(testApp, staff, group.id, addDays(TODAY, -399), TODAY)).filter((s) => s.date <= TODAY);
      const { enrollment } = await enroll(testApp, staff, referral.id, group.id, sessions[0].date);
      return { referral, sessions, enrollment };
    }

    it('refuses completion with 422 and every unmet requirement while sessions are missing', async () => {
      const { referral } = await activeReferral();
      const response = await testApp.http.post(`/api/v1/referrals/${referral.id}/complete`).set(admin()).expect(422);
      expect(response.body.code).toBe('REQUIREMENTS_UNMET');
      expect(response.body.details.reasons).toEqual(['0 of 24 required sessions attended']);
    });

    it('completes once the required sessions are attended, ending the enrollment', async () => {
      const { referral, sessions, enrollment } = await activeReferral();
      for (const session of sessions.slice(0, 24)) {
        await testApp.http
          .put(`/api/v1/sessions/${session.id}/attendance`)
          .set(admin())
          .send({ marks: [{ enrollmentId: enrollment.id, status: 'present' }] })
          .expect(200);
      }
      const response = await testApp.http.post(`/api/v1/referrals/${referral.id}/complete`).set(admin()).expect(200);
      expect(response.body).toMatchObject({ status: 'completed', compliance: { sessionsAttended: 24 } });
      expect(response.body.enrollments[0].endDate).toBe(TODAY);
      const again = await testApp.http.post(`/api/v1/referrals/${referral.id}/complete`).set(admin()).expect(422);
      expect(again.body.details.reasons).toEqual(['the referral is completed, not active']);
    });

    it('requires fees where the policy says so', async () => {
      const { referral, sessions, enrollment } = await activeReferral(reference.caPolicy.id);
      for (const session of sessions.slice(0, 52)) {
        await testApp.http
          .put(`/api/v1/sessions/${session.id}/attendance`)
          .set(admin())
          .send({ marks: [{ enrollmentId: enrollment.id, status: 'late' }] })
          .expect(200);
      }
      // The program's fee, entered on the ledger (this preset charges nothing per session).
      await testApp.http
        .post(`/api/v1/referrals/${referral.id}/fees/adjustments`)
        .set(admin())
        .send({ amountCents: 5000, reason: 'Program fee' })
        .expect(201);
      const unpaid = await testApp.http.post(`/api/v1/referrals/${referral.id}/complete`).set(admin()).expect(422);
      expect(unpaid.body.details.reasons).toEqual(['program fees are not paid: $50.00 owed']);
      // The old checkbox cannot declare fees paid: the ledger does.
      await testApp.http.post(`/api/v1/referrals/${referral.id}/fees`).set(admin()).send({ paid: true }).expect(409);
      await testApp.http
        .post(`/api/v1/referrals/${referral.id}/fees/payments`)
        .set(admin())
        .send({ amountCents: 5000, method: 'cash' })
        .expect(201);
      await testApp.http.post(`/api/v1/referrals/${referral.id}/complete`).set(admin()).expect(200);
    });

    it('terminates an active referral with a reason and audits the change; a referred one cannot be terminated', async () => {
      const { referral } = await activeReferral();
      await testApp.http.post(`/api/v1/referrals/${referral.id}/terminate`).set(admin()).send({}).expect(400);
      const response = await testApp.http
        .post(`/api/v1/referrals/${referral.id}/terminate`)
        .set(admin())
        .send({ reason: 'Removed twice for threats' })
        .expect(200);
      expect(response.body).toMatchObject({ status: 'terminated', statusReason: 'Removed twice for threats' });
      const [audit] = await testApp.dataSource.query(
        `SELECT details FROM audit_entries WHERE action = 'referral.status_change' AND record_id = $1 ORDER BY id DESC LIMIT 1`,
        [referral.id],
      );
      expect(audit.details).toEqual({ from: 'active', to: 'terminated', reasonGiven: true });

      const referred = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id });
      const illegal = await testApp.http
        .post(`/api/v1/referrals/${referred.id}/terminate`)
        .set(admin())
        .send({ reason: 'Never came' })
        .expect(422);
      expect(illegal.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', details: { from: 'referred', to: 'terminated' } });
    });

    it('closes any open referral with a reason, but not a closed one', async () => {
      const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id });
      await testApp.http
        .post(`/api/v1/referrals/${referral.id}/close`)
        .set(admin())
        .send({ reason: 'Transferred to another county' })
        .expect(200);
      const again = await testApp.http.post(`/api/v1/referrals/${referral.id}/close`).set(admin()).send({ reason: 'Again' }).expect(422);
      expect(again.body.code).toBe('ILLEGAL_TRANSITION');
    });
  });

  it('derives complete-by at the end of a shorter month', () => {
    expect(addMonths('2026-08-31', 18)).toBe('2028-02-29');
  });
});
