import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { Role } from '../../src/common/auth/role.enum';
import { createAgency, createUser, TEST_PASSWORD } from '../helpers/fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';

/** The sign-in page is a second door to the same passwords: it has its own per-address limit. */
describe('sign-in page rate limit', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => testApp.close());

  async function postSignIn(email: string, password: string) {
    const form = await testApp.http.get('/login').expect(200);
    const nonce = (form.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    return testApp.http.post('/login').set('Cookie', nonce).set('Accept', 'text/html').type('form').send({ _csrf: csrf, email, password });
  }

  it('answers the 4th sign-in within a minute from one address with the 429 page, even with the right password, and signs nobody in', async () => {
    const program = await createAgency(testApp.dataSource, AgencyKind.Program);
    const user = await createUser(testApp.dataSource, Role.Admin, program.id);
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect((await postSignIn(user.email, 'wrong password')).status).toBe(401);
    }
    const limited = await postSignIn(user.email, TEST_PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^text\/html/);
    expect((limited.headers['set-cookie'] as unknown as string[] | undefined)?.some((line) => line.startsWith('tl_session='))).toBeFalsy();
    // The password was never checked: the three failures are all the account saw.
    const [{ failures }] = await testApp.dataSource.query(
      `SELECT count(*)::int AS failures FROM audit_entries WHERE action IN ('auth.login_failed', 'auth.locked') AND record_id = $1`,
      [user.id],
    );
    expect(failures).toBe(3);
  });
});
