import { bearer, createStaff, Staff } from '../helpers/fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('the queue dashboard at /admin/queues', () => {
  let testApp: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    testApp = await startTestApp();
    staff = await createStaff(testApp);
  });
  afterAll(() => testApp.close());

  it('shows the queues to an admin', async () => {
    const page = await testApp.http.get('/admin/queues').set(bearer(staff.tokens.admin)).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const api = await testApp.http.get('/admin/queues/api/queues').set(bearer(staff.tokens.admin)).expect(200);
    expect(api.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual(['maintenance', 'notices']);
  });

  it.each(['facilitator', 'probation_officer', 'court_clerk', 'advocate'] as const)('answers 404 to a %s', async (role) => {
    await testApp.http.get('/admin/queues').set(bearer(staff.tokens[role])).expect(404);
    await testApp.http.get('/admin/queues/api/queues').set(bearer(staff.tokens[role])).expect(404);
  });

  it('sends a visitor without a session to sign in, and refuses a forged token', async () => {
    const response = await testApp.http.get('/admin/queues').expect(302);
    expect(response.headers.location).toBe('/login?next=%2Fadmin%2Fqueues');
    await testApp.http.get('/admin/queues').set({ Authorization: 'Bearer not.a.token' }).expect(404);
  });
});
