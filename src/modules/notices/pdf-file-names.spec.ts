import { letterFileName, progressReportFileName } from './pdf-file-names';

describe('PDF file names', () => {
  it('names a letter by case number, which crossing and its date', () => {
    expect(
      letterFileName({
        caseNumber: '69DU-CR-26-1407',
        eventKind: 'absence_limit_exceeded',
        eventKey: 'unexcused:3',
        eventOccurredOn: '2026-11-05',
      }),
    ).toBe('69DU-CR-26-1407-letter-unexcused-absence-limit-exceeded-2026-11-05.pdf');
    expect(letterFileName({ caseNumber: '69DU-CR-26-1407', eventKind: 'completed', eventOccurredOn: '2026-12-01' })).toBe(
      '69DU-CR-26-1407-letter-program-completed-and-certificate-2026-12-01.pdf',
    );
  });

  it('keeps only safe characters, so no header or path can be smuggled in', () => {
    expect(letterFileName({ caseNumber: '../a"b\r\nX: y', eventKind: 'closed', eventOccurredOn: '2026-12-01' })).toBe(
      'a-b-X-y-letter-order-closed-by-the-program-2026-12-01.pdf',
    );
    expect(progressReportFileName('69DU CR 26/1407', '2026-12-01')).toBe('69DU-CR-26-1407-progress-report-2026-12-01.pdf');
  });
});
