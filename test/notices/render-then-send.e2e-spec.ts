import { getQueueToken } from '@nestjs/bull';
import { Job, Queue } from 'bull';
import { AppConfig } from '../../src/config/app-config';
import { JobName, QueueName } from '../../src/modules/queues/queue-names';
import { Staff } from '../helpers/fixtures';
import { Reference, startProgramApp } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { removedToday } from './removed-today';
import { StatementCounter } from '../helpers/statement-counter';
import { RequestContext } from '../../src/common/context/request-context';
import { NoticeDelivery } from '../../src/modules/notices/notice-delivery.service';

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

  const removeOne = async () => (await removedToday(testApp, staff, reference)).noticeIds;

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

  it('sends a fresh notice in three statements, each prepared: its content and state, the drawing stored and claimed, the record of it sent', async () => {
    // The queue held in this process, so the notice's render job runs here, in a context of our own, and nowhere else.
    const queue = testApp.app.get<Queue>(getQueueToken(QueueName.Notices));
    testApp.smtp.answer = () => null;
    await queue.pause(true);
    const counter = new StatementCounter().install();
    try {
      const [id] = await removeOne();
      const requestId = `render-${id}`;
      const outcome = await RequestContext.run({ requestId, ipAddress: null }, () => testApp.app.get(NoticeDelivery).render(id));
      expect(outcome).toBe('rendered');
      const statements = counter.of(requestId);
      expect(statements).toHaveLength(3);
      expect(counter.namesOf(requestId).every((name) => name !== undefined)).toBe(true);
      expect(statements[1]).toMatch(/UPDATE notices n SET subject/);
      const [row] = await sent([id]);
      expect(row.attempts).toBe(1);
      expect(mailsOf(id)).toHaveLength(1);
      expect(letterIn(mailsOf(id)[0].raw) === row.letter.replace(/\s+/g, '')).toBe(true);
    } finally {
      counter.uninstall();
      await queue.resume(true);
    }
  });
});
