import PDFDocument from 'pdfkit';
import { NoticeContent } from './notice-content';

const INK = '#1d1d1b';
const ACCENT = '#2d4a6b';
const MUTED = '#55554f';

/** Renders a PDF to a Buffer. */
export function renderPdf(draw: (doc: PDFKit.PDFDocument) => void, info: { Title: string }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // A fixed creation date keeps the same letter byte-identical when rendered again.
    const doc = new PDFDocument({ size: 'LETTER', margin: 64, info: { ...info, Author: 'Throughline', CreationDate: new Date(0) } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    draw(doc);
    doc.end();
  });
}

/** The program's letterhead: name, a line of purpose and a rule. */
export function letterhead(doc: PDFKit.PDFDocument, programName: string, subtitle: string): void {
  doc.fillColor(ACCENT).font('Times-Bold').fontSize(20).text(programName, { align: 'left' });
  doc.fillColor(MUTED).font('Helvetica').fontSize(9).text(subtitle);
  const y = doc.y + 6;
  doc.moveTo(doc.page.margins.left, y).lineTo(doc.page.width - doc.page.margins.right, y).lineWidth(2).strokeColor(ACCENT).stroke();
  doc.moveDown(1.5);
  doc.fillColor(INK);
}

export function factTable(doc: PDFKit.PDFDocument, facts: Array<{ label: string; value: string }>): void {
  const left = doc.page.margins.left;
  for (const fact of facts) {
    const y = doc.y;
    doc.font('Helvetica').fontSize(10).fillColor(MUTED).text(fact.label, left, y, { width: 200 });
    doc.font('Helvetica-Bold').fillColor(INK).text(fact.value, left + 210, y, { width: 270 });
    doc.moveDown(0.3);
  }
  doc.x = left;
}

/** The letter sent with a notice; a completion notice gets its certificate as a second page. */
export function renderNoticeLetter(content: NoticeContent): Promise<Buffer> {
  return renderPdf(
    (doc) => {
      letterhead(doc, content.programName, 'Court-ordered batterer intervention program · Compliance notice');
      doc.font('Helvetica').fontSize(10).fillColor(INK);
      doc.text(`Date: ${content.letterDate}`);
      doc.text(`To: ${content.recipientName}`);
      doc.moveDown(0.5);
      doc.font('Helvetica-Bold').text(`Re: Case ${content.caseNumber} — ${content.participantName} (born ${content.dateOfBirth})`);
      doc.font('Helvetica').text(content.courtName);
      doc.moveDown();
      if (content.isReminder) doc.fillColor('#8a5a00').font('Helvetica-Bold').text(`REMINDER — not acknowledged since ${content.remindsSentOn}.`).fillColor(INK).moveDown(0.5);
      if (content.isCorrection) doc.fillColor('#2f7a4b').font('Helvetica-Bold').text('CORRECTION — an earlier notice is withdrawn.').fillColor(INK).moveDown(0.5);
      doc.font('Times-Bold').fontSize(14).fillColor(ACCENT).text(content.subject);
      doc.moveDown(0.5);
      doc.font('Times-Roman').fontSize(12).fillColor(INK).text(content.headline);
      doc.moveDown();
      factTable(doc, content.facts);
      doc.moveDown();
      doc.font('Times-Roman').fontSize(11).text(`This notice is given under ${content.policyName} (version ${content.policyVersion}): ${content.clause}.`);
      if (content.dueBy) doc.text(`The policy requires this notice to reach you by ${content.dueBy}.`);
      doc.moveDown(2);
      doc.text('Program Coordinator');
      doc.text(content.programName);
      footer(doc, `Notice ${content.noticeId}. Contains no information about any victim or partner.`);
      if (content.certificate) {
        doc.addPage();
        certificatePage(doc, content);
      }
    },
    { Title: content.subject },
  );
}

function certificatePage(doc: PDFKit.PDFDocument, content: NoticeContent): void {
  const { width, height } = doc.page;
  doc.rect(36, 36, width - 72, height - 72).lineWidth(3).strokeColor(ACCENT).stroke();
  doc.rect(44, 44, width - 88, height - 88).lineWidth(0.75).strokeColor(ACCENT).stroke();
  doc.y = 160;
  doc.font('Times-Bold').fontSize(30).fillColor(ACCENT).text('Certificate of Completion', { align: 'center' });
  doc.moveDown(1.5);
  doc.font('Times-Roman').fontSize(14).fillColor(INK).text('This certifies that', { align: 'center' });
  doc.moveDown(0.5);
  doc.font('Times-Bold').fontSize(24).text(content.participantName, { align: 'center' });
  doc.moveDown(0.5);
  doc.font('Times-Roman').fontSize(14).text(
    `has completed ${content.certificate!.sessionsAttended} sessions of ${content.programName} under ${content.policyName}, as ordered in case ${content.caseNumber} of ${content.courtName}.`,
    { align: 'center' },
  );
  doc.moveDown(1.5);
  doc.text(`Completed on ${content.certificate!.completedOn}`, { align: 'center' });
  doc.moveDown(4);
  doc.text('______________________________', { align: 'center' });
  doc.text('Program Coordinator', { align: 'center' });
}

export function footer(doc: PDFKit.PDFDocument, text: string): void {
  // Writing inside the bottom margin would make pdfkit start a new page; lift the margin meanwhile.
  const margin = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  doc.font('Helvetica').fontSize(8).fillColor(MUTED).text(text, doc.page.margins.left, doc.page.height - margin + 20, {
    width: doc.page.width - doc.page.margins.left - doc.page.margins.right,
    align: 'center',
    lineBreak: false,
  });
  doc.page.margins.bottom = margin;
  doc.fillColor(INK);
}
