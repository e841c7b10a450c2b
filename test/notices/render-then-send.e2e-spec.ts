import { getQueueToken } from '@nestjs/bull';
import { Job, Queue } from 'bull';
import { addDays } from '../../src/common/dates';
import { AppConfig } from '../../src/config/app-config';
import { JobName, QueueName } from '../../src/modules/queues/queue-names';
import { bearer, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, Reference, sessionsOf, startProgramApp, TODAY } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * A notice drawn and due goes out from the job that drew it, with the letter still in hand; the
 * send job is for what that job could not send (a refusal's retry, a notice drawn before).
 */
describe('a notice is sent by the job that drew it', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  let domain: string;
  const taken = new Map<string, { render: number; send: number }>();

  beforeAll(async () => {
    ({ testApp, staff, reference } = await startProgramApp());
    domain = testApp.app.get(AppConfig).mailDomain;
    testApp.app.get<Queue>(getQueueToken(QueueName.Notices)).on('active', (job: Job<{ noticeId: string }>) => {
      const counts = taken.get(job.data.noticeId) ?? { render: 0, send: 0 };
      if (job.name === (JobName.RenderNotice as string)) counts.render += 1;
      if (job.name === (JobName.SendNotice as string)) counts.send += 1;
      taken.set(job.data.noticeId, counts);
    });
  });
  afterAll(async () => {
    testApp.smtp.answer = () => null;
    await testApp.close();
  });

  /** A man removed for behaviour on today's session: an event and its two notices (probation, court). */
  async function removeOne(): Promise<string[]> {
    const group = await createGroup(testApp, staff, {
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 2,
    });
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -30) });
    const sessions = await sessionsOf(testApp, staff, group.id, addDays(TODAY, -14), TODAY);
    const session = sessions[sessions.length - 1];
    const { enrollment } = await enroll(testApp, staff, referral.id, group.id, session.date);
    await testApp.http
      .put(`/api/v1/sessions/${session.id}/attendance`)
      .set(bearer(staff.tokens.facilitator))
      .send({ marks: [{ enrollmentId: enrollment.id, status: 'removed' }] })
      .expect(200);
    const notices = await testApp.dataSource.query<Array<{ id: string }>>(
      `SELECT n.id FROM notices n JOIN compliance_events e ON e.id = n.event_id WHERE e.referral_id = $1 AND e.kind = 'removed_for_behaviour'`,
      [referral.id],
    );
    expect(notices).toHaveLength(2);
    return notices.map((notice) => notice.id);
  }

  const sent = (ids: string[]) =>
    waitFor(
      async () => {
        const rows = await testApp.dataSource.query<Array<{ id: string; attempts: number; letter: string }>>(
          `SELECT id, attempts, encode(letter_pdf, 'base64') AS letter FROM notices WHERE id = ANY($1::uuid[]) AND status = 'sent'`,
          [ids],
        );
        return rows.length === ids.length ? rows : null;
      },
      { what: 'both notices sent', timeoutMs: 30_000 },
    );
  const mailsOf = (id: string) => testApp.smtp.received.filter((mail) => mail.messageId === `<${id}@${domain}>`);
  /** The PDF letter attached to a mail, as base64 without line breaks. */
  const letterIn = (raw: string) =>
    /Content-Type: application\/pdf[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/.exec(raw)?.[1].replace(/\s+/g, '');

  it('draws and sends a fresh notice in one job, attaching the letter it stored, byte for byte', async () => {
    const ids = await removeOne();
    const rows = await sent(ids);
    for (const row of rows) {
      expect({ id: row.id, attempts: row.attempts, jobs: taken.get(row.id) }).toEqual({
        id: row.id,
        attempts: 1,
        jobs: { render: 1, send: 0 },
      });
      const mails = mailsOf(row.id);
      expect(mails).toHaveLength(1);
      expect(row.letter.replace(/\s+/g, '').length).toBeGreaterThan(10_000);
      expect(letterIn(mails[0].raw) === row.letter.replace(/\s+/g, '')).toBe(true);
    }
  });

  it('leaves a refused first attempt to the send job, which attaches the stored letter', async () => {
    // Every attempt's letter, as the server saw it: the first is refused (451), the second accepted.
    const letters = new Map<string, Array<string | undefined>>();
    testApp.smtp.answer = (mail) => {
      if (!mail.messageId) return null;
      const seen = letters.get(mail.messageId) ?? [];
      seen.push(letterIn(mail.raw));
      letters.set(mail.messageId, seen);
      return seen.length === 1 ? { code: 451, message: '4.3.0 try again later' } : null;
    };
    const ids = await removeOne();
    const rows = await sent(ids);
    for (const row of rows) {
      expect({ id: row.id, attempts: row.attempts, jobs: taken.get(row.id) }).toEqual({
        id: row.id,
        attempts: 2,
        jobs: { render: 1, send: 1 },
      });
      expect(mailsOf(row.id)).toHaveLength(1);
      // Both attempts carried the stored letter (compared as booleans: a letter is 50 KB of base64).
      const stored = row.letter.replace(/\s+/g, '');
      expect((letters.get(`<${row.id}@${domain}>`) ?? []).map((letter) => letter === stored)).toEqual([true, true]);
    }
  });
});
