import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { ProgramClock } from '../../config/program-clock';
import { AuditService } from '../audit/audit.service';
import { headlineFor } from '../notices/notice-content';
import { progressReportFileName } from '../notices/pdf-file-names';
import { factTable, footer, letterhead, renderPdf } from '../notices/letter-pdf';
import { PDF_FONT, tagged } from '../notices/pdf-document';
import { ComplianceEventKind } from '../../common/program/compliance-event-kind.enum';
import { ATTENDANCE_LONG_LABELS, REFERRAL_STATUS_LABELS } from '../../common/program/labels';
import { usDate, usDateNumeric } from '../../common/dates';
import { ReferralHistoryService } from '../referrals/referral-history.service';
import { ReferralsService } from '../referrals/referrals.service';

/** The progress report a probation officer or the court reads: standing, attendance and events. */
@Injectable()
export class ProgressReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly referrals: ReferralsService,
    private readonly history: ReferralHistoryService,
    private readonly audit: AuditService,
    private readonly clock: ProgramClock,
  ) {}

  async render(user: SignedInUser, referralId: string): Promise<Buffer> {
    return (await this.renderNamed(user, referralId)).pdf;
  }

  /** The report with the name it downloads under: case number, "progress-report", today's date. */
  async renderNamed(user: SignedInUser, referralId: string): Promise<{ pdf: Buffer; fileName: string }> {
    const referral = await this.referrals.get(user, referralId, { audit: false });
    const history = await this.history.attendance(user, referralId);
    const events: Array<{ kind: ComplianceEventKind; occurred_on: string; facts: Record<string, unknown> }> = await this.dataSource.query(
      `SELECT kind, occurred_on::text AS occurred_on, facts FROM compliance_events WHERE referral_id = $1 ORDER BY occurred_on, created_at`,
      [referralId],
    );
    const [program] = await this.dataSource.query<[{ name: string }?]>(
      `SELECT name FROM agencies WHERE kind = 'program' ORDER BY created_at LIMIT 1`,
    );
    await this.audit.record({ action: 'referral.progress_report', recordType: 'referral', recordId: referralId });
    const name = `${referral.participant.firstName} ${referral.participant.lastName}`;
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- the referral is read with its compliance
    const compliance = referral.compliance!;
    const programName = program?.name ?? 'Throughline intervention program';
    const pdf = await renderPdf(
      (pdf) => {
        const { doc } = pdf;
        const p = (text: string) => doc.text(text, tagged(pdf));
        letterhead(pdf, programName, 'Court-ordered batterer intervention program · Progress report');
        doc.font(PDF_FONT.bold).fontSize(16).text(`Progress report — ${name}`, tagged(pdf, 'H1'));
        doc.font(PDF_FONT.regular).fontSize(10);
        p(`Prepared ${usDate(this.clock.today())} for case ${referral.caseNumber}, ${referral.court.name}`);
        doc.moveDown();
        factTable(pdf, [
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a value stored before this build's words for it is shown as it is
          { label: 'Status', value: REFERRAL_STATUS_LABELS[referral.status] ?? referral.status },
          { label: 'Policy', value: `${referral.policy.name} (version ${referral.policy.version})` },
          // The assessed level sets the sessions and complete-by below (its key, as the policy names it).
          ...(referral.levelKey ? [{ label: 'Level', value: referral.levelKey }] : []),
          { label: 'Ordered on', value: usDate(referral.orderedOn) },
          { label: 'Enroll by', value: usDate(referral.enrollBy) },
          { label: 'Complete by', value: usDate(referral.completeBy) },
          { label: 'Sessions attended', value: `${compliance.sessionsAttended} of ${compliance.sessionsRequired}` },
          { label: 'Absences (excused + unexcused)', value: String(compliance.absences) },
          { label: 'Unexcused absences', value: String(compliance.unexcusedAbsences) },
          { label: 'Absences in a row now', value: String(compliance.consecutiveAbsences) },
          { label: 'Last attended', value: compliance.lastAttendedOn ? usDate(compliance.lastAttendedOn) : 'never' },
          { label: 'Probation officer', value: referral.probationOfficer?.name ?? '—' },
        ]);
        doc.moveDown();
        doc.font(PDF_FONT.bold).fontSize(13).text('Attendance', tagged(pdf, 'H2'));
        doc.moveDown(0.3);
        doc.font(PDF_FONT.regular);
        if (history.attendance.length === 0) doc.fontSize(10).text('No sessions recorded yet.', tagged(pdf));
        for (const entry of history.attendance) {
          doc.fontSize(9).text(
            // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a value stored before this build's words for it is shown as it is
            `${usDateNumeric(entry.date)}   ${entry.groupName}${entry.unit ? ` — ${entry.unit.theme}` : ''}   ${ATTENDANCE_LONG_LABELS[entry.status] ?? entry.status}${entry.note ? ` (${entry.note})` : ''}`,
            tagged(pdf),
          );
        }
        doc.moveDown();
        doc.font(PDF_FONT.bold).fontSize(13).text('Compliance events', tagged(pdf, 'H2'));
        doc.moveDown(0.3);
        doc.font(PDF_FONT.regular);
        if (events.length === 0) doc.fontSize(10).text('None.', tagged(pdf));
        for (const event of events) {
          doc.fontSize(9).text(`${usDateNumeric(event.occurred_on)}   ${headlineFor(event.kind, name, event.facts, null)}`, tagged(pdf));
        }
        footer(pdf, `Progress report for case ${referral.caseNumber}. Contains no information about any victim or partner.`);
      },
      { Title: `Progress report — case ${referral.caseNumber}` },
    );
    return { pdf, fileName: progressReportFileName(referral.caseNumber, this.clock.today()) };
  }
}
