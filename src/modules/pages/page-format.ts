import { AttendanceStatus } from '../attendance/attendance-status.enum';
import { ComplianceEventKind } from '../compliance/compliance-event-kind.enum';
import { NoticeRecipientKind, NoticeStatus } from '../notices/notice-status.enum';
import { ReferralStatus } from '../referrals/referral-status.enum';
import { HearingOutcome, ResponseAgency, ResponseKind } from '../responses/response-kind.enum';
import { Role } from '../users/role.enum';

/** Words the pages show for the program's codes; one place so every page says the same. */
export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, string> = {
  [ReferralStatus.Referred]: 'Referred',
  [ReferralStatus.FailedToEnroll]: 'Failed to enroll',
  [ReferralStatus.Active]: 'Active',
  [ReferralStatus.NonCompliant]: 'Non-compliant',
  [ReferralStatus.Completed]: 'Completed',
  [ReferralStatus.Terminated]: 'Terminated',
  [ReferralStatus.Closed]: 'Closed',
};

/** Caseload standing: the referral's status, with "at risk" for an active order that can no longer finish in time. */
export const STANDING_LABELS: Record<string, string> = { ...REFERRAL_STATUS_LABELS, at_risk: 'At risk' };

export const EVENT_KIND_LABELS: Record<ComplianceEventKind, string> = {
  [ComplianceEventKind.FailedToEnroll]: 'Failed to enroll',
  [ComplianceEventKind.AbsenceLimitExceeded]: 'Absence limit exceeded',
  [ComplianceEventKind.ConsecutiveAbsences]: 'Consecutive absences',
  [ComplianceEventKind.NoAttendance]: 'No attendance',
  [ComplianceEventKind.RemovedForBehaviour]: 'Removed for behaviour',
  [ComplianceEventKind.CompletionDeadlineMissed]: 'Completion deadline missed',
  [ComplianceEventKind.Terminated]: 'Terminated',
  [ComplianceEventKind.Completed]: 'Completed',
  [ComplianceEventKind.ProgressReportDue]: 'Progress report',
  [ComplianceEventKind.AtRisk]: 'At risk of not finishing in time',
  [ComplianceEventKind.Corrected]: 'Correction of an earlier notice',
  [ComplianceEventKind.Reinstated]: 'Reinstated',
  [ComplianceEventKind.Closed]: 'Order closed',
  [ComplianceEventKind.Enrolled]: 'Enrollment confirmed',
  [ComplianceEventKind.Transferred]: 'Transferred',
};

export const RESPONSE_KIND_LABELS: Record<ResponseKind, string> = {
  [ResponseKind.ViolationFiled]: 'Violation filed with the court',
  [ResponseKind.WarningGiven]: 'Warning given',
  [ResponseKind.SanctionImposed]: 'Sanction imposed',
  [ResponseKind.NoAction]: 'No action',
  [ResponseKind.ReturnedToProgram]: 'Returned to the program',
  [ResponseKind.HearingSet]: 'Hearing set',
  [ResponseKind.HearingHeld]: 'Hearing held',
  [ResponseKind.WarrantIssued]: 'Warrant issued',
};

export const HEARING_OUTCOME_LABELS: Record<HearingOutcome, string> = {
  [HearingOutcome.Warning]: 'Warning',
  [HearingOutcome.ReinstatedToProgram]: 'Reinstated to the program',
  [HearingOutcome.Sanction]: 'Sanction',
  [HearingOutcome.Jail]: 'Jail',
  [HearingOutcome.ProbationRevoked]: 'Probation revoked',
  [HearingOutcome.OrderModified]: 'Order modified',
  [HearingOutcome.Dismissed]: 'Dismissed',
};

export const RESPONSE_AGENCY_LABELS: Record<ResponseAgency, string> = { [ResponseAgency.Probation]: 'Probation', [ResponseAgency.Court]: 'Court' };

export const VICTIM_NOTIFICATION_STATUS_LABELS: Record<string, string> = {
  pending: 'Waiting for you',
  sending: 'Outcome unknown',
  sent: 'E-mail sent',
  failed: 'E-mail refused',
  recorded: 'Told her',
  skipped: 'Closed, not told',
};

export const CONTACT_CHANNEL_LABELS: Record<string, string> = { email: 'E-mail', phone: 'Phone', mail: 'Letter', in_person: 'In person' };

export const NOTICE_STATUS_LABELS: Record<NoticeStatus, string> = {
  [NoticeStatus.Pending]: 'Pending',
  [NoticeStatus.Sending]: 'Sending',
  [NoticeStatus.Sent]: 'Sent',
  [NoticeStatus.Failed]: 'Failed, will retry',
  [NoticeStatus.Dead]: 'Dead',
  [NoticeStatus.Unknown]: 'Unknown',
  [NoticeStatus.Acknowledged]: 'Acknowledged',
};

export const RECIPIENT_LABELS: Record<NoticeRecipientKind, string> = {
  [NoticeRecipientKind.ProbationOfficer]: 'Probation officer',
  [NoticeRecipientKind.Court]: 'Court',
  [NoticeRecipientKind.ProgramAdmin]: 'Program staff',
  [NoticeRecipientKind.Coordinator]: 'CCR coordinator',
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

export const ROLE_LABELS: Record<Role, string> = {
  [Role.Admin]: 'Program admin',
  [Role.Facilitator]: 'Facilitator',
  [Role.ProbationOfficer]: 'Probation officer',
  [Role.CourtClerk]: 'Court clerk',
  [Role.Advocate]: 'Advocate',
  [Role.Coordinator]: 'CCR coordinator',
};

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ISO weekday (1 = Monday) as a word. */
export function weekdayName(weekday: number): string {
  return WEEKDAYS[weekday - 1] ?? String(weekday);
}

/** 2026-11-25 → "Wed 25 Nov 2026": unambiguous in every locale the program serves. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return value;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  const weekday = WEEKDAYS[(date.getUTCDay() + 6) % 7].slice(0, 3);
  return `${weekday} ${Number(match[3])} ${MONTHS[date.getUTCMonth()]} ${match[1]}`;
}

/** An instant in the program's time zone, e.g. "25 Nov 2026, 18:42". */
export function formatInstant(value: Date | string | null | undefined, timeZone: string): string {
  if (!value) return '—';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
}

/** "3 days", "1 hour": how long something has waited. */
export function formatAge(milliseconds: number): string {
  const minutes = Math.max(0, Math.floor(milliseconds / 60_000));
  const unit = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return unit(hours, 'hour');
  return unit(Math.floor(hours / 24), 'day');
}

/** A form field's element id from its name: participant.firstName → f-participant-firstName. */
export function fieldId(name: string): string {
  return `f-${String(name).replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** Links for an error summary: one per field, to the field itself. */
export function errorLinks(errors: Record<string, string[]>): Array<{ id: string; label: string }> {
  return Object.entries(errors).map(([name, messages]) => ({ id: fieldId(name), label: messages[0] }));
}
