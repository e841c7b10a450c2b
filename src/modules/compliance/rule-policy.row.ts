import { CountingPolicy } from './attendance-counts';
import { RulePolicy } from './compliance-rules';
import { AbsenceLimits } from './limit-warnings';

/** The order's required sessions (on the referral row) and its policy's counting rule, as selected. */
export interface CountingPolicyRow {
  required_sessions: number;
  left_early_counts: boolean;
}

/** With the policy's absence limits, as the roster selects them. */
export interface AbsenceRulesRow extends CountingPolicyRow {
  max_absences: number;
  max_unexcused_absences: number;
  max_consecutive_absences: number;
}

/** Every policy number the rules read. */
export interface RulePolicyRow extends AbsenceRulesRow {
  no_attendance_days: number;
  progress_report_every_days: number;
  progress_report_day_of_month: number | null;
}

/*
 * The one mapping from selected policy columns to what the rules read, so a new rule field is
 * added once and the roster's warnings, the letters and the evaluation cannot count differently.
 */

export function toCountingPolicy(row: CountingPolicyRow): CountingPolicy {
  return { requiredSessions: row.required_sessions, leftEarlyCounts: row.left_early_counts };
}

export function toAbsenceRules(row: AbsenceRulesRow): CountingPolicy & AbsenceLimits {
  return {
    ...toCountingPolicy(row),
    maxAbsences: row.max_absences,
    maxUnexcusedAbsences: row.max_unexcused_absences,
    maxConsecutiveAbsences: row.max_consecutive_absences,
  };
}

export function toRulePolicy(row: RulePolicyRow): RulePolicy {
  return {
    ...toAbsenceRules(row),
    noAttendanceDays: row.no_attendance_days,
    progressReportEveryDays: row.progress_report_every_days,
    progressReportDayOfMonth: row.progress_report_day_of_month,
  };
}
