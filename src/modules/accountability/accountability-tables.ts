import { CsvColumn } from '../../common/http/csv';
import { Share, Spread } from './accountability-figures';
import { AccountabilitySummary, OutcomeRow } from './accountability.view';

export type SummaryTableName = 'swift' | 'sure' | 'outcomes' | 'disparity' | 'trends';
export const SUMMARY_TABLES: readonly SummaryTableName[] = ['swift', 'sure', 'outcomes', 'disparity', 'trends'];

type Cells = Record<string, unknown>;
const round = (value: number | null, places = 1) => (value === null ? null : Math.round(value * 10 ** places) / 10 ** places);
const shareCells = (prefix: string, value: Share): Cells => ({
  [`${prefix}Count`]: value.count,
  [`${prefix}Of`]: value.of,
  [`${prefix}Share`]: round(value.share, 4),
});
const spreadCells = (prefix: string, value: Spread): Cells => ({
  [`${prefix}Count`]: value.count,
  [`${prefix}Median`]: round(value.median),
  [`${prefix}P90`]: round(value.p90),
  [`${prefix}Max`]: round(value.max),
});
const shareColumns = (prefix: string, words: string): Array<CsvColumn<Cells>> => [
  { key: `${prefix}Count`, header: `${words}: count` },
  { key: `${prefix}Of`, header: `${words}: of` },
  { key: `${prefix}Share`, header: `${words}: share` },
];
const spreadColumns = (prefix: string, words: string): Array<CsvColumn<Cells>> => [
  { key: `${prefix}Count`, header: `${words}: count` },
  { key: `${prefix}Median`, header: `${words}: median` },
  { key: `${prefix}P90`, header: `${words}: 90th percentile` },
  { key: `${prefix}Max`, header: `${words}: max` },
];

/** Each table of the page as the CSV gives it: the same rows, every count a share rests on. */
export function summaryTable(summary: AccountabilitySummary, table: SummaryTableName): { columns: Array<CsvColumn<Cells>>; rows: Cells[] } {
  switch (table) {
    case 'swift':
      return {
        columns: [
          { key: 'agency', header: 'agency' },
          { key: 'notices', header: 'notices' },
          ...spreadColumns('notice', 'hours to notice'),
          ...shareColumns('noticeIn', 'notice within its deadline'),
          ...spreadColumns('ack', 'hours to acknowledgement'),
          ...shareColumns('ackIn', 'acknowledged within deadline'),
          ...spreadColumns('resp', 'hours to first response'),
          ...shareColumns('respIn', 'answered within deadline'),
        ],
        rows: summary.swift.map((row) => ({
          agency: row.agency,
          notices: row.notices,
          ...spreadCells('notice', row.toNotice),
          ...shareCells('noticeIn', row.toNotice.withinDeadline),
          ...spreadCells('ack', row.toAcknowledgement),
          ...shareCells('ackIn', row.toAcknowledgement.withinDeadline),
          ...spreadCells('resp', row.toFirstResponse),
          ...shareCells('respIn', row.toFirstResponse.withinDeadline),
        })),
      };
    case 'sure':
      return {
        columns: [
          { key: 'court', header: 'court' },
          { key: 'violations', header: 'violations' },
          ...shareColumns('action', 'court action'),
          ...shareColumns('none', 'no response'),
        ],
        rows: [...summary.sure.byCourt, summary.sure.overall].map((row) => ({
          court: row.court,
          violations: row.violations,
          ...shareCells('action', row.courtAction),
          ...shareCells('none', row.noResponse),
        })),
      };
    case 'outcomes': {
      const rows: OutcomeRow[] = [
        summary.outcomes.overall,
        ...summary.outcomes.byPolicy,
        ...summary.outcomes.byGroup,
        ...summary.outcomes.byCourt,
      ];
      return {
        columns: [
          { key: 'dimension', header: 'by' },
          { key: 'label', header: 'which' },
          ...spreadColumns('enroll', 'days from order to enrollment'),
          ...shareColumns('failed', 'failed to enroll'),
          ...shareColumns('completed', 'completed'),
          ...shareColumns('terminated', 'terminated'),
          ...spreadColumns('sessions', 'sessions attended before termination'),
        ],
        rows: rows.map((row) => ({
          dimension: row.dimension,
          label: row.label,
          ...spreadCells('enroll', row.enrollmentDays),
          ...shareCells('failed', row.failedToEnroll),
          ...shareCells('completed', row.completed),
          ...shareCells('terminated', row.terminated),
          ...spreadCells('sessions', row.sessionsBeforeTermination),
        })),
      };
    }
    case 'disparity': {
      const flagged = new Set(summary.disparity.flags.map((flag) => `${flag.dimension}|${flag.value}`));
      return {
        columns: [
          { key: 'dimension', header: 'by' },
          { key: 'label', header: 'which' },
          ...shareColumns('failed', 'failed to enroll'),
          ...shareColumns('completed', 'completed'),
          ...shareColumns('terminated', 'terminated'),
          ...shareColumns('action', 'court action on violations'),
          { key: 'flagged', header: 'differs from the rest' },
        ],
        rows: [...summary.disparity.byLanguage, ...summary.disparity.byGroup].map((row) => ({
          dimension: row.dimension,
          label: row.label,
          ...shareCells('failed', row.failedToEnroll),
          ...shareCells('completed', row.completed),
          ...shareCells('terminated', row.terminated),
          ...shareCells('action', row.courtAction),
          flagged: flagged.has(`${row.dimension}|${row.value ?? ''}`),
        })),
      };
    }
    case 'trends':
      return {
        columns: [
          { key: 'month', header: 'month' },
          { key: 'violations', header: 'violations' },
          { key: 'medianHours', header: 'median hours to first response' },
          ...shareColumns('action', 'court action'),
          ...shareColumns('none', 'no response'),
          ...shareColumns('completed', 'completed'),
          ...shareColumns('failed', 'failed to enroll'),
        ],
        rows: summary.trends.map((month) => ({
          month: month.month,
          violations: month.violations,
          medianHours: round(month.medianHoursToFirstResponse),
          ...shareCells('action', month.courtAction),
          ...shareCells('none', month.noResponse),
          ...shareCells('completed', month.completed),
          ...shareCells('failed', month.failedToEnroll),
        })),
      };
  }
}
