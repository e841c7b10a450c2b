import { NoticeRecipientKind, NoticeStatus } from '../notices/notice-status.enum';
import { REFERRAL_STATUS_LABELS } from '../../common/program/labels';
import { HearingOutcome, ResponseAgency, ResponseKind } from '../responses/response-kind.enum';
import { Role } from '../../common/auth/role.enum';
import { FieldErrors, PageForm } from './page-forms';

/** Words the pages show for the program's codes; the compliance labels are shared with e-mails and letters. */
export { ATTENDANCE_CHOICES, ATTENDANCE_LABELS, EVENT_KIND_LABELS, eventLabel, REFERRAL_STATUS_LABELS } from '../../common/program/labels';

/** Caseload standing: the referral's status, with "at risk" for an active order that can no longer finish in time. */
export const STANDING_LABELS: Record<string, string> = { ...REFERRAL_STATUS_LABELS, at_risk: 'At risk' };

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

export const RESPONSE_AGENCY_LABELS: Record<ResponseAgency, string> = {
  [ResponseAgency.Probation]: 'Probation',
  [ResponseAgency.Court]: 'Court',
};

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

export const ROLE_LABELS: Record<Role, string> = {
  [Role.Admin]: 'Program admin',
  [Role.Facilitator]: 'Facilitator',
  [Role.ProbationOfficer]: 'Probation officer',
  [Role.CourtClerk]: 'Court clerk',
  [Role.Advocate]: 'Advocate',
  [Role.Coordinator]: 'CCR coordinator',
};

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** ISO weekday (1 = Monday) as a word. */
export function weekdayName(weekday: number): string {
  return WEEKDAYS[weekday - 1] ?? String(weekday);
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

/** A value's label, or the value itself for one the map does not name (as a template shows it). */
export function labelOr(labels: Partial<Record<string, string>>, value: string): string {
  return labels[value] ?? value;
}

/** A form field's element id from its name: participant.firstName → f-participant-firstName. */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** Links for an error summary: one per field, to the field itself. */
export function errorLinks(errors: Record<string, string[]>): Array<{ id: string; label: string }> {
  return Object.entries(errors).map(([name, messages]) => ({ id: fieldId(name), label: messages[0] }));
}

/**
 * What a form's view shows of it: the values typed, the errors beside the fields, the problem
 * above them and the summary linking to each field (`summary` orders it; the errors' own order else).
 */
export function formView(form: PageForm, summary: FieldErrors = form.errors) {
  return {
    values: form.values,
    errors: form.errors,
    problem: form.problem ?? null,
    errorCount: Object.keys(form.errors).length,
    errorLinks: errorLinks(summary),
  };
}
