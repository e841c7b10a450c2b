import { ApplicationConfig } from '@nestjs/core';
import { bearer, Staff } from '../helpers/fixtures';
import { startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { pageSession } from './security-fixtures';

const NUL = encodeURIComponent('CR\u0000X');

/**
 * What every request passes through before its handler, in order: the bearer guard (or the page
 * session's), then the input screen. With no interceptor, Nest builds no rxjs pipeline per request.
 */
describe('the request pipeline', () => {
  let testApp: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    ({ testApp, staff } = await startProgramApp());
  });
  afterAll(() => testApp.close());

  it('has no global interceptor: the input screen is a guard', () => {
    expect(testApp.app.get(ApplicationConfig).getGlobalInterceptors()).toEqual([]);
  });

  it('answers an API caller without a token 401 before it looks at his input, and a signed-in one 400', async () => {
    const anonymous = await testApp.http.get(`/api/v1/referrals?caseNumber=${NUL}`);
    expect(anonymous.status).toBe(401);
    const clerk = await testApp.http.get(`/api/v1/referrals?caseNumber=${NUL}`).set(bearer(staff.tokens.court_clerk));
    expect(clerk.status).toBe(400);
    expect(clerk.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: { caseNumber: ['caseNumber must not contain a NUL character'] },
    });
    // A role without the route is refused as before, whatever it sent.
    const facilitator = await testApp.http.get(`/api/v1/referrals?caseNumber=${NUL}`).set(bearer(staff.tokens.facilitator));
    expect(facilitator.status).toBe(403);
  });

  it('sends a visitor not signed in to sign in before it looks at a page’s input; a signed-in one gets 400', async () => {
    const anonymous = await testApp.http.get(`/lookup?caseNumber=${NUL}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/login/);
    const cookie = await pageSession(testApp, staff.users.court_clerk.email);
    const signedIn = await testApp.http.get(`/lookup?caseNumber=${NUL}`).set('Cookie', cookie);
    expect(signedIn.status).toBe(400);
  });
});
