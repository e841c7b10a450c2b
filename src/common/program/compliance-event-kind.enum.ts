export enum ComplianceEventKind {
  FailedToEnroll = 'failed_to_enroll',
  AbsenceLimitExceeded = 'absence_limit_exceeded',
  ConsecutiveAbsences = 'consecutive_absences',
  NoAttendance = 'no_attendance',
  RemovedForBehaviour = 'removed_for_behaviour',
  CompletionDeadlineMissed = 'completion_deadline_missed',
  Terminated = 'terminated',
  Completed = 'completed',
  ProgressReportDue = 'progress_report_due',
  /** He can no longer finish the required sessions by complete-by at one a week. */
  AtRisk = 'at_risk',
  /** A correction undid an earlier crossing; the follow-up goes to the same recipients. */
  Corrected = 'corrected',
  /** Program decisions the court and probation hear of: he may continue after non-compliance… */
  Reinstated = 'reinstated',
  /** …the order was closed (withdrawn, transferred out) … */
  Closed = 'closed',
  /** …he joined a group (the confirmation of enrollment) … */
  Enrolled = 'enrolled',
  /** …he moved to another group … */
  Transferred = 'transferred',
  /** …a new intake assessment put him at another level (other sessions, another complete-by). */
  LevelChanged = 'level_changed',
}

/** The program's own decisions about an order, told to the court and probation as they happen. */
export const PROGRAM_DECISION_KINDS: readonly ComplianceEventKind[] = [
  ComplianceEventKind.Reinstated,
  ComplianceEventKind.Closed,
  ComplianceEventKind.Enrolled,
  ComplianceEventKind.Transferred,
  ComplianceEventKind.LevelChanged,
];

/**
 * Events that stand only while the history as it now stands bears them out: a later correction,
 * a late-entered mark or enrollment can withdraw any of them. Reports and warnings are as of a day.
 */
export const CORRECTABLE_KINDS: readonly ComplianceEventKind[] = [
  ComplianceEventKind.AbsenceLimitExceeded,
  ComplianceEventKind.ConsecutiveAbsences,
  ComplianceEventKind.RemovedForBehaviour,
  ComplianceEventKind.NoAttendance,
  ComplianceEventKind.CompletionDeadlineMissed,
  ComplianceEventKind.FailedToEnroll,
];

/** Violations make the referral non-compliant. */
export const VIOLATION_KINDS: readonly ComplianceEventKind[] = [
  ComplianceEventKind.AbsenceLimitExceeded,
  ComplianceEventKind.ConsecutiveAbsences,
  ComplianceEventKind.RemovedForBehaviour,
  ComplianceEventKind.NoAttendance,
  ComplianceEventKind.CompletionDeadlineMissed,
];
