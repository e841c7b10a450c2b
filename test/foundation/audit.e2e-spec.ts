import { bearer, createStaff, Staff } from '../helpers/fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';

interface AuditRow {
  id: string;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_role: string | null;
  action: string;
  record_type: string;
  record_id: string | null;
  ip_address: string | null;
  request_id: string | null;
  details: Record<string, unknown> | null;
}

describe('audit log', () => {
  let testApp: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    testApp = await startTestApp();
    staff = await createStaff(testApp);
  });
  afterAll(() => testApp.close());

  const entriesFor = (action: string, recordId?: string): Promise<AuditRow[]> =>
    testApp.dataSource.query(`SELECT * FROM audit_entries WHERE action = $1 AND ($2::text IS NULL OR record_id = $2) ORDER BY id`, [
      action,
      recordId ?? null,
    ]);

  it('records who created an agency, from where and in which request', async () => {
    const response = await testApp.http
      .post('/api/v1/agencies')
      .set(bearer(staff.tokens.admin))
      .send({ name: 'Audited County Court', kind: 'court', noticeEmail: 'clerk@audited.example.gov' })
      .expect(201);
    const requestId = response.headers['x-request-id'];
    expect(requestId).toBeTruthy();

    const entries = await entriesFor('agency.create', response.body.id);
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatchObject({
      actor_user_id: staff.users.admin.id,
      actor_role: 'admin',
      action: 'agency.create',
      record_type: 'agency',
      record_id: response.body.id,
      request_id: requestId,
    });
    expect(entry.ip_address).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
    expect(entry.details).toEqual({ kind: 'court', fields: expect.arrayContaining(['name', 'kind', 'noticeEmail']) });
    expect(Date.now() - new Date(entry.occurred_at).getTime()).toBeLessThan(60_000);
  });

  it('keeps a sane incoming X-Request-Id so a change can be traced across services', async () => {
    const response = await testApp.http
      .post('/api/v1/agencies')
      .set(bearer(staff.tokens.admin))
      .set('X-Request-Id', 'gateway-trace-42')
      .send({ name: 'Traced Advocacy Org', kind: 'advocacy' })
      .expect(201);
    expect(response.headers['x-request-id']).toBe('gateway-trace-42');
    const [entry] = await entriesFor('agency.create', response.body.id);
    expect(entry.request_id).toBe('gateway-trace-42');
  });

  it('writes nothing when the change is refused', async () => {
    const before = await entriesFor('agency.create');
    await testApp.http.post('/api/v1/agencies').set(bearer(staff.tokens.admin)).send({ name: 'Silent Court', kind: 'court' }).expect(422);
    expect(await entriesFor('agency.create')).toHaveLength(before.length);
  });

  it('records a failed login, for an unknown e-mail and for a wrong password, without the password', async () => {
    const unknown = await testApp.http
      .post('/api/v1/auth/login')
      .send({ email: 'ghost@nowhere.test', password: 'guessed password one' })
      .expect(401);
    const wrong = await testApp.http
      .post('/api/v1/auth/login')
      .send({ email: staff.users.facilitator.email, password: 'guessed password two' })
      .expect(401);

    const failures = await entriesFor('auth.login_failed');
    const byRequest = (requestId: string) => failures.find((entry) => entry.request_id === requestId);

    expect(byRequest(unknown.headers['x-request-id'])).toMatchObject({
      actor_user_id: null,
      record_type: 'user',
      record_id: null,
      details: { reason: 'unknown_email' },
    });
    expect(byRequest(wrong.headers['x-request-id'])).toMatchObject({
      actor_user_id: null,
      record_type: 'user',
      record_id: staff.users.facilitator.id,
      details: { reason: 'wrong_password' },
    });
    expect(JSON.stringify(failures)).not.toMatch(/guessed password/);
  });

  describe('is append-only in the database itself', () => {
    const count = async (): Promise<number> =>
      Number((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM audit_entries`))[0].n);

    it.each([
      ['UPDATE', `UPDATE audit_entries SET action = 'tampered'`],
      ['DELETE', `DELETE FROM audit_entries`],
      ['TRUNCATE', `TRUNCATE audit_entries`],
    ])('refuses %s and keeps every row', async (operation, sql) => {
      const before = await count();
      expect(before).toBeGreaterThan(0);

      const error = await testApp.dataSource.query(sql).then(
        () => null,
        (failure: unknown) => failure as Error & { code?: string; driverError?: { code?: string } },
      );
      expect(error).not.toBeNull();
      expect(error!.message).toBe(`audit_entries is append-only: ${operation} refused`);
      expect(error!.driverError?.code ?? error!.code).toBe('42501');

      expect(await count()).toBe(before);
      const tampered = await testApp.dataSource.query(`SELECT 1 FROM audit_entries WHERE action = 'tampered'`);
      expect(tampered).toHaveLength(0);
    });
  });
});
