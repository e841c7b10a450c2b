import { NoticeContent } from './notice-content';
import { artifact, PDF_FONT, PdfPage, renderPdf, tagged } from './pdf-document';

const INK = '#1d1d1b';
const ACCENT = '#2d4a6b';
const MUTED = '#55554f';
const { regular: REGULAR, bold: BOLD } = PDF_FONT;

export { renderPdf } from './pdf-document';

/** The program's letterhead: name, a line of purpose and a rule. */
export function letterhead(pdf: PdfPage, programName: string, subtitle: string): void {
  const { doc } = pdf;
  doc
    .fillColor(ACCENT)
    .font(BOLD)
    .fontSize(20)
    .text(programName, tagged(pdf, 'P', { align: 'left' }));
  doc.fillColor(MUTED).font(REGULAR).fontSize(9).text(subtitle, tagged(pdf));
  const y = doc.y + 6;
  artifact(pdf, () =>
    doc
      .moveTo(doc.page.margins.left, y)
      .lineTo(doc.page.width - doc.page.margins.right, y)
      .lineWidth(2)
      .strokeColor(ACCENT)
      .stroke(),
  );
  doc.moveDown(1.5);
  doc.fillColor(INK);
}

/** Label and value side by side; each pair reads as one paragraph ("Case number: 69DU-…"). */
export function factTable(pdf: PdfPage, facts: Array<{ label: string; value: string }>): void {
  const { doc } = pdf;
  const left = doc.page.margins.left;
  for (const fact of facts) {
    const y = doc.y;
    doc
      .font(REGULAR)
      .fontSize(10)
      .fillColor(MUTED)
      .text(fact.label, left, y, tagged(pdf, 'P', { width: 200 }));
    doc
      .font(BOLD)
      .fillColor(INK)
      .text(fact.value, left + 210, y, tagged(pdf, 'P', { width: 270 }));
    doc.moveDown(0.3);
  }
  doc.x = left;
}

/** The letter sent with a notice; a completion notice gets its certificate as a second page. */
export function renderNoticeLetter(content: NoticeContent): Promise<Buffer> {
  return renderPdf(
    (pdf) => {
      const { doc } = pdf;
      const p = (text: string) => doc.text(text, tagged(pdf));
      letterhead(pdf, content.programName, 'Court-ordered batterer intervention program · Compliance notice');
      doc.font(REGULAR).fontSize(10).fillColor(INK);
      p(`Date: ${content.letterDate}`);
      p(`To: ${content.recipientName}`);
      doc.moveDown(0.5);
      doc.font(BOLD);
      p(`Re: Case ${content.caseNumber} — ${content.participantName} (born ${content.dateOfBirth})`);
      doc.font(REGULAR);
      p(content.courtName);
      doc.moveDown();
      if (content.isReminder) {
        doc.fillColor('#8a5a00').font(BOLD);
        p(`REMINDER — not acknowledged since ${String(content.remindsSentOn)}.`);
        doc.fillColor(INK).moveDown(0.5);
      }
      if (content.isCorrection) {
        doc.fillColor('#2f7a4b').font(BOLD);
        p('CORRECTION — an earlier notice is withdrawn.');
        doc.fillColor(INK).moveDown(0.5);
      }
      doc.font(BOLD).fontSize(14).fillColor(ACCENT).text(content.subject, tagged(pdf, 'H1'));
      doc.moveDown(0.5);
      doc.font(REGULAR).fontSize(12).fillColor(INK);
      p(content.headline);
      doc.moveDown();
      factTable(pdf, content.facts);
      doc.moveDown();
      doc.font(REGULAR).fontSize(11);
      p(`This notice is given under ${content.policyName} (version ${content.policyVersion}): ${content.clause}.`);
      if (content.dueBy) p(`The policy requires this notice to reach you by ${content.dueBy}.`);
      doc.moveDown(2);
      p('Program Coordinator');
      p(content.programName);
      footer(pdf, `Notice ${content.noticeId}. Contains no information about any victim or partner.`);
      if (content.certificate) {
        doc.addPage();
        certificatePage(pdf, content);
      }
    },
    { Title: content.subject },
  );
}

function certificatePage(pdf: PdfPage, content: NoticeContent): void {
  const { doc } = pdf;
  const { width, height } = doc.page;
  const centred = (type: 'P' | 'H1' = 'P') => tagged(pdf, type, { align: 'center' });
  artifact(pdf, () => {
    doc
      .rect(36, 36, width - 72, height - 72)
      .lineWidth(3)
      .strokeColor(ACCENT)
      .stroke();
    doc
      .rect(44, 44, width - 88, height - 88)
      .lineWidth(0.75)
      .strokeColor(ACCENT)
      .stroke();
  });
  doc.y = 160;
  doc.font(BOLD).fontSize(30).fillColor(ACCENT).text('Certificate of Completion', centred('H1'));
  doc.moveDown(1.5);
  doc.font(REGULAR).fontSize(14).fillColor(INK).text('This certifies that', centred());
  doc.moveDown(0.5);
  doc.font(BOLD).fontSize(24).text(content.participantName, centred());
  doc.moveDown(0.5);
  doc.font(REGULAR).fontSize(14).text(
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a certificate's content has its certificate
    `has completed ${content.certificate!.sessionsAttended} sessions of ${content.programName} under ${content.policyName}, as ordered in case ${content.caseNumber} of ${content.courtName}.`,
    centred(),
  );
  doc.moveDown(1.5);
  // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a certificate's content has its certificate
  doc.text(`Completed on ${content.certificate!.completedOn}`, centred());
  doc.moveDown(4);
  artifact(pdf, () => doc.text('______________________________', { align: 'center' }));
  doc.text('Program Coordinator', centred());
}

export function footer(pdf: PdfPage, text: string): void {
  const { doc } = pdf;
  // Writing inside the bottom margin would make pdfkit start a new page; lift the margin meanwhile.
  const margin = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  doc
    .font(REGULAR)
    .fontSize(8)
    .fillColor(MUTED)
    .text(
      text,
      doc.page.margins.left,
      doc.page.height - margin + 20,
      tagged(pdf, 'P', {
        width: doc.page.width - doc.page.margins.left - doc.page.margins.right,
        align: 'center',
        lineBreak: false,
      }),
    );
  doc.page.margins.bottom = margin;
  doc.fillColor(INK);
}
