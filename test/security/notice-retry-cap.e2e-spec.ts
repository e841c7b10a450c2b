import { MANUAL_RETRIES_PER_DAY } from '../../src/modules/notices/notices.service';
import { bearer, Staff } from '../helpers/fixtures';
import { createGroup, Reference, sessionsOf, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { pageSession, referralWithNotices } from './security-fixtures';

/**
 * "Send again" on a dead notice is capped: a notice that keeps bouncing needs its address or the
 * mail server fixed, not a fourth click. The cap is per notice and counts the last 24 hours.
 */
describe('cap on sending a notice again by hand', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let groupId: string;
  let sessionId: string;
  /** Delivery attempts the SMTP server saw, by Message-ID. */
  const bounces = new Map<string, number>();
  const bouncesOf = (id: string) =>
    [...bounces.entries()].filter(([messageId]) => messageId.startsWith(`<${id}@`)).reduce((sum, [, n]) => sum + n, 0);

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    // Every message bounces for good: each notice goes dead at once, and again after each resend.
    testApp.smtp.answer = (mail) => {
      bounces.set(mail.messageId ?? '', (bounces.get(mail.messageId ?? '') ?? 0) + 1);
      return { code: 550, message: '5.1.1 Mailbox unknown' };
    };
    groupId = (
      await createGroup(testApp, staff, {
        curriculumId: reference.duluth.id,
        facilitatorIds: [staff.users.facilitator.id],
        startsOn: '2026-10-20',
      })
    ).id;
    sessionId = (await sessionsOf(testApp, staff, groupId, '2026-11-24', '2026-11-24'))[0].id;
  });
  afterAll(() => testApp.close());

  const statusOf = async (id: string) =>
    (await testApp.dataSource.query<Array<{ status: string }>>(`SELECT status FROM notices WHERE id = $1`, [id]))[0].status;
  const retriesAudited = async (id: string) =>
    (
      await testApp.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'notice.retry' AND record_id = $1`,
        [id],
      )
    )[0].n;
  const untilDead = (id: string) => waitFor(async () => (await statusOf(id)) === 'dead', { what: `notice ${id} dead`, timeoutMs: 20_000 });

  async function deadNotices(): Promise<string[]> {
    const { notices } = await referralWithNotices(testApp, staff, {
      policyId: reference.duluthPolicy.id,
      orderedOn: '2026-11-10',
      groupId,
      sessionId,
      startDate: '2026-11-16',
    });
    for (const notice of notices) await untilDead(notice.id);
    return notices.map((notice) => notice.id);
  }

  it(`allows ${MANUAL_RETRIES_PER_DAY} resends of one notice in 24 hours, then answers 429 NOTICE_RETRY_LIMIT and resends nothing`, async () => {
    const [id, sibling] = await deadNotices();
    for (let retry = 1; retry <= MANUAL_RETRIES_PER_DAY; retry++) {
      await testApp.http.post(`/api/v1/notices/${id}/retry`).set(bearer(staff.tokens.admin)).expect(200);
      await untilDead(id);
    }
    expect(await retriesAudited(id)).toBe(MANUAL_RETRIES_PER_DAY);
    expect(bouncesOf(id)).toBe(1 + MANUAL_RETRIES_PER_DAY);

    const refused = await testApp.http.post(`/api/v1/notices/${id}/retry`).set(bearer(staff.tokens.admin)).expect(429);
    expect(refused.body).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'NOTICE_RETRY_LIMIT',
      details: { limit: MANUAL_RETRIES_PER_DAY, retriesInLast24Hours: MANUAL_RETRIES_PER_DAY },
    });
    expect(refused.body.message).toMatch(/fix the address or the mail server first/);
    expect(Date.parse(refused.body.details.retryAfter)).toBeGreaterThan(Date.now() + 23 * 3600_000);
    // Nothing happened: still dead, no resend recorded, nothing queued.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await statusOf(id)).toBe('dead');
    expect(await retriesAudited(id)).toBe(MANUAL_RETRIES_PER_DAY);
    expect(bouncesOf(id)).toBe(1 + MANUAL_RETRIES_PER_DAY);

    // The cap is per notice: the other dead notice of the same event can still be sent again.
    await testApp.http.post(`/api/v1/notices/${sibling}/retry`).set(bearer(staff.tokens.admin)).expect(200);
  });

  it('shows the cap on the notice queue page as a 429 page saying why, not an error', async () => {
    const [id] = await deadNotices();
    const cookie = await pageSession(testApp, staff.users.admin.email);
    const sendAgain = async () => {
      const queue = await testApp.http.get('/notices').set('Cookie', cookie).expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(queue.text)![1];
      return testApp.http.post(`/notices/${id}/retry`).set('Cookie', cookie).set('Accept', 'text/html').type('form').send({ _csrf: csrf });
    };
    for (let retry = 1; retry <= MANUAL_RETRIES_PER_DAY; retry++) {
      expect((await sendAgain()).status).toBe(303);
      await untilDead(id);
    }
    const refused = await sendAgain();
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect(refused.text).toContain('fix the address or the mail server first');
    expect(await statusOf(id)).toBe('dead');
  });

  it('checks the cap only for the admin who may retry: a probation officer still gets 403, an unknown notice 404', async () => {
    const [id] = await deadNotices();
    await testApp.http.post(`/api/v1/notices/${id}/retry`).set(bearer(staff.tokens.probation_officer)).expect(403);
    await testApp.http.post(`/api/v1/notices/00000000-0000-4000-8000-000000000000/retry`).set(bearer(staff.tokens.admin)).expect(404);
    expect(await retriesAudited(id)).toBe(0);
  });
});
