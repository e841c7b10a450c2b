import { randomUUID } from 'node:crypto';
import { addDays } from '../../src/common/dates';
import { AuthService } from '../../src/modules/auth/auth.service';
import { IDLE_TIMEOUT_SECONDS } from '../../src/modules/auth/session-limits';
import { SESSION_COOKIE } from '../../src/modules/pages/page-session.service';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, createUser, Staff } from '../helpers/fixtures';
import { createReferral, Reference, startProgramApp, TODAY } from '../helpers/domain';
import { StatementCounter } from '../helpers/statement-counter';
import { TestApp } from '../helpers/test-app';

/**
 * The audit entry of a read of a participant's record is written by the very statement that reads
 * it (a data-modifying CTE): synchronous, atomic with the read, and no round trip of its own. So
 * the court's case lookup is one statement once the session check is cached, and a read whose
 * entry cannot be written answers nothing.
 */
describe('read audit in the same statement as the read', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let referralId: string;
  let caseNumber: string;
  const counter = new StatementCounter();

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp({ env: { SESSION_CACHE_MS: '5000' } }));
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -30) });
    referralId = referral.id;
    caseNumber = referral.caseNumber;
    counter.install();
  });
  afterAll(async () => {
    counter.uninstall();
    await testApp.close();
  });

  /** One request with its own id; answers the response and the statements sent for it. */
  async function traced(send: (requestId: string) => Promise<{ status: number; body: unknown; text: string }>) {
    const requestId = randomUUID();
    const response = await send(requestId);
    return { response, statements: counter.ofWork(requestId), requestId };
  }
  const entryOf = async (requestId: string) =>
    await testApp.dataSource.query<
      Array<{
        action: string;
        record_id: string | null;
        actor_user_id: string;
        ip_address: string | null;
        details: Record<string, unknown>;
      }>
    >(`SELECT action, record_id, actor_user_id, ip_address, details FROM audit_entries WHERE request_id = $1`, [requestId]);
  const lookup = (requestId: string) =>
    testApp.http
      .get(`/api/v1/referrals?caseNumber=${encodeURIComponent(caseNumber)}`)
      .set(bearer(staff.tokens.court_clerk))
      .set('X-Request-Id', requestId);

  it("the court's case lookup is one statement, the read and its entry", async () => {
    await lookup(randomUUID()).expect(200); // the session check is cached from here on
    const { response, statements, requestId } = await traced(lookup);
    expect(response.status).toBe(200);
    expect((response.body as { items: Array<{ id: string }> }).items.map((item) => item.id)).toEqual([referralId]);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/INSERT INTO audit_entries/);
    expect(statements[0]).toMatch(/FROM\s+referrals r/);
    const [entry] = await entryOf(requestId);
    expect(entry).toMatchObject({
      action: 'referral.list',
      actor_user_id: staff.users.court_clerk.id,
      details: { filters: expect.arrayContaining(['caseNumber']), returned: [referralId] },
    });
    expect(entry.ip_address).toBeTruthy();
  });

  it("the court's lookup is one named statement whatever the case number, so each connection plans it once", async () => {
    await lookup(randomUUID()).expect(200);
    const found = await traced(lookup);
    const missing = await traced((id) =>
      testApp.http.get('/api/v1/referrals?caseNumber=99XX-CR-00-0000').set(bearer(staff.tokens.court_clerk)).set('X-Request-Id', id),
    );
    expect(found.response.status).toBe(200);
    expect(missing.response.status).toBe(200);
    const [name] = counter.namesOf(found.requestId);
    expect(name).toMatch(/^tl_[0-9a-f]{32}$/);
    expect(counter.namesOf(missing.requestId)).toEqual([name]);
    // Still the read and its entry in that one statement, for the case found and the one not found.
    expect((await entryOf(found.requestId))[0]).toMatchObject({ action: 'referral.list', details: { returned: [referralId] } });
    expect((await entryOf(missing.requestId))[0]).toMatchObject({ action: 'referral.list', details: { returned: [] } });
    // An admin's browse by status is not prepared: its plan depends on the status asked for.
    const browse = await traced((id) =>
      testApp.http.get('/api/v1/referrals?status=active').set(bearer(staff.tokens.admin)).set('X-Request-Id', id),
    );
    expect(browse.response.status).toBe(200);
    expect(counter.namesOf(browse.requestId)[0]).toBeUndefined();
  });

  it('a lookup that finds nothing is audited as such, in the same statement', async () => {
    const { response, statements, requestId } = await traced((id) =>
      testApp.http
        .post('/api/v1/referrals/lookup')
        .set(bearer(staff.tokens.court_clerk))
        .set('X-Request-Id', id)
        .send({ caseNumber: '99XX-CR-00-0000' }),
    );
    expect(response.status).toBe(200);
    expect(statements).toHaveLength(1);
    expect((await entryOf(requestId))[0]).toMatchObject({ action: 'referral.list', details: { returned: [] } });
  });

  it.each([
    ['the referral', () => `/api/v1/referrals/${referralId}`, 'referral.read'],
    ['the caseload', () => '/api/v1/compliance/caseload', 'caseload.read'],
    ["the man's attendance", () => `/api/v1/referrals/${referralId}/attendance`, 'referral.attendance_read'],
  ])('reading %s writes its entry in the statement that reads the record, not in one of its own', async (_what, path, action) => {
    await testApp.http.get(path()).set(bearer(staff.tokens.probation_officer)).expect(200);
    const { response, statements, requestId } = await traced((id) =>
      testApp.http.get(path()).set(bearer(staff.tokens.probation_officer)).set('X-Request-Id', id),
    );
    expect(response.status).toBe(200);
    const auditing = statements.filter((sql) => /audit_entries/.test(sql));
    expect(auditing).toHaveLength(1);
    expect(auditing[0]).toMatch(/WITH audited_read AS/);
    expect(auditing[0]).toMatch(/FROM\s+(referrals r|attendance_marks m)/);
    expect((await entryOf(requestId)).map((entry) => entry.action)).toEqual([action]);
  });

  it.each([
    ["the man's notices", () => `/api/v1/notices?referralId=${referralId}`, 'notice.list', /FROM\s+notices n/],
    ['the responses to his events', () => `/api/v1/referrals/${referralId}/responses`, 'response.list', /FROM\s+event_responses er/],
  ])('reading %s writes its entry in the statement that reads them', async (_what, path, action, from) => {
    await testApp.http.get(path()).set(bearer(staff.tokens.probation_officer)).expect(200);
    const { response, statements, requestId } = await traced((id) =>
      testApp.http.get(path()).set(bearer(staff.tokens.probation_officer)).set('X-Request-Id', id),
    );
    expect(response.status).toBe(200);
    const auditing = statements.filter((sql) => /audit_entries/.test(sql));
    expect(auditing).toHaveLength(1);
    expect(auditing[0]).toMatch(/WITH audited_read AS/);
    expect(auditing[0]).toMatch(from);
    // A list that fits one page tells its own total: no count of its own.
    expect(statements.filter((sql) => /count\(\*\)/.test(sql))).toHaveLength(0);
    const entries = await entryOf(requestId);
    expect(entries.map((entry) => entry.action)).toEqual([action]);
    expect(entries[0].details).toMatchObject({ returned: [] });
  });

  /** A page session for the probation officer, as signing in starts one. */
  async function officerPageCookie(): Promise<string> {
    const officer = staff.users.probation_officer;
    const { token } = await testApp.app.get(AuthService).startSession(officer, 'page', IDLE_TIMEOUT_SECONDS, { typ: 'page' });
    return `${SESSION_COOKIE}=${token}`;
  }

  it('the referral page checks his reach once, reads his policy with his record, and audits each read of his record in the statement that reads it', async () => {
    const cookie = await officerPageCookie();
    const page = (id: string) => testApp.http.get(`/referrals/${referralId}`).set('Cookie', cookie).set('X-Request-Id', id);
    await page(randomUUID()).expect(200);
    const { response, statements, requestId } = await traced(page);
    expect(response.status).toBe(200);
    expect(response.text).toContain(caseNumber);
    // The access check, asked of the database once though four services ask it.
    expect(statements.filter((sql) => /^\s*SELECT r\.id FROM referrals r\s+WHERE r\.id = ANY/.test(sql))).toHaveLength(1);
    // His policy comes with his record's read, not in a statement of its own after it.
    expect(statements.filter((sql) => /FROM "policies"/.test(sql))).toHaveLength(0);
    expect(statements.filter((sql) => /FROM enrollments e/.test(sql))).toHaveLength(1);
    // No audit entry of its own: each is written by the statement that reads.
    expect(statements.filter((sql) => /audit_entries/.test(sql) && !/WITH audited_read AS/.test(sql))).toEqual([]);
    expect((await entryOf(requestId)).map((entry) => entry.action).sort()).toEqual(
      ['notice.list', 'referral.attendance_read', 'referral.read', 'response.list'].sort(),
    );
    // His marks read once, by the audited attendance history his compliance block is counted from;
    // his fees ledger read with its reach check in one statement, not a check and two reads.
    expect(statements.filter((sql) => /attendance_marks/.test(sql))).toHaveLength(1);
    expect(statements.filter((sql) => /FROM fee_entries f\s+LEFT JOIN sessions|referral_income_brackets/.test(sql))).toHaveLength(1);
    // His events (for "status since") read with his enrollments, in their statement.
    expect(statements.filter((sql) => /FROM compliance_events e WHERE e\.referral_id/.test(sql))).toEqual([
      expect.stringMatching(/FROM enrollments e/),
    ]);
    expect(statements.length).toBeLessThanOrEqual(8);
    // The inbox's count is sent first, beside his reads, not in turn after them.
    expect(statements[0]).toMatch(/FROM notices n WHERE \(n\.recipient_kind/);
    // Each by his id (or the officer's) whatever it is: named prepared statements, planned once per connection.
    const names = counter.namesOf(requestId);
    expect(statements.filter((sql, i) => !names[i])).toEqual([]);
    for (const name of names) expect(name).toMatch(/^tl_[0-9a-f]{32}$/);
  });

  it('the caseload page sends its audited read (its counts with it) and the inbox count, each a named prepared statement', async () => {
    const cookie = await officerPageCookie();
    const page = (id: string) => testApp.http.get('/caseload?sort=name').set('Cookie', cookie).set('X-Request-Id', id);
    await page(randomUUID()).expect(200);
    const { response, statements, requestId } = await traced(page);
    expect(response.status).toBe(200);
    expect(response.text).toContain(caseNumber);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/FROM notices n WHERE \(n\.recipient_kind/);
    expect(statements[1]).toMatch(/WITH audited_read AS .*WITH standing_counts AS/s);
    expect(counter.namesOf(requestId)).toEqual([expect.stringMatching(/^tl_/), expect.stringMatching(/^tl_/)]);
    expect((await entryOf(requestId)).map((entry) => entry.action)).toEqual(['caseload.read']);
  });

  it('the referral page of a man out of reach is the 404, and nothing of his is read or audited', async () => {
    const colleague = await createUser(testApp.dataSource, Role.ProbationOfficer, staff.probation.id);
    const other = await createReferral(testApp, staff, {
      policyId: reference.duluthPolicy.id,
      orderedOn: addDays(TODAY, -30),
      probationOfficerId: colleague.id,
    });
    const cookie = await officerPageCookie();
    const { response, statements, requestId } = await traced((id) =>
      testApp.http.get(`/referrals/${other.id}`).set('Cookie', cookie).set('X-Request-Id', id),
    );
    expect(response.status).toBe(404);
    expect(response.text).not.toContain(other.caseNumber);
    expect(statements.filter((sql) => /audit_entries|attendance_marks|notices n JOIN|event_responses/.test(sql))).toEqual([]);
    expect(await entryOf(requestId)).toEqual([]);
  });

  it('a read whose audit entry cannot be written answers nothing of the record', async () => {
    await testApp.dataSource.query(`
      CREATE FUNCTION refuse_read_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused by the test'; END $$;
      CREATE TRIGGER refuse_read_audit BEFORE INSERT ON audit_entries FOR EACH ROW
        WHEN (NEW.action IN ('referral.list', 'referral.read', 'caseload.read', 'referral.attendance_read', 'notice.list', 'response.list')) EXECUTE FUNCTION refuse_read_audit();`);
    try {
      const refused = await lookup(randomUUID());
      expect(refused.status).toBeGreaterThanOrEqual(500);
      expect(refused.text).not.toContain(caseNumber);
      const page = await testApp.http.get(`/api/v1/referrals/${referralId}`).set(bearer(staff.tokens.probation_officer));
      expect(page.status).toBeGreaterThanOrEqual(500);
      expect(page.text).not.toContain(caseNumber);
      const caseload = await testApp.http.get('/api/v1/compliance/caseload').set(bearer(staff.tokens.probation_officer));
      expect(caseload.status).toBeGreaterThanOrEqual(500);
      expect(caseload.text).not.toContain(caseNumber);
      const attendance = await testApp.http.get(`/api/v1/referrals/${referralId}/attendance`).set(bearer(staff.tokens.probation_officer));
      expect(attendance.status).toBeGreaterThanOrEqual(500);
      expect(attendance.body.attendance).toBeUndefined();
      const notices = await testApp.http.get(`/api/v1/notices?referralId=${referralId}`).set(bearer(staff.tokens.probation_officer));
      expect(notices.status).toBeGreaterThanOrEqual(500);
      expect(notices.body.items).toBeUndefined();
      const responses = await testApp.http.get(`/api/v1/referrals/${referralId}/responses`).set(bearer(staff.tokens.probation_officer));
      expect(responses.status).toBeGreaterThanOrEqual(500);
      expect(responses.body.items).toBeUndefined();
      const before = await testApp.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM audit_entries WHERE action IN ('notice.list', 'response.list')`,
      );
      const referralPage = await testApp.http.get(`/referrals/${referralId}`).set('Cookie', await officerPageCookie());
      expect(referralPage.status).toBeGreaterThanOrEqual(500);
      expect(referralPage.text).not.toContain(caseNumber);
      const after = await testApp.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM audit_entries WHERE action IN ('notice.list', 'response.list')`,
      );
      expect(after[0].n).toBe(before[0].n);
    } finally {
      await testApp.dataSource.query(`DROP TRIGGER refuse_read_audit ON audit_entries; DROP FUNCTION refuse_read_audit();`);
    }
    await lookup(randomUUID()).expect(200);
  });
});
