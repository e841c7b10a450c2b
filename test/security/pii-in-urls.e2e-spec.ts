import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, createAgency, createUser, Staff } from '../helpers/fixtures';
import { createReferral, Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';

/**
 * Case numbers identify a man in court records: they belong in bodies, not in addresses, which
 * browsers keep in history and servers and proxies write to their logs.
 */
describe('case numbers out of URLs and logs', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  const OWN_CASE = 'CR-26-PRIVACY-4711';
  const OTHER_CASE = 'CR-26-PRIVACY-9922';
  let ownId: string;

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    ownId = (await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, caseNumber: OWN_CASE })).id;
    const otherCourt = await createAgency(testApp.dataSource, AgencyKind.Court);
    const otherPo = await createUser(testApp.dataSource, Role.ProbationOfficer, staff.probation.id);
    await createReferral(testApp, staff, {
      policyId: reference.duluthPolicy.id,
      caseNumber: OTHER_CASE,
      courtAgencyId: otherCourt.id,
      probationOfficerId: otherPo.id,
    });
  });
  afterAll(() => testApp.close());

  describe('POST /api/v1/referrals/lookup', () => {
    it.each([Role.Admin, Role.ProbationOfficer, Role.CourtClerk])(
      'answers the %s exactly as GET ?caseNumber= does, for a case in scope',
      async (role) => {
        const viaQuery = await testApp.http.get(`/api/v1/referrals?caseNumber=${OWN_CASE}`).set(bearer(staff.tokens[role])).expect(200);
        const viaBody = await testApp.http
          .post('/api/v1/referrals/lookup')
          .set(bearer(staff.tokens[role]))
          .send({ caseNumber: ` ${OWN_CASE.toLowerCase()} ` })
          .expect(200);
        expect(viaBody.body).toEqual(viaQuery.body);
        expect(viaBody.body.total).toBe(1);
        expect(viaBody.body.items[0].id).toBe(ownId);
      },
    );

    it.each([Role.ProbationOfficer, Role.CourtClerk])(
      'finds nothing for the %s when the case is another court’s or caseload’s, as the GET does',
      async (role) => {
        const viaQuery = await testApp.http.get(`/api/v1/referrals?caseNumber=${OTHER_CASE}`).set(bearer(staff.tokens[role])).expect(200);
        const viaBody = await testApp.http
          .post('/api/v1/referrals/lookup')
          .set(bearer(staff.tokens[role]))
          .send({ caseNumber: OTHER_CASE })
          .expect(200);
        expect(viaBody.body).toEqual({ items: [], total: 0 });
        expect(viaQuery.body).toEqual({ items: [], total: 0 });
      },
    );

    it('refuses the roles the GET refuses, and anyone without a token', async () => {
      for (const role of [Role.Facilitator, Role.Advocate]) {
        await testApp.http.post('/api/v1/referrals/lookup').set(bearer(staff.tokens[role])).send({ caseNumber: OWN_CASE }).expect(403);
      }
      await testApp.http.post('/api/v1/referrals/lookup').send({ caseNumber: OWN_CASE }).expect(401);
    });

    it('answers a missing, empty or over-long case number, or an extra field, with 400 per field', async () => {
      const post = (body: object) =>
        testApp.http.post('/api/v1/referrals/lookup').set(bearer(staff.tokens.court_clerk)).send(body).expect(400);
      expect((await post({})).body.fields.caseNumber).toEqual([
        'caseNumber must be shorter than or equal to 60 characters',
        'caseNumber is required',
        'caseNumber must be a string',
      ]);
      expect((await post({ caseNumber: '   ' })).body.fields.caseNumber).toEqual(['caseNumber is required']);
      expect((await post({ caseNumber: 'X'.repeat(61) })).body.fields.caseNumber).toEqual([
        'caseNumber must be shorter than or equal to 60 characters',
      ]);
      expect((await post({ caseNumber: OWN_CASE, courtAgencyId: staff.court.id })).body.fields.courtAgencyId).toEqual([
        'courtAgencyId is not an allowed field',
      ]);
    });
  });

  it('never writes a query string’s values to the request log, on success or error', async () => {
    const marker = 'CR-26-LOGGED-5150';
    testApp.logs.length = 0;
    const ok = await testApp.http.get(`/api/v1/referrals?caseNumber=${marker}&limit=5`).set(bearer(staff.tokens.admin)).expect(200);
    const bad = await testApp.http
      .get(`/api/v1/referrals?caseNumber=${marker}&status=nonsense`)
      .set(bearer(staff.tokens.admin))
      .expect(400);
    const unauthenticated = await testApp.http.get(`/api/v1/referrals?caseNumber=${marker}`).expect(401);
    const page = await testApp.http.get(`/lookup?caseNumber=${marker}`);
    await testApp.http.post('/api/v1/referrals/lookup').set(bearer(staff.tokens.admin)).send({ caseNumber: marker }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const output = testApp.logs.join('');
    // The control: the requests were logged, with their ids and paths.
    for (const response of [ok, bad, unauthenticated, page]) expect(output).toContain(response.headers['x-request-id']);
    expect(output).toContain('"path":"/api/v1/referrals"');
    expect(output).toContain('"path":"/lookup"');
    // And the case number is nowhere, neither plain nor URL-encoded.
    expect(output).not.toContain(marker);
    expect(output).not.toContain(encodeURIComponent(marker));
    expect(output).not.toContain('caseNumber=');
  });
});
