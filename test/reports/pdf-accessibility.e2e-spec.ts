import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../../src/common/dates';
import { ComplianceEventKind } from '../../src/common/program/compliance-event-kind.enum';
import { renderNoticeLetter } from '../../src/modules/notices/letter-pdf';
import { NoticeContent } from '../../src/modules/notices/notice-content';
import { NoticePurpose, NoticeRecipientKind } from '../../src/modules/notices/notice-status.enum';
import { bearer, Staff } from '../helpers/fixtures';
import { createGroup, createReferral, enroll, Reference, sessionsOf, startProgramApp, TODAY } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * The letters, certificates and progress reports reach courts and probation offices, some of
 * whose staff read with a screen reader: each PDF is tagged (a structure tree, /MarkInfo
 * /Marked true), says its language (/Lang en-US) and embeds its fonts. Checked with poppler's
 * pdffonts and pdfinfo, and in the catalog itself.
 */
describe('accessible PDFs: letters, certificates, progress reports', () => {
  let testApp: TestApp;
  let staff: Staff;
  let reference: Reference;
  const dir = mkdtempSync(join(tmpdir(), 'throughline-pdf-'));

  beforeAll(async () => ({ testApp, staff, reference } = await startProgramApp()));
  afterAll(() => testApp.close());

  /** pdffonts' table: one row per font, with its "emb" column. */
  function fontsOf(file: string): Array<{ name: string; type: string; embedded: boolean }> {
    const lines = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    return lines.map((line) => {
      const columns = line.trim().split(/\s+/);
      // name type [type2] encoding emb sub uni object ID: read from the right, names have no spaces.
      return { name: columns[0], type: columns.slice(1, -6).join(' '), embedded: columns[columns.length - 5] === 'yes' };
    });
  }

  function expectAccessible(pdf: Buffer, name: string): void {
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, pdf);
    const fonts = fontsOf(file);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      expect({ font: font.name, embedded: font.embedded }).toEqual({ font: font.name, embedded: true });
      expect(font.name).not.toMatch(/Helvetica|Times|Courier/);
    }
    expect(fonts.map((font) => font.name).join(' ')).toContain('DejaVuSans');
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    // pdfkit writes the catalog uncompressed: its dictionary names the language and the mark info.
    const text = pdf.toString('latin1');
    const catalog = /<<\s*\/Type \/Catalog[\s\S]*?>>\s*endobj/.exec(text)?.[0] ?? '';
    expect(catalog).toContain('/Lang (en-US)');
    expect(catalog).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(catalog).toMatch(/\/StructTreeRoot \d+ 0 R/);
    expect(text).toMatch(/\/Marked true/);
    // Real structure, not an empty tree: headings and paragraphs.
    expect(text).toMatch(/\/S \/H1/);
    expect(text).toMatch(/\/S \/P\b/);
  }

  it('tags the notice letter, with its language and embedded fonts', async () => {
    const group = await createGroup(testApp, staff, { curriculumId: reference.duluth.id, facilitatorIds: [staff.users.facilitator.id] });
    const sessions = (await sessionsOf(testApp, staff, group.id, addDays(TODAY, -30), TODAY)).filter((s) => s.date <= TODAY);
    const referral = await createReferral(testApp, staff, {
      policyId: reference.duluthPolicy.id,
      orderedOn: addDays(TODAY, -35),
      lastName: 'Łukasiewicz-Hernández',
    });
    await enroll(testApp, staff, referral.id, group.id, sessions[0].date);
    const [notice] = await waitFor(
      async () => {
        const rows = await testApp.dataSource.query<Array<{ id: string }>>(
          `SELECT id FROM notices WHERE referral_id = $1 AND letter_pdf IS NOT NULL`,
          [referral.id],
        );
        return rows.length > 0 && rows;
      },
      { what: 'the enrollment notice rendered' },
    );
    const letter = await testApp.http
      .get(`/api/v1/notices/${notice.id}/letter.pdf`)
      .set(bearer(staff.tokens.admin))
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expectAccessible(letter.body as Buffer, 'letter');

    const report = await testApp.http
      .get(`/api/v1/referrals/${referral.id}/progress-report`)
      .set(bearer(staff.tokens.admin))
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expectAccessible(report.body as Buffer, 'progress-report');
    // The embedded font carries the names as typed: the text layer reads them back.
    const words = execFileSync('pdftotext', [join(dir, 'progress-report.pdf'), '-'], { encoding: 'utf8' });
    expect(words).toContain('Progress report');
  });

  it('tags the certificate of completion on a completion letter', async () => {
    const content: NoticeContent = {
      noticeId: '00000000-0000-4000-8000-000000000001',
      purpose: NoticePurpose.Event,
      subject: 'Completed: case 69DU-CR-26-1400',
      headline: 'James Whitfield completed the program.',
      programName: 'Arrowhead Men’s Nonviolence Program',
      recipientName: 'St. Louis County District Court',
      recipientKind: NoticeRecipientKind.Court,
      caseNumber: '69DU-CR-26-1400',
      participantName: 'James Whitfield',
      dateOfBirth: '1984-03-17',
      courtName: 'St. Louis County District Court',
      policyName: 'Duluth Model, 24 sessions',
      policyVersion: 1,
      clause: 'completion is reported to the court',
      facts: [{ label: 'Sessions attended', value: '24 of 24' }],
      letterDate: 'Nov 25, 2026',
      occurredOn: '2026-11-25',
      dueBy: null,
      isReminder: false,
      isCorrection: false,
      remindsSentOn: null,
      appUrl: 'http://localhost:3000',
      eventKind: ComplianceEventKind.Completed,
      certificate: { sessionsAttended: 24, completedOn: '2026-11-24' },
    };
    const pdf = await renderNoticeLetter(content);
    expectAccessible(pdf, 'certificate');
    expect(execFileSync('pdfinfo', [join(dir, 'certificate.pdf')], { encoding: 'utf8' })).toMatch(/^Pages:\s+2$/m);
  });
});
