import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, createAgency, createUser, signIn } from '../helpers/fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';

/** Every error answers { statusCode, error, message } and nothing that smells of a stack. */
function expectErrorShape(body: Record<string, unknown>, statusCode: number, error: string): void {
  expect(body).toMatchObject({ statusCode, error });
  expect(typeof body.message === 'string' || Array.isArray(body.message)).toBe(true);
  expect(JSON.stringify(body)).not.toMatch(/\bat \S+\.(js|ts):\d+|node_modules/);
}

describe('HTTP errors and API docs', () => {
  let testApp: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    const program = await createAgency(testApp.dataSource, AgencyKind.Program);
    const admin = await createUser(testApp.dataSource, Role.Admin, program.id);
    adminToken = await signIn(testApp, admin.email);
  });
  afterAll(() => testApp.close());

  it('answers malformed JSON with 400 MALFORMED_JSON in the error shape', async () => {
    const response = await testApp.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": "a@b.test", "password": ')
      .expect(400);
    expectErrorShape(response.body, 400, 'Bad Request');
    expect(response.body).toMatchObject({ code: 'MALFORMED_JSON', message: 'The request body is not valid JSON' });
  });

  it('answers a body over 100kb with 413, not 500, and writes nothing', async () => {
    const before = await testApp.dataSource.query(`SELECT count(*)::int AS n FROM agencies`);
    const response = await testApp.http
      .post('/api/v1/agencies')
      .set(bearer(adminToken))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'Big Court', kind: 'court', noticeEmail: 'big@court.test', padding: 'x'.repeat(150 * 1024) }))
      .expect(413);
    expectErrorShape(response.body, 413, 'Payload Too Large');
    expect(response.body.code).toBe('BODY_TOO_LARGE');
    const after = await testApp.dataSource.query(`SELECT count(*)::int AS n FROM agencies`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('accepts a body just under the limit (the limit is 100kb, not smaller)', async () => {
    // Valid JSON of ~90kb: refused for its unknown field (400), not for its size.
    const response = await testApp.http
      .post('/api/v1/agencies')
      .set(bearer(adminToken))
      .send({ name: 'Padded Court', kind: 'court', noticeEmail: 'pad@court.test', padding: 'x'.repeat(90 * 1024) })
      .expect(400);
    expect(response.body.fields).toEqual({ padding: ['padding is not an allowed field'] });
  });

  it('refuses an unknown field with 400 naming it', async () => {
    const response = await testApp.http
      .post('/api/v1/agencies')
      .set(bearer(adminToken))
      .send({ name: 'Lake Probation', kind: 'probation', noticeEmail: 'po@lake.test', isAdmin: true })
      .expect(400);
    expectErrorShape(response.body, 400, 'Bad Request');
    expect(response.body.fields).toEqual({ isAdmin: ['isAdmin is not an allowed field'] });
  });

  it('answers a malformed UUID in the path with 400', async () => {
    const response = await testApp.http.get('/api/v1/agencies/not-a-uuid').set(bearer(adminToken)).expect(400);
    expectErrorShape(response.body, 400, 'Bad Request');
    expect(response.body.message).toMatch(/uuid/i);
  });

  it('answers an unknown route with 404 in the same error shape', async () => {
    const response = await testApp.http.get('/api/v1/no-such-thing').set(bearer(adminToken)).expect(404);
    expectErrorShape(response.body, 404, 'Not Found');
    expect(Object.keys(response.body).sort()).toEqual(['error', 'message', 'statusCode']);

    const anonymous = await testApp.http.post('/nowhere').send({}).expect(404);
    expectErrorShape(anonymous.body, 404, 'Not Found');
  });

  it('serves the OpenAPI document at /docs-json listing the login route', async () => {
    const response = await testApp.http.get('/docs-json').expect(200);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(response.body.paths['/api/v1/auth/login']).toHaveProperty('post');
    expect(response.body.paths['/api/v1/auth/me']).toHaveProperty('get');
    expect(response.body.components.securitySchemes).toHaveProperty('bearer');
  });

  it('serves the API docs UI at /docs as HTML', async () => {
    const response = await testApp.http.get('/docs').expect(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toMatch(/swagger-ui/i);
  });

  it('answers a browser’s unknown page with the 404 page, and the API with JSON even when asked for HTML', async () => {
    const page = await testApp.http.get('/no-such-page').set('Accept', 'text/html,application/xhtml+xml').expect(404);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toMatch(/Not found/);
    const api = await testApp.http.get('/api/v1/no-such-thing').set('Accept', 'text/html').expect(404);
    expect(api.headers['content-type']).toMatch(/application\/json/);
    const machine = await testApp.http.get('/no-such-page').set('Accept', 'application/json').expect(404);
    expectErrorShape(machine.body, 404, 'Not Found');
  });
});
