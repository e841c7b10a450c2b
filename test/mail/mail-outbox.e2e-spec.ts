import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { MailOutbox } from '../../src/modules/mail/mail-outbox.service';
import { OutboxTransaction } from '../../src/modules/mail/outbox-transaction';
import { QueueName } from '../../src/modules/queues/queue-names';
import { createGroup, createReferral, enroll, Reference, startProgramApp, TODAY } from '../helpers/domain';
import { Staff } from '../helpers/fixtures';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** The mail outbox: every mail that is not a compliance notice, on the notices' path. */
describe('the mail outbox', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;

  beforeAll(async () => ({ testApp, staff, reference } = await startProgramApp()));
  afterAll(() => testApp.close());

  const queue = () => testApp.app.get<Queue>(getQueueToken(QueueName.Notices));
  const mailRow = async (id: string) =>
    (
      await testApp.dataSource.query(`SELECT status, attempts, key_id, ciphertext, last_response FROM outgoing_mails WHERE id = $1`, [id])
    )[0];
  const received = (address: string) => testApp.smtp.received.filter((mail) => mail.to.includes(address));

  async function addMail(to: string, text = 'Your link: https://example.test/one-time'): Promise<string> {
    const outbox = testApp.app.get(OutboxTransaction);
    const mails = testApp.app.get(MailOutbox);
    return outbox.run((manager) => mails.add(manager, { kind: 'agency_test', refId: staff.court.id, to, subject: 'A test', text }));
  }

  it('is sealed at rest, its job carries only its id, and its words are wiped once it is sent', async () => {
    await queue().pause(false);
    let id: string;
    try {
      id = await addMail('sealed.one@court.test', 'SECRET-LINK-7731');
      const [row] = await testApp.dataSource.query(`SELECT to_jsonb(m)::text AS whole FROM outgoing_mails m WHERE id = $1`, [id]);
      expect(row.whole).not.toContain('sealed.one');
      expect(row.whole).not.toContain('SECRET-LINK');
      const jobs = await waitFor(
        async () => {
          const waiting = await queue().getJobs(['waiting', 'paused']);
          return waiting.some((job) => job.data.mailId === id) && waiting;
        },
        { what: 'the mail job queued' },
      );
      const job = jobs.find((candidate) => candidate.data.mailId === id)!;
      expect(job.data).toEqual({ mailId: id });
    } finally {
      await queue().resume(false);
    }
    await waitFor(async () => (await mailRow(id))?.status === 'sent', { what: 'mail sent' });
    expect(await mailRow(id)).toMatchObject({ status: 'sent', attempts: 1, key_id: null, ciphertext: null });
    expect(received('sealed.one@court.test')).toHaveLength(1);
    expect(received('sealed.one@court.test')[0].raw).toContain('SECRET-LINK-7731');
    const audit = await testApp.dataSource.query(`SELECT action, details FROM audit_entries WHERE record_id = $1`, [id]);
    expect(audit).toEqual([{ action: 'mail.sent', details: { kind: 'agency_test', attempt: 1 } }]);
  });

  it('a mail whose job Redis lost (flushed while waiting) is queued again by the relay and sent once', async () => {
    await queue().pause(false);
    let id: string;
    try {
      id = await addMail('lost.job@court.test');
      await waitFor(async () => (await queue().getJobs(['waiting', 'paused'])).some((job) => job.data.mailId === id), { what: 'queued' });
      await queue().empty();
      expect((await queue().getJobs(['waiting', 'paused'])).some((job) => job.data.mailId === id)).toBe(false);
    } finally {
      await queue().resume(false);
    }
    await waitFor(async () => (await mailRow(id))?.status === 'sent', { what: 'mail sent by the relay' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(received('lost.job@court.test')).toHaveLength(1);
  });

  it('a server that refuses for good leaves the mail dead, its words wiped and the address out of the answer', async () => {
    testApp.smtp.answer = (mail) =>
      mail.to.includes('nobody@court.test') ? { code: 550, message: 'No such user nobody@court.test' } : null;
    try {
      const id = await addMail('nobody@court.test');
      await waitFor(async () => (await mailRow(id))?.status === 'dead', { what: 'mail dead' });
      const row = await mailRow(id);
      expect(row).toMatchObject({ attempts: 1, key_id: null, ciphertext: null });
      expect(row.last_response).toContain('550');
      expect(row.last_response).not.toContain('nobody@court.test');
      expect(testApp.logs.join('')).not.toContain('nobody@court.test');
    } finally {
      testApp.smtp.answer = () => null;
    }
  });

  /**
   * The server took it, then the database refused to record that. Counting that as a refusal
   * sent it again: the notice reached the court twice. Now it stays "sending" and the relay calls
   * it unknown, for staff to check, exactly as when the worker dies at that moment.
   */
  it('when recording "sent" fails after the server took it, neither a notice nor a mail goes again; both end unknown', async () => {
    await testApp.dataSource.query(`
      CREATE FUNCTION refuse_sent() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'database away'; END $$;
      CREATE TRIGGER refuse_sent_notices BEFORE UPDATE ON notices FOR EACH ROW WHEN (NEW.status = 'sent') EXECUTE FUNCTION refuse_sent();
      CREATE TRIGGER refuse_sent_mails BEFORE UPDATE ON outgoing_mails FOR EACH ROW WHEN (NEW.status = 'sent') EXECUTE FUNCTION refuse_sent();`);
    let noticeIds: string[];
    let mailId: string;
    try {
      const group = await createGroup(testApp, staff, { curriculumId: reference.duluth.id, facilitatorIds: [staff.users.facilitator.id] });
      const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id });
      await enroll(testApp, staff, referral.id, group.id, TODAY);
      noticeIds = (await testApp.dataSource.query(`SELECT id FROM notices WHERE referral_id = $1`, [referral.id])).map(
        (row: { id: string }) => row.id,
      );
      expect(noticeIds.length).toBeGreaterThan(0);
      mailId = await addMail('twice.never@court.test');
      const statuses = async () =>
        (
          await testApp.dataSource.query(
            `SELECT status::text FROM notices WHERE id = ANY($1::uuid[]) UNION ALL SELECT status::text FROM outgoing_mails WHERE id = $2`,
            [noticeIds, mailId],
          )
        ).map((row: { status: string }) => row.status);
      // Sending, then (after the send timeout) unknown: never failed, never sent again.
      await waitFor(async () => (await statuses()).every((status: string) => status === 'unknown'), {
        what: 'all unknown',
        timeoutMs: 40_000,
      });
    } finally {
      await testApp.dataSource.query(
        `DROP TRIGGER refuse_sent_notices ON notices; DROP TRIGGER refuse_sent_mails ON outgoing_mails; DROP FUNCTION refuse_sent();`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const noticeId of noticeIds)
      expect(testApp.smtp.received.filter((mail) => mail.messageId === `<${noticeId}@${testApp.config.mailDomain}>`)).toHaveLength(1);
    expect(received('twice.never@court.test')).toHaveLength(1);
  }, 60_000);
});
