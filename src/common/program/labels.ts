import { AttendanceStatus } from './attendance-status.enum';
import { ReferralStatus } from './referral-status.enum';
import { ComplianceEventKind as Kind } from './compliance-event-kind.enum';

/**
 * The words for the program's codes, written once: pages, e-mails, letters and the progress report
 * all read these, so the court sees the same name for the same thing wherever it looks.
 */
export const EVENT_KIND_LABELS: Record<Kind, string> = {
  [Kind.FailedToEnroll]: 'Failed to enroll',
  [Kind.AbsenceLimitExceeded]: 'Absence limit exceeded',
  [Kind.ConsecutiveAbsences]: 'Consecutive absences',
  [Kind.NoAttendance]: 'No attendance',
  [Kind.RemovedForBehaviour]: 'Removed from a session for behavior',
  [Kind.CompletionDeadlineMissed]: 'Completion deadline missed',
  [Kind.Terminated]: 'Terminated from the program',
  [Kind.Completed]: 'Program completed',
  [Kind.ProgressReportDue]: 'Progress report',
  [Kind.AtRisk]: 'At risk of not finishing in time',
  [Kind.Corrected]: 'Correction of an earlier notice',
  [Kind.Reinstated]: 'Reinstated by the program',
  [Kind.Closed]: 'Order closed by the program',
  [Kind.Enrolled]: 'Enrollment confirmed',
  [Kind.Transferred]: 'Transferred to another group',
  [Kind.LevelChanged]: 'Program level changed',
};

/** The two absence limits are one kind of event with different keys (`unexcused:3`, `absences:4`). */
const ABSENCE_LIMIT_LABELS = {
  unexcused: 'Unexcused absence limit exceeded',
  total: 'Total absence limit exceeded',
};

/**
 * An event's name; for an absence limit, which one. The key (or the facts, where only they are at
 * hand) tells the unexcused limit from the total one.
 */
export function eventLabel(kind: string, key?: string | null, facts?: Record<string, unknown> | null): string {
  if (kind === (Kind.AbsenceLimitExceeded as string)) {
    if (key?.startsWith('unexcused:') || (!key && facts && facts.unexcusedAbsences !== undefined)) return ABSENCE_LIMIT_LABELS.unexcused;
    if (key?.startsWith('absences:') || (!key && facts && facts.absences !== undefined)) return ABSENCE_LIMIT_LABELS.total;
  }
  // A kind read from the database as text; one this build does not know is shown as it is.
  return (EVENT_KIND_LABELS as Partial<Record<string, string>>)[kind] ?? kind;
}

export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, string> = {
  [ReferralStatus.Referred]: 'Referred',
  [ReferralStatus.FailedToEnroll]: 'Failed to enroll',
  [ReferralStatus.Active]: 'Active',
  [ReferralStatus.NonCompliant]: 'Non-compliant',
  [ReferralStatus.Completed]: 'Completed',
  [ReferralStatus.Terminated]: 'Terminated',
  [ReferralStatus.Closed]: 'Closed',
};

/** In the order the roster offers them: the common case first. */
export const ATTENDANCE_CHOICES: ReadonlyArray<{ status: AttendanceStatus; label: string }> = [
  { status: AttendanceStatus.Present, label: 'Present' },
  { status: AttendanceStatus.Late, label: 'Late' },
  { status: AttendanceStatus.LeftEarly, label: 'Left early' },
  { status: AttendanceStatus.AbsentExcused, label: 'Excused' },
  { status: AttendanceStatus.AbsentUnexcused, label: 'Unexcused' },
  { status: AttendanceStatus.Removed, label: 'Removed' },
];

export const ATTENDANCE_LABELS = Object.fromEntries(ATTENDANCE_CHOICES.map((choice) => [choice.status, choice.label])) as Record<
  AttendanceStatus,
  string
>;

/** Where a mark stands alone (a letter, a report), the longer words. */
export const ATTENDANCE_LONG_LABELS: Record<AttendanceStatus, string> = {
  [AttendanceStatus.Present]: 'Present',
  [AttendanceStatus.Late]: 'Late',
  [AttendanceStatus.LeftEarly]: 'Left early',
  [AttendanceStatus.AbsentExcused]: 'Absent (excused)',
  [AttendanceStatus.AbsentUnexcused]: 'Absent (unexcused)',
  [AttendanceStatus.Removed]: 'Removed for behavior',
};
