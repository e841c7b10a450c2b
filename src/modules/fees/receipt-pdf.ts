import { factTable, footer, letterhead } from '../notices/letter-pdf';
import { PDF_FONT, renderPdf, tagged } from '../notices/pdf-document';
import { formatCents } from './fee-rules';

export interface ReceiptContent {
  programName: string;
  receiptNumber: string;
  paidOn: string;
  participantName: string;
  caseNumber: string;
  courtName: string;
  amountCents: number;
  method: string;
  note: string | null;
  recordedBy: string | null;
  balanceAfterCents: number;
}

/** "R-000042": receipts are numbered across the program, padded so they sort. */
export function receiptLabel(receiptNumber: number): string {
  return `R-${String(receiptNumber).padStart(6, '0')}`;
}

export const METHOD_LABELS: Record<string, string> = {
  cash: 'Cash',
  card: 'Card',
  check: 'Check',
  money_order: 'Money order',
  other: 'Other',
};

/** The receipt for one payment: tagged, with the embedded font, like the letters. */
export function renderReceipt(content: ReceiptContent): Promise<Buffer> {
  return renderPdf(
    (pdf) => {
      const { doc } = pdf;
      letterhead(pdf, content.programName, 'Court-ordered batterer intervention program · Program fees');
      doc.font(PDF_FONT.bold).fontSize(16).text(`Receipt ${content.receiptNumber}`, tagged(pdf, 'H1'));
      doc.moveDown(0.8);
      factTable(pdf, [
        { label: 'Received from', value: content.participantName },
        { label: 'Case', value: `${content.caseNumber}, ${content.courtName}` },
        { label: 'Date', value: content.paidOn },
        { label: 'Amount received', value: formatCents(content.amountCents) },
        { label: 'Paid by', value: METHOD_LABELS[content.method] ?? content.method },
        ...(content.note ? [{ label: 'Note', value: content.note }] : []),
        {
          label: 'Balance after this payment',
          value:
            content.balanceAfterCents < 0 ? `${formatCents(-content.balanceAfterCents)} in credit` : formatCents(content.balanceAfterCents),
        },
        ...(content.recordedBy ? [{ label: 'Received by', value: content.recordedBy }] : []),
      ]);
      doc.moveDown(2);
      doc
        .font(PDF_FONT.regular)
        .fontSize(10)
        .text(
          'Keep this receipt. No one is refused the program for inability to pay: ask the program about the sliding scale or a waiver.',
          tagged(pdf),
        );
      footer(pdf, `${content.receiptNumber}. Contains no information about any victim or partner.`);
    },
    { Title: `Receipt ${content.receiptNumber}` },
  );
}
