import { eventLabel } from '../../common/program/labels';

/**
 * What a downloaded or attached PDF is called: the case number, what it is and its date, so a clerk's
 * downloads folder reads "69DU-CR-26-1407-letter-unexcused-absence-limit-exceeded-2026-11-05.pdf" rather than
 * "notice.pdf" twenty times. The date is ISO here (and only here): file names sort by it.
 */
function part(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

export function letterFileName(notice: {
  caseNumber: string;
  eventKind: string;
  eventKey?: string | null;
  eventOccurredOn: string;
}): string {
  const kind = part(eventLabel(notice.eventKind, notice.eventKey).toLowerCase());
  const what = notice.eventKind === 'completed' ? `${kind}-and-certificate` : kind;
  return `${part(notice.caseNumber)}-letter-${what}-${part(notice.eventOccurredOn)}.pdf`;
}

export function progressReportFileName(caseNumber: string, on: string): string {
  return `${part(caseNumber)}-progress-report-${part(on)}.pdf`;
}

/** A Content-Disposition that opens in the browser and saves under the name (the name is ASCII by construction). */
export function inlinePdf(fileName: string): string {
  return `inline; filename="${fileName}"`;
}
