import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { addDays } from '../../src/common/dates';
import { createStaff, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, pinToday, Reference, seedReference, sessionsOf, TODAY } from '../helpers/domain';
import { freePort } from '../helpers/free-port';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * The demo's inbox is MailDev, started by scripts/demo.sh with these very arguments: a notice the
 * app sends lands there, and its web API (what the inbox page shows) opens the e-mail, its
 * "Acknowledge in Throughline" link and its PDF letter.
 */
describe('the demo inbox (MailDev) shows a notice and opens its PDF letter', () => {
  let maildev: ChildProcess | undefined;
  let inbox: string;
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;

  beforeAll(async () => {
    const [smtpPort, webPort] = [await freePort(), await freePort()];
    inbox = `http://127.0.0.1:${webPort}`;
    maildev = spawn(
      process.execPath,
      [
        join(__dirname, '..', '..', 'node_modules', 'maildev', 'bin', 'maildev'),
        '--smtp',
        String(smtpPort),
        '--web',
        String(webPort),
        '--ip',
        '127.0.0.1',
        '--silent',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(() => fetch(`${inbox}/healthz`).then((response) => response.ok), { what: 'MailDev answering' });
    testApp = await startTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}` } });
    staff = await createStaff(testApp);
    reference = await seedReference(testApp);
    pinToday(testApp);
  }, 120_000);

  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset if setup failed; MailDev must still be stopped
    await testApp?.close();
    maildev?.kill('SIGTERM');
  });

  it('receives the enrollment notice, with its letter as a PDF attachment and the link to acknowledge it', async () => {
    const group = await createGroup(testApp, staff, { curriculumId: reference.duluth.id, facilitatorIds: [staff.users.facilitator.id] });
    const [first] = (await sessionsOf(testApp, staff, group.id, addDays(TODAY, -20), TODAY)).filter((session) => session.date <= TODAY);
    const referral = await createReferral(testApp, staff, { policyId: reference.duluthPolicy.id, orderedOn: addDays(TODAY, -25) });
    await enroll(testApp, staff, referral.id, group.id, first.date);
    const [notice] = (await waitFor(
      async () => {
        const rows = await testApp.dataSource.query(
          `SELECT id, recipient_email FROM notices WHERE referral_id = $1 AND recipient_kind = 'court' AND status = 'sent'`,
          [referral.id],
        );
        return rows.length > 0 && rows;
      },
      { what: 'the court’s notice sent', timeoutMs: 60_000 },
    )) as Array<{ id: string; recipient_email: string }>;

    // The list the inbox page shows.
    const emails = (await (await fetch(`${inbox}/email`)).json()) as Array<{
      id: string;
      subject: string;
      to: Array<{ address: string }>;
      headers: Partial<Record<string, string>>;
    }>;
    const email = emails.find((candidate) => candidate.headers['message-id']?.includes(notice.id));
    expect(email?.to.map((to) => to.address)).toEqual([notice.recipient_email]);
    expect(email!.subject).toContain(referral.caseNumber);

    // The e-mail itself, as the inbox opens it.
    const opened = (await (await fetch(`${inbox}/email/${email!.id}`)).json()) as {
      attachments?: Array<{ generatedFileName: string; contentType: string }>;
    };
    const html = await (await fetch(`${inbox}/email/${email!.id}/html`)).text();
    expect(html).toContain(`${testApp.config.publicUrl}/notices/${notice.id}`);

    // Its PDF letter opens from the inbox.
    const letter = opened.attachments?.find((attachment) => attachment.contentType === 'application/pdf');
    expect(letter).toMatchObject({ generatedFileName: expect.stringMatching(/\S/), contentType: 'application/pdf' });
    const pdf = await fetch(`${inbox}/email/${email!.id}/attachment/${encodeURIComponent(letter!.generatedFileName)}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const [stored] = await testApp.dataSource.query(`SELECT letter_pdf FROM notices WHERE id = $1`, [notice.id]);
    expect(bytes.equals(stored.letter_pdf)).toBe(true);

    // And the inbox's own page is there for a person.
    const page = await fetch(`${inbox}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('MailDev');
  });
});
