import { Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, Reference, ReferralOptions, sessionsOf } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { ReceivedMail } from '../helpers/smtp-sink';
import { waitFor } from '../helpers/wait-for';
import { bearer, TEST_PASSWORD } from '../helpers/fixtures';

/** A weekly group that has met since October, for men to be removed from one of its sessions. */
export async function groupWithSessions(testApp: TestApp, staff: Staff, reference: Reference) {
  const group = await createGroup(testApp, staff, {
    curriculumId: reference.duluth.id,
    facilitatorIds: [staff.users.facilitator.id],
    startsOn: '2026-10-20',
  });
  const sessions = await sessionsOf(testApp, staff, group.id, '2026-10-01', '2027-01-31');
  const on = (date: string) => sessions.find((session) => session.date === date)!.id;
  return { groupId: group.id, on };
}

/**
 * A man removed for behaviour at the session of 24 Nov: one event, a notice to his probation
 * officer and one to his court. Answers the referral, the event and the notices by recipient.
 */
export async function violation(
  testApp: TestApp,
  staff: Staff,
  group: { groupId: string; on(date: string): string },
  options: ReferralOptions & { date?: string },
) {
  const referral = await createReferral(testApp, staff, { orderedOn: '2026-11-10', ...options });
  const { enrollment } = await enroll(testApp, staff, referral.id, group.groupId, '2026-11-16');
  await testApp.http
    .put(`/api/v1/sessions/${group.on(options.date ?? '2026-11-24')}/attendance`)
    .set(bearer(staff.tokens.admin))
    .send({ marks: [{ enrollmentId: enrollment.id, status: 'removed', note: 'Sent out for threats' }] })
    .expect(200);
  const rows = await testApp.dataSource.query<Array<{ id: string; recipient_kind: string; event_id: string }>>(
    `SELECT n.id, n.recipient_kind, n.event_id FROM notices n JOIN compliance_events e ON e.id = n.event_id
      WHERE n.referral_id = $1 AND e.kind = 'removed_for_behaviour' AND n.purpose = 'event'`,
    [referral.id],
  );
  const byKind = (kind: string) => rows.find((row) => row.recipient_kind === kind)!.id;
  return {
    referral,
    enrollmentId: enrollment.id,
    eventId: rows[0].event_id,
    poNotice: byKind('probation_officer'),
    courtNotice: byKind('court'),
  };
}

/** The e-mail of a notice once the in-process SMTP server has it. */
export async function mailOf(testApp: TestApp, noticeId: string): Promise<ReceivedMail> {
  return waitFor(() => testApp.smtp.received.find((mail) => mail.messageId?.startsWith(`<${noticeId}@`)) ?? null, {
    what: `the e-mail of notice ${noticeId}`,
    timeoutMs: 30_000,
  });
}

/** The "Acknowledge in Throughline" link as the recipient's mail program shows it (quoted-printable undone). */
export function acknowledgeLink(mail: ReceivedMail): URL {
  const text = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
  const match = /href="(https?:\/\/[^"]+\/notices\/[0-9a-f-]{36})"/.exec(text);
  if (!match) throw new Error(`no notice link in the e-mail ${String(mail.messageId)}`);
  return new URL(match[1]);
}

/** Signs in through the sign-in form with a ?next= path; answers the session cookie and where it sent the browser. */
export async function signInWithNext(testApp: TestApp, email: string, next: string): Promise<{ cookie: string; location: string }> {
  const form = await testApp.http.get(`/login?next=${encodeURIComponent(next)}`).expect(200);
  const nonce = (form.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
  const signedIn = await testApp.http
    .post('/login')
    .set('Cookie', nonce)
    .type('form')
    .send({ _csrf: csrf, email, password: TEST_PASSWORD, next })
    .expect(303);
  const cookie = (signedIn.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('tl_session='))!.split(';')[0];
  return { cookie, location: signedIn.headers.location };
}

/** The page's CSRF token, for posting its forms. */
export function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)![1];
}
