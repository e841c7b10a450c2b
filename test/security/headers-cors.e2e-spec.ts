import { AgencyKind } from '../../src/modules/agencies/agency.entity';
import { Role } from '../../src/common/auth/role.enum';
import { bearer, createAgency, createUser, signIn } from '../helpers/fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';

/** The directives of a Content-Security-Policy header, by name. */
function cspOf(header: string | undefined): Record<string, string[]> {
  // Every answer carries one, and it always says where content may come from by default.
  expect(header).toMatch(/(^|;)\s*default-src /);
  return Object.fromEntries(
    header!
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name, values]),
  );
}

describe('security headers', () => {
  let testApp: TestApp;
  let token: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    const program = await createAgency(testApp.dataSource, AgencyKind.Program);
    token = await signIn(testApp, (await createUser(testApp.dataSource, Role.Admin, program.id)).email);
  });
  afterAll(() => testApp.close());

  it('sends HSTS, nosniff, frame denial, a same-origin referrer policy and no X-Powered-By on API answers', async () => {
    for (const response of [await testApp.http.get('/api/v1/auth/me').set(bearer(token)), await testApp.http.get('/api/v1/auth/me')]) {
      expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['referrer-policy']).toBe('same-origin');
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(cspOf(response.headers['content-security-policy'])['frame-ancestors']).toEqual(["'none'"]);
    }
  });

  it('sends no ETag on answers made for their caller (a SHA-1 of each body for nothing); the static assets keep theirs', async () => {
    const api = await testApp.http.get('/api/v1/auth/me').set(bearer(token)).expect(200);
    expect(api.headers.etag).toBeUndefined();
    const page = await testApp.http.get('/login').expect(200);
    expect(page.headers.etag).toBeUndefined();
    const script = await testApp.http.get('/assets/pages.js').expect(200);
    expect(script.headers.etag).toBeTruthy();
  });

  it('gives the pages a policy with no inline script or style, and the page still loads its own script and stylesheet', async () => {
    const login = await testApp.http.get('/login').expect(200);
    const csp = cspOf(login.headers['content-security-policy']);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'"]);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['base-uri']).toEqual(["'none'"]);
    expect(csp['form-action']).toEqual(["'self'"]);
    // No inline event handlers either (onclick=…): the one policy, set for every response.
    expect(csp['script-src-attr']).toEqual(["'none'"]);
    // What the policy allows is what the page uses: files of our own origin.
    expect(login.text).toContain('<script src="/assets/pages.js" defer></script>');
    expect(login.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(login.text).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    const script = await testApp.http.get('/assets/pages.js').expect(200);
    expect(cspOf(script.headers['content-security-policy'])['script-src']).toEqual(["'self'"]);
  });

  it('lets the API docs use inline styles but still no script from elsewhere', async () => {
    const docs = await testApp.http.get('/docs').redirects(1).expect(200);
    const csp = cspOf(docs.headers['content-security-policy']);
    expect(csp['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(docs.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('sends no CORS headers at all when CORS_ORIGINS is not set', async () => {
    const response = await testApp.http.get('/api/v1/auth/me').set(bearer(token)).set('Origin', 'https://court.example.org').expect(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await testApp.http
      .options('/api/v1/referrals')
      .set('Origin', 'https://court.example.org')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });
});

describe('CORS allow-list (CORS_ORIGINS)', () => {
  let testApp: TestApp;
  let token: string;
  const ALLOWED = 'https://court.example.org';

  beforeAll(async () => {
    testApp = await startTestApp({ env: { CORS_ORIGINS: `${ALLOWED}, http://localhost:5173` } });
    const program = await createAgency(testApp.dataSource, AgencyKind.Program);
    token = await signIn(testApp, (await createUser(testApp.dataSource, Role.Admin, program.id)).email);
  });
  afterAll(() => testApp.close());

  it('answers an allowed origin with its own origin in Access-Control-Allow-Origin, without credentials', async () => {
    const response = await testApp.http.get('/api/v1/auth/me').set(bearer(token)).set('Origin', ALLOWED).expect(200);
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(response.headers['access-control-expose-headers']).toBe('X-Request-Id');
  });

  it('answers an allowed origin’s preflight with the methods and headers it may use', async () => {
    const preflight = await testApp.http
      .options('/api/v1/referrals')
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toBe('Authorization,Content-Type,X-Request-Id');
  });

  it.each(['https://evil.example.org', 'https://court.example.org.evil.test', 'http://court.example.org', 'null'])(
    'gives another origin (%s) no Access-Control-Allow-Origin',
    async (origin) => {
      const response = await testApp.http.get('/api/v1/auth/me').set(bearer(token)).set('Origin', origin).expect(200);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await testApp.http.options('/api/v1/referrals').set('Origin', origin).set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    },
  );
});
