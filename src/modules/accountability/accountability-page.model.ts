import { durationText, percentText, Share, Spread } from './accountability-figures';
import { AccountabilityQuery } from './accountability-query.dto';
import { AccountabilitySummary, OutcomeRow } from './accountability.view';
import { barChart, lineChart } from './svg-charts';

const AGENCY_LABELS: Record<string, string> = { probation: 'Probation', court: 'Court', all: 'All agencies' };
const KIND_LABELS: Record<string, string> = {
  failed_to_enroll: 'Failed to enroll',
  absence_limit_exceeded: 'Absence limit exceeded',
  consecutive_absences: 'Consecutive absences',
  no_attendance: 'No attendance',
  removed_for_behaviour: 'Removed for behaviour',
  completion_deadline_missed: 'Completion deadline missed',
};

const shareCell = (value: Share) => ({ text: percentText(value.share), counts: `${value.count} of ${value.of}` });
const spreadCells = (value: Spread, format: (n: number | null) => string) => ({
  median: format(value.median),
  p90: format(value.p90),
  max: format(value.max),
  count: value.count,
});
const days = (value: number | null) => (value === null ? '—' : `${Math.round(value * 10) / 10}`);

/** The query string of the filters, for the export links (ids and dates only). */
export function filterQueryString(query: AccountabilityQuery): string {
  const params = new URLSearchParams();
  for (const key of ['from', 'to', 'courtId', 'probationAgencyId', 'policyId', 'groupId', 'language'] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function outcomeRows(rows: OutcomeRow[]) {
  return rows.map((row) => ({
    label: row.label,
    enrollment: spreadCells(row.enrollmentDays, days),
    failedToEnroll: shareCell(row.failedToEnroll),
    completed: shareCell(row.completed),
    terminated: shareCell(row.terminated),
    sessions: spreadCells(row.sessionsBeforeTermination, days),
  }));
}

/** Everything the page shows, formatted: the charts as SVG markup and the tables beneath them. */
export function accountabilityPageModel(summary: AccountabilitySummary, query: AccountabilityQuery) {
  const swift = summary.swift.map((row) => ({
    agency: AGENCY_LABELS[row.agency],
    notices: row.notices,
    stages: [
      {
        name: 'Crossing → notice reached the agency',
        ...spreadCells(row.toNotice, durationText),
        within: shareCell(row.toNotice.withinDeadline),
      },
      {
        name: 'Crossing → acknowledged',
        ...spreadCells(row.toAcknowledgement, durationText),
        within: shareCell(row.toAcknowledgement.withinDeadline),
      },
      {
        name: 'Crossing → first response',
        ...spreadCells(row.toFirstResponse, durationText),
        within: shareCell(row.toFirstResponse.withinDeadline),
      },
    ],
  }));
  const agencies = summary.swift.filter((row) => row.agency !== 'all');
  const swiftChart = barChart({
    id: 'chart-swift',
    title: 'Median days from the crossing to the first response, by agency',
    description:
      agencies.map((row) => `${AGENCY_LABELS[row.agency]}: ${durationText(row.toFirstResponse.median)}`).join('; ') ||
      'No violations in the period',
    points: agencies.flatMap((row) => [
      { label: `Notice\n${AGENCY_LABELS[row.agency]}`, value: row.toNotice.median === null ? null : row.toNotice.median / 24 },
      {
        label: `Acknowledged\n${AGENCY_LABELS[row.agency]}`,
        value: row.toAcknowledgement.median === null ? null : row.toAcknowledgement.median / 24,
      },
      {
        label: `First response\n${AGENCY_LABELS[row.agency]}`,
        value: row.toFirstResponse.median === null ? null : row.toFirstResponse.median / 24,
      },
    ]),
    format: (value) => `${Math.round(value * 10) / 10} d`,
  });

  const sureRows = [...summary.sure.byCourt, summary.sure.overall].map((row) => ({
    court: row.court,
    violations: row.violations,
    courtAction: shareCell(row.courtAction),
    noResponse: shareCell(row.noResponse),
    overall: row.courtId === null,
  }));
  const sureChart = barChart({
    id: 'chart-sure',
    title: 'Share of violations with a court action, by court',
    description:
      summary.sure.byCourt.map((row) => `${row.court}: ${percentText(row.courtAction.share)}`).join('; ') || 'No violations in the period',
    points: summary.sure.byCourt.map((row) => ({
      label: row.court,
      value: row.courtAction.share === null ? null : row.courtAction.share * 100,
    })),
    format: (value) => `${Math.round(value)} %`,
    max: 100,
  });

  const outcomes = {
    overall: outcomeRows([summary.outcomes.overall]),
    sections: [
      { title: 'By policy', rows: outcomeRows(summary.outcomes.byPolicy) },
      { title: 'By group', rows: outcomeRows(summary.outcomes.byGroup) },
      { title: 'By court', rows: outcomeRows(summary.outcomes.byCourt) },
    ],
  };
  const outcomesChart = barChart({
    id: 'chart-outcomes',
    title: 'Completion rate of the orders that ended in the period, by group',
    description:
      summary.outcomes.byGroup.map((row) => `${row.label}: ${percentText(row.completed.share)}`).join('; ') ||
      'No orders ended in the period',
    points: summary.outcomes.byGroup.map((row) => ({
      label: row.label,
      value: row.completed.share === null ? null : row.completed.share * 100,
    })),
    format: (value) => `${Math.round(value)} %`,
    max: 100,
  });

  const disparity = (rows: AccountabilitySummary['disparity']['byLanguage']) =>
    rows.map((row) => ({
      label: row.label,
      failedToEnroll: shareCell(row.failedToEnroll),
      completed: shareCell(row.completed),
      terminated: shareCell(row.terminated),
      courtAction: shareCell(row.courtAction),
      flagged: summary.disparity.flags.some((flag) => flag.dimension === row.dimension && flag.value === (row.value ?? '')),
    }));
  const disparityChart = barChart({
    id: 'chart-disparity',
    title: 'Termination rate by participant language',
    description:
      summary.disparity.byLanguage.map((row) => `${row.label}: ${percentText(row.terminated.share)}`).join('; ') ||
      'No orders ended in the period',
    points: summary.disparity.byLanguage.map((row) => ({
      label: row.label,
      value: row.terminated.share === null ? null : row.terminated.share * 100,
    })),
    format: (value) => `${Math.round(value)} %`,
    max: 100,
  });

  const months = summary.trends.map((month) => month.label.replace(/ (\d{2})(\d{2})$/, " '$2"));
  const trendShares = lineChart({
    id: 'chart-trend-shares',
    title: 'By month: court action, no response, completion',
    description: summary.trends
      .map(
        (month) =>
          `${month.label}: court action ${percentText(month.courtAction.share)}, no response ${percentText(month.noResponse.share)}, completed ${percentText(month.completed.share)}`,
      )
      .join('; '),
    series: [
      {
        name: 'Court action',
        points: summary.trends.map((month, i) => ({
          label: months[i],
          value: month.courtAction.share === null ? null : month.courtAction.share * 100,
        })),
      },
      {
        name: 'No response',
        points: summary.trends.map((month, i) => ({
          label: months[i],
          value: month.noResponse.share === null ? null : month.noResponse.share * 100,
        })),
      },
      {
        name: 'Completed',
        points: summary.trends.map((month, i) => ({
          label: months[i],
          value: month.completed.share === null ? null : month.completed.share * 100,
        })),
      },
    ],
    format: (value) => `${Math.round(value)} %`,
    max: 100,
  });
  const trendViolations = barChart({
    id: 'chart-trend-violations',
    title: 'Violations raised each month',
    description: summary.trends.map((month) => `${month.label}: ${month.violations}`).join('; '),
    points: summary.trends.map((month, i) => ({ label: months[i], value: month.violations })),
  });
  const trends = summary.trends.map((month) => ({
    label: month.label,
    violations: month.violations,
    response: durationText(month.medianHoursToFirstResponse),
    courtAction: shareCell(month.courtAction),
    noResponse: shareCell(month.noResponse),
    completed: shareCell(month.completed),
    failedToEnroll: shareCell(month.failedToEnroll),
  }));

  const exportQuery = filterQueryString(query);
  return {
    summary,
    swift,
    swiftChart,
    sureRows,
    sureChart,
    unanswered: summary.sure.unanswered.items.map((item) => ({ ...item, kindLabel: KIND_LABELS[item.kind] ?? item.kind })),
    outcomes,
    outcomesChart,
    byLanguage: disparity(summary.disparity.byLanguage),
    byGroup: disparity(summary.disparity.byGroup),
    flags: summary.disparity.flags.map((flag) => flag.words),
    marginPoints: Math.round(summary.disparity.margin * 100),
    disparityChart,
    trends,
    trendShares,
    trendViolations,
    exports: Object.fromEntries(
      ['swift', 'sure', 'unanswered', 'outcomes', 'disparity', 'trends', 'violations'].map((table) => [
        table,
        `/accountability/export/${table}${exportQuery}`,
      ]),
    ),
  };
}
