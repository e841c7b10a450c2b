import { bearer, Staff, TEST_PASSWORD } from '../helpers/fixtures';
import { createReferral, enroll, ReferralOptions } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

export interface NoticeRow {
  id: string;
  recipient_kind: 'probation_officer' | 'court';
  status: string;
}

/**
 * A referral enrolled in a group and removed for behaviour at one of its held sessions: the rules
 * raise an event at once, with one notice to the probation officer and one to the court.
 */
export async function referralWithNotices(
  testApp: TestApp,
  staff: Staff,
  options: ReferralOptions & { groupId: string; sessionId: string; startDate: string },
): Promise<{ referralId: string; enrollmentId: string; notices: NoticeRow[] }> {
  const referral = await createReferral(testApp, staff, options);
  const { enrollment } = await enroll(testApp, staff, referral.id, options.groupId, options.startDate);
  await testApp.http
    .put(`/api/v1/sessions/${options.sessionId}/attendance`)
    .set(bearer(staff.tokens.admin))
    .send({ marks: [{ enrollmentId: enrollment.id, status: 'removed', note: 'Sent out for threats' }] })
    .expect(200);
  const notices = await noticesOf(testApp, referral.id);
  if (notices.length < 2) throw new Error(`expected notices to probation and court, got ${JSON.stringify(notices)}`);
  return { referralId: referral.id, enrollmentId: enrollment.id, notices };
}

export async function noticesOf(testApp: TestApp, referralId: string): Promise<NoticeRow[]> {
  return testApp.dataSource.query(`SELECT id, recipient_kind, status FROM notices WHERE referral_id = $1 ORDER BY recipient_kind`, [
    referralId,
  ]);
}

/** Waits until the worker has rendered these notices (letter and e-mail stored). */
export async function waitUntilRendered(testApp: TestApp, noticeIds: string[]): Promise<void> {
  await waitFor(
    async () => {
      const [{ n }] = await testApp.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM notices WHERE id = ANY($1::uuid[]) AND letter_pdf IS NOT NULL AND body_html IS NOT NULL`,
        [noticeIds],
      );
      return n === noticeIds.length;
    },
    { what: 'notices rendered', timeoutMs: 30_000 },
  );
}

/** Row counts of every table of the public schema, to show a refused request wrote nothing. */
export async function tableCounts(testApp: TestApp, except: string[] = []): Promise<Record<string, number>> {
  const tables: Array<{ table_name: string }> = await testApp.dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name: table } of tables) {
    if (except.includes(table)) continue;
    const [{ n }] = await testApp.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM "${table}"`);
    counts[table] = n;
  }
  return counts;
}

/** Signs in through the sign-in page (form, CSRF nonce) and returns the session cookie. */
export async function pageSession(testApp: TestApp, email: string): Promise<string> {
  const form = await testApp.http.get('/login').expect(200);
  const nonce = (form.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
  const signedIn = await testApp.http
    .post('/login')
    .set('Cookie', nonce)
    .type('form')
    .send({ _csrf: csrf, email, password: TEST_PASSWORD })
    .expect(303);
  return (signedIn.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('tl_session='))!.split(';')[0];
}
